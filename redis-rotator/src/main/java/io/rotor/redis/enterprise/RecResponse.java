package io.rotor.redis.enterprise;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import java.util.List;

/**
 * An answer of the cluster: the status, the JSON body, and the error's readable text ({@code description}, which real
 * clusters send; {@code message}, which the documentation names) with every secret of the request taken out.
 */
record RecResponse(int status, JsonNode body, String description) {

    /** Longest error text carried into a failure message; a cluster's descriptions are one sentence. */
    static final int MAX_DESCRIPTION = 300;

    RecResponse(int status, JsonNode body) {
        this(status, body, describe(body, List.of()));
    }

    /** @param secrets the passwords the request carried: a description that echoes one shows {@code [hidden]} */
    static RecResponse of(int status, JsonNode body, Collection<String> secrets) {
        return new RecResponse(status, body, describe(body, secrets));
    }

    boolean ok() {
        return status >= 200 && status < 300;
    }

    /** The cluster's {@code error_code}, or empty. */
    String errorCode() {
        return text(body, "error_code");
    }

    private static String describe(JsonNode body, Collection<String> secrets) {
        String said = text(body, "description");
        if (said.isEmpty()) {
            said = text(body, "message");
        }
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                said = said.replace(secret, "[hidden]");
            }
        }
        said = said.replaceAll("\\p{Cntrl}+", " ").strip();
        return said.length() <= MAX_DESCRIPTION ? said : said.substring(0, MAX_DESCRIPTION) + "…";
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body == null || !body.isObject() ? null : body.get(field);
        return value == null || value.isNull() || value.isContainerNode() ? "" : value.asText();
    }
}
