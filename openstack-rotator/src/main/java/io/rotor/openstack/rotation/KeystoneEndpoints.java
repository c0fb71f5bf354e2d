package io.rotor.openstack.rotation;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.Endpoint;
import io.rotor.kit.lookup.SecretLookup;
import io.rotor.kit.participant.PlatformException;
import io.rotor.kit.tls.EndpointTls;
import io.rotor.kit.tls.EndpointTlsResolver;
import io.rotor.openstack.keystone.KeystoneClient;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * The Keystone endpoints credentials point at: one client per URL, trust and timeout (built once, so connections
 * and threads are shared), and a bound on the calls in flight per endpoint.
 *
 * <p>The bound is Keystone's, not the runtime's: a password change costs Keystone two or three bcrypt hashes, and
 * one Keystone (one sqlite writer; a few workers in production) takes only so many at once. The wait Keystone's
 * token rule imposes between a change and its verification happens outside it, so a bulk rotation keeps Keystone
 * busy while earlier rotations wait out their second.
 */
public final class KeystoneEndpoints {

    private final SecretLookup secrets;
    private final EndpointTlsResolver tls;
    private final int concurrency;
    private final Map<String, KeystoneClient> clients = new ConcurrentHashMap<>();
    private final Map<String, Semaphore> permits = new ConcurrentHashMap<>();

    public KeystoneEndpoints(SecretLookup secrets, int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("Keystone concurrency must be at least 1");
        }
        this.secrets = secrets;
        this.tls = new EndpointTlsResolver(secrets);
        this.concurrency = concurrency;
    }

    /** What limits and identifies an endpoint: its identity URL. */
    public static String key(Endpoint endpoint) {
        return "keystone:" + KeystoneClient.identityUrl(endpoint.url());
    }

    /** The endpoint of one credential, for one operation. */
    public Connection connect(CredentialRef credential, Endpoint endpoint) {
        return new Connection(key(endpoint), client(credential, endpoint));
    }

    private KeystoneClient client(CredentialRef credential, Endpoint endpoint) {
        Duration timeout = endpoint.timeoutOrDefault();
        String trust;
        if (!endpoint.url().startsWith("https:")) {
            trust = "plain";
        } else if (endpoint.skipTlsVerify()) {
            trust = "insecure";
        } else if (endpoint.caSecretRef() == null) {
            trust = "jvm";
        } else {
            // Keyed by the bundle's content, so a rotated CA is picked up at the next operation.
            byte[] pem = secrets.key(credential.namespace(), endpoint.caSecretRef(), "the Keystone CA bundle");
            trust = "ca:" + sha256(pem);
        }
        String cacheKey = endpoint.url() + "|" + trust + "|" + timeout;
        return clients.computeIfAbsent(cacheKey, k -> {
            KeystoneClient.Builder builder = KeystoneClient.builder(endpoint.url()).timeout(timeout);
            if (!trust.equals("plain")) {
                EndpointTls resolved = tls.resolve(credential, endpoint);
                builder.sslContext(resolved.context());
            }
            return builder.build();
        });
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client plus the endpoint's permits. */
    public final class Connection {
        private final String key;
        private final KeystoneClient client;

        private Connection(String key, KeystoneClient client) {
            this.key = key;
            this.client = client;
        }

        public String key() {
            return key;
        }

        public KeystoneClient client() {
            return client;
        }

        /** Runs one Keystone call within the endpoint's concurrency bound. */
        public <T> T call(Supplier<T> work) {
            Semaphore semaphore = permits.computeIfAbsent(key, k -> new Semaphore(concurrency, true));
            try {
                semaphore.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PlatformException(KeystoneFailure.UNAVAILABLE, "interrupted while waiting to call " + key);
            }
            try {
                return work.get();
            } finally {
                semaphore.release();
            }
        }

        public void run(Runnable work) {
            call(() -> {
                work.run();
                return null;
            });
        }
    }
}
