package io.rotor.secret.vault;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.SecretKeyRef;
import io.rotor.contracts.credential.VaultTarget;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.k8s.ApiCalls;
import io.rotor.k8s.ApiError;
import io.rotor.k8s.ServiceStopping;
import io.rotor.kit.retry.Backoff;
import io.rotor.kit.retry.BlockingRetries;
import io.rotor.kit.retry.Pause;
import io.rotor.kit.secret.SecretData;
import io.rotor.secret.WriteFailure;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jboss.logging.Logger;

/**
 * The optional Vault KV v2 copy of a credential, as the Redis Enterprise operator's Vault mode reads it: keys
 * {@code username} and {@code password} at {@code spec.vault.path}. Other keys at the path are kept; fields other
 * than username and password are not written to Vault.
 *
 * <p>Writes use check-and-set on the version that was read, so a concurrent writer is never overwritten blindly. KV v2
 * keeps the previous version itself; a rollback writes it back as a new version, but only while the latest version
 * still holds this rotation's value.
 */
public final class VaultSink {

    static final Map<CredentialField, String> KEYS = Map.of(
            CredentialField.USERNAME, "username",
            CredentialField.PASSWORD, "password");

    private static final Logger LOG = Logger.getLogger(VaultSink.class);
    private static final int CONFLICT_ATTEMPTS = 10;

    public enum Outcome {
        WRITTEN, UNCHANGED, RESTORED, DELETED, NOT_WRITTEN_BY_ROTATION
    }

    public record Result(String path, Outcome outcome, int version) {
    }

    private final KubernetesClient client;
    private final ApiCalls api;
    private final BlockingRetries retries;
    private final Duration timeout;

    public VaultSink(KubernetesClient client, ApiCalls api, Backoff backoff, Pause pause, Duration timeout) {
        this.client = client;
        this.api = api;
        // The random only spreads pauses when the backoff has jitter; it decides nothing a test must pin.
        this.retries = new BlockingRetries(backoff, new SplittableRandom(), pause);
        this.timeout = timeout;
    }

    public Result write(String namespace, VaultTarget target, Map<CredentialField, SecretValue> fields) {
        String path = target.path();
        if (KEYS.keySet().stream().noneMatch(fields::containsKey)) {
            LOG.infof("the rotation carries no username or password: Vault path %s left alone", path);
            return new Result(path, Outcome.UNCHANGED, 0);
        }
        VaultKv2Client vault = connect(namespace, target);
        for (int attempt = 1; attempt <= CONFLICT_ATTEMPTS; attempt++) {
            Optional<VaultKv2Client.Entry> current = retrying(path, () -> vault.read(path, null));
            ObjectNode data = current.map(e -> e.data().deepCopy()).orElseGet(JsonNodeFactory.instance::objectNode);
            KEYS.forEach((field, key) -> {
                SecretValue value = fields.get(field);
                if (value != null) {
                    data.put(key, value.reveal());
                }
            });
            if (current.isPresent() && current.get().data().equals(data)) {
                LOG.infof("Vault path %s already holds this value (version %d); not written again", path,
                        current.get().version());
                return new Result(path, Outcome.UNCHANGED, current.get().version());
            }
            int cas = current.map(VaultKv2Client.Entry::version).orElse(0);
            try {
                int version = retrying(path, () -> vault.write(path, data, cas));
                LOG.infof("wrote Vault path %s: version %d", path, version);
                return new Result(path, Outcome.WRITTEN, version);
            } catch (VaultException e) {
                if (e.kind() != VaultException.Kind.CAS_MISMATCH) {
                    throw failure(e);
                }
                LOG.infof("Vault path %s changed under us, attempt %d of %d: reading it again", path, attempt,
                        CONFLICT_ATTEMPTS);
            }
        }
        throw new WriteFailure(WriteFailure.Reason.CONFLICT_PERSISTS, "Vault path " + path
                + " kept changing between our read and our write; giving up rather than overwrite it");
    }

