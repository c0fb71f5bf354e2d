package io.rotor.openstack.rotation;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.Endpoint;
import io.rotor.kit.lookup.SecretLookup;
import io.rotor.kit.participant.PlatformException;
import io.rotor.kit.tls.EndpointTls;
import io.rotor.kit.tls.EndpointTlsResolver;
import io.rotor.openstack.keystone.KeystoneClient;
import java.time.Duration;
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

    private final EndpointTlsResolver tls;
    private final int concurrency;
    private final Map<String, KeystoneClient> clients = new ConcurrentHashMap<>();
    private final Map<String, Semaphore> permits = new ConcurrentHashMap<>();

    public KeystoneEndpoints(SecretLookup secrets, int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("Keystone concurrency must be at least 1");
        }
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
        if (!endpoint.url().startsWith("https:")) {
            return clients.computeIfAbsent(endpoint.url() + "|plain|" + timeout,
                    k -> KeystoneClient.builder(endpoint.url()).timeout(timeout).build());
        }
        // Resolved every time (the CA Secret is read again), cached by the bundle's digest: a rotated CA bundle is
        // picked up at the next operation, and connections are shared until then.
        EndpointTls tls = this.tls.resolve(credential, endpoint);
        return clients.computeIfAbsent(endpoint.url() + "|" + tls.fingerprint() + "|" + timeout,
                k -> KeystoneClient.builder(endpoint.url()).timeout(timeout).sslContext(tls.context()).build());
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
