package io.rotor.contracts.credential;

import io.rotor.contracts.validation.Validatable;
import io.rotor.contracts.validation.Validator;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where the platform answers. HTTP platforms use {@code url}; Redis OSS lists every node in {@code hosts} because ACLs
 * are per node and must be changed on each. TLS trusts the CA bundle in {@code caSecretRef}; turning verification off
 * takes the explicit {@code insecureSkipTlsVerify} flag on this one credential.
 */
public record Endpoint(String url, List<String> hosts, SecretKeyRef caSecretRef, Boolean insecureSkipTlsVerify,
        Duration timeout) implements Validatable {

    static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:]+\\]|[A-Za-z0-9.-]+):[0-9]{1,5}");
    static final int MAX_HOSTS = 64;

    public boolean skipTlsVerify() {
        return Boolean.TRUE.equals(insecureSkipTlsVerify);
    }

    public List<String> hostList() {
        return hosts == null ? List.of() : hosts;
    }

    public Duration timeoutOrDefault() {
        return timeout == null ? Duration.ofSeconds(10) : timeout;
    }

    /** An absolute http(s) URL without embedded credentials (those belong in Secrets, not in specs). */
    static void checkUrl(Validator v, String field, String url) {
        if (url == null) {
            return;
        }
        v.maxLength(field, url, 2048);
        try {
            URI uri = new URI(url);
            boolean http = "https".equals(uri.getScheme()) || "http".equals(uri.getScheme());
            if (!http || uri.getHost() == null) {
                v.fail(field, "must be an absolute http or https URL");
            } else if (uri.getUserInfo() != null) {
                v.fail(field, "must not carry credentials; they come from Secrets");
            }
        } catch (URISyntaxException e) {
            v.fail(field, "is not a valid URL");
        }
    }

    @Override
    public void validate(Validator v) {
        checkUrl(v, "url", url);
        v.maxSize("hosts", hosts, MAX_HOSTS);
        if (hosts != null) {
            for (int i = 0; i < hosts.size(); i++) {
                String host = hosts.get(i);
                if (host == null || !HOST_PORT.matcher(host).matches()) {
                    v.fail("hosts[" + i + "]", "must be host:port");
                }
            }
        }
        v.check("caSecretRef", caSecretRef);
        v.positive("timeout", timeout);
    }
}