    /**
     * Rollback: if the latest version holds the rotation's value, writes the version before it back (or deletes the
     * path, if the rotation created it); otherwise leaves the path alone.
     */
    public Result restore(String namespace, VaultTarget target, Map<CredentialField, SecretValue> fields) {
        VaultKv2Client vault = connect(namespace, target);
        String path = target.path();
        for (int attempt = 1; attempt <= CONFLICT_ATTEMPTS; attempt++) {
            Optional<VaultKv2Client.Entry> current = retrying(path, () -> vault.read(path, null));
            if (current.isEmpty() || !holds(current.get().data(), fields)) {
                LOG.infof("Vault path %s does not hold this rotation's value; nothing to restore", path);
                return new Result(path, Outcome.NOT_WRITTEN_BY_ROTATION, current.map(VaultKv2Client.Entry::version).orElse(0));
            }
            int version = current.get().version();
            if (version == 1) {
                retrying(path, () -> {
                    vault.deleteLatest(path);
                    return null;
                });
                LOG.infof("deleted Vault path %s, which this rotation had created", path);
                return new Result(path, Outcome.DELETED, version);
            }
            VaultKv2Client.Entry previous = retrying(path, () -> vault.read(path, version - 1)).orElseThrow(() ->
                    new WriteFailure(WriteFailure.Reason.PREVIOUS_MISSING, "version " + (version - 1)
                            + " of Vault path " + path + " is deleted or destroyed; restore it by hand"));
            try {
                int restored = retrying(path, () -> vault.write(path, previous.data(), version));
                LOG.infof("restored Vault path %s: version %d holds version %d's data", path, restored, version - 1);
                return new Result(path, Outcome.RESTORED, restored);
            } catch (VaultException e) {
                if (e.kind() != VaultException.Kind.CAS_MISMATCH) {
                    throw failure(e);
                }
            }
        }
        throw new WriteFailure(WriteFailure.Reason.CONFLICT_PERSISTS, "Vault path " + path
                + " kept changing while it was being restored; giving up rather than overwrite it");
    }

    private static boolean holds(ObjectNode data, Map<CredentialField, SecretValue> fields) {
        boolean any = false;
        for (Map.Entry<CredentialField, String> key : KEYS.entrySet()) {
            SecretValue value = fields.get(key.getKey());
            if (value != null) {
                any = true;
                if (!data.path(key.getValue()).isTextual() || !data.get(key.getValue()).asText().equals(value.reveal())) {
                    return false;
                }
            }
        }
        return any;
    }

    /** Retries what failed because Vault did not answer; everything else is thrown at once. */
    private <T> T retrying(String path, Supplier<T> call) {
        try {
            return retries.call("calling Vault for " + path, call,
                    e -> e instanceof VaultException v && v.kind() == VaultException.Kind.UNAVAILABLE,
                    RuntimeException::getMessage);
        } catch (VaultException e) {
            if (e.kind() == VaultException.Kind.CAS_MISMATCH) {
                throw e;
            }
            throw failure(e);
        } catch (InterruptedException interrupted) {
            throw new ServiceStopping("calling Vault for " + path);
        }
    }

    private static WriteFailure failure(VaultException e) {
        return new WriteFailure(switch (e.kind()) {
            case FORBIDDEN -> WriteFailure.Reason.VAULT_FORBIDDEN;
            case UNAVAILABLE -> WriteFailure.Reason.VAULT_UNAVAILABLE;
            case REJECTED, CAS_MISMATCH -> WriteFailure.Reason.VAULT_REJECTED;
        }, e.getMessage());
    }

    private VaultKv2Client connect(String namespace, VaultTarget target) {
        SecretValue token = secretValue(namespace, target.tokenSecretRef(), "Vault token");
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(timeout);
        if (target.caSecretRef() != null) {
            http.sslContext(trusting(secretValue(namespace, target.caSecretRef(), "Vault CA bundle"), target));
        }
        return new VaultKv2Client(http.build(), URI.create(target.address()), token, timeout);
    }

    private SecretValue secretValue(String namespace, SecretKeyRef ref, String what) {
        String name = namespace + "/" + ref.name();
        Secret secret;
        try {
            secret = api.call("reading Secret " + name, () -> client.secrets().inNamespace(namespace)
                    .withName(ref.name()).get());
        } catch (KubernetesClientException e) {
            throw new WriteFailure(ApiError.of(e) == ApiError.FORBIDDEN ? WriteFailure.Reason.FORBIDDEN
                    : WriteFailure.Reason.KUBERNETES_UNAVAILABLE, "reading the " + what + " from Secret " + name
                            + " failed (" + ApiError.describe(e) + ")");
        }
        byte[] value = secret == null ? null : SecretData.of(secret).get(ref.key());
        if (value == null) {
            throw new WriteFailure(WriteFailure.Reason.SECRET_NOT_FOUND, "the " + what + " is missing: Secret " + name
                    + (secret == null ? " does not exist" : " has no key '" + ref.key() + "'"));
        }
        return SecretValue.of(new String(value, StandardCharsets.UTF_8).trim());
    }

    private static SSLContext trusting(SecretValue pem, VaultTarget target) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(
                    new ByteArrayInputStream(pem.reveal().getBytes(StandardCharsets.UTF_8)))) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw new GeneralSecurityException("no certificate in the bundle");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new WriteFailure(WriteFailure.Reason.VAULT_REJECTED, "the CA bundle in Secret "
                    + target.caSecretRef().name() + " (key " + target.caSecretRef().key() + ") is not usable: "
                    + e.getMessage());
        }
    }
}
