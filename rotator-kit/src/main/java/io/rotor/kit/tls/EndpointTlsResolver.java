package io.rotor.kit.tls;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.Endpoint;
import io.rotor.kit.lookup.SecretLookup;
import io.rotor.kit.participant.FailureCode;
import io.rotor.kit.participant.PlatformException;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jboss.logging.Logger;

/**
 * Builds the TLS settings of a credential's endpoint (rule 8): trust the PEM CA bundle named by
 * {@code endpoint.caSecretRef}; without one, the JVM's trust store; verification off only when the credential sets
 * {@code insecureSkipTlsVerify}, and then with a warning each time.
 */
public final class EndpointTlsResolver {

    /** Why TLS could not be set up. */
    public enum TlsFailure implements FailureCode {
        CA_BUNDLE_INVALID("ca_bundle_invalid");

        private final String code;

        TlsFailure(String code) {
            this.code = code;
        }

        @Override
        public String code() {
            return code;
        }

        @Override
        public boolean retriable() {
            return false;
        }
    }

    private static final Logger LOG = Logger.getLogger(EndpointTlsResolver.class);

    private final SecretLookup secrets;

    public EndpointTlsResolver(SecretLookup secrets) {
        this.secrets = secrets;
    }

    public EndpointTls resolve(CredentialRef credential, Endpoint endpoint) {
        if (endpoint.skipTlsVerify()) {
            LOG.warnf("TLS verification is OFF for %s (insecureSkipTlsVerify): the platform's identity is not checked, "
                    + "so the credential could be handed to an impostor; trust a CA bundle with caSecretRef instead",
                    credential);
            return new EndpointTls(unverified(), false, "nothing (insecureSkipTlsVerify)", "unverified");
        }
        if (endpoint.caSecretRef() == null) {
            try {
                return new EndpointTls(SSLContext.getDefault(), true, "the JVM's trust store", "jvm");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JVM has no default TLS context", e);
            }
        }
        byte[] pem = secrets.key(credential.namespace(), endpoint.caSecretRef(), "the endpoint's CA bundle");
        String source = "Secret " + credential.namespace() + "/" + endpoint.caSecretRef().name() + " key "
                + endpoint.caSecretRef().key();
        return new EndpointTls(trusting(pem, source), true, source, "ca:" + sha256(pem));
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A context that trusts exactly the certificates of a PEM bundle. */
    public static SSLContext trusting(byte[] pemBundle, String source) {
        try {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pemBundle));
            if (certificates.isEmpty()) {
                throw new PlatformException(TlsFailure.CA_BUNDLE_INVALID, source + " holds no PEM certificate");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (CertificateException e) {
            throw new PlatformException(TlsFailure.CA_BUNDLE_INVALID, source + " is not a PEM certificate bundle: "
                    + e.getMessage(), e);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build a TLS context from " + source, e);
        }
    }

    private static SSLContext unverified() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new SkipVerificationTrustManager()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context", e);
        }
    }

    /**
     * Accepts any server certificate and, being an extended trust manager, skips the hostname check too. Used only
     * for a credential that explicitly opted out of verification.
     */
    private static final class SkipVerificationTrustManager extends X509ExtendedTrustManager {

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // Not a server.
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // Opted out by the credential.
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // Not a server.
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // Opted out by the credential.
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // Not a server.
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // Opted out by the credential.
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
