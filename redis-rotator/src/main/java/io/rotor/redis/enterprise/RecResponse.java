package io.rotor.redis.enterprise;

import com.fasterxml.jackson.databind.JsonNode;

/** An answer of the cluster: the status and the JSON body (an error's {@code error_code} when it is one). */
record RecResponse(int status, JsonNode body) {

    boolean ok() {
        return status >= 200 && status < 300;
    }

    /** The cluster's {@code error_code}, or empty. */
    String errorCode() {
        JsonNode code = body == null ? null : body.get("error_code");
        return code == null || code.isNull() ? "" : code.asText();
    }
}
