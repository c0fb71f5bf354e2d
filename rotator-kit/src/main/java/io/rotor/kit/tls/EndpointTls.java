package io.rotor.kit.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * How to talk TLS to one credential's platform endpoint: the context (trusting the credential's CA bundle, the
 * JVM's trust store, or — only with the credential's explicit {@code insecureSkipTlsVerify} — anything) and whether
 * the server's name is checked against its certificate. {@code fingerprint} identifies what is trusted (a digest of the
 * CA bundle), so clients built for one set of settings can be reused until the bundle changes.
 */
public record EndpointTls(SSLContext context, boolean verified, String trustSource, String fingerprint) {

    /** Applies the hostname check to a raw socket, which (unlike an HTTP client) does not do it by default. */
    public void configure(SSLSocket socket) {
        if (verified) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
        }
    }
}
