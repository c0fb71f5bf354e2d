package io.rotor.testing;

import io.rotor.contracts.credential.Consumers;
import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.Endpoint;
import io.rotor.contracts.credential.Identity;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.SecretFormat;
import io.rotor.contracts.credential.SecretTarget;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.credential.VaultTarget;
import io.rotor.contracts.event.RollbackRequested;
import io.rotor.contracts.policy.EndpointPolicy;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.saga.Step;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SealedValue;
import io.rotor.contracts.sealing.SealingKeys;
import io.rotor.contracts.sealing.SecretValue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Step events as the participants before the writer and the restarter would send them. */
public final class Rotations {

    /** The same throwaway key as src/test/resources/application.properties. */
    public static final String TEST_KEYS = "test=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    /** Every audience the writer holds, each with the test key (as in application.properties). */
    public static final SealingKeys KEYS = SealingKeys.parse(Map.of("redis", TEST_KEYS, "openstack", TEST_KEYS,
            "configui", TEST_KEYS));
    /** The endpoint policy of src/test/resources/endpoint-policy.yaml: everything allowed, plain http too. */
    public static final EndpointPolicy ALLOW_ALL = policy("""
            namespaces:
              "*":
                redis-acl: {hosts: ["*"], allowHttp: true}
                redis-enterprise: {hosts: ["*"], allowHttp: true}
                vault: {hosts: ["*"], allowHttp: true}
            """);

    private Rotations() {
    }

    public static EndpointPolicy policy(String yaml) {
        return EndpointPolicy.parse(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8), "test policy");
    }

    public static String newRotationId() {
        return "rot-" + UUID.randomUUID();
    }

    public static SecretTarget keys(String name, Map<String, String> fieldToKey) {
        return new SecretTarget(name, SecretFormat.KEYS, fieldToKey, null, null, null, null);
    }

    public static SecretTarget keysCreated(String name, Map<String, String> fieldToKey) {
        return new SecretTarget(name, SecretFormat.KEYS, fieldToKey, null, null, null, true);
    }

    public static ManagedCredentialSpec spec(Platform platform, Strategy strategy, List<SecretTarget> secrets) {
        return spec(platform, strategy, secrets, null, null);
    }

    public static ManagedCredentialSpec spec(Platform platform, Strategy strategy, List<SecretTarget> secrets,
            VaultTarget vault, Consumers consumers) {
        // Valid for every platform: the writer and the restarter never call the platform itself.
        return new ManagedCredentialSpec(platform, strategy,
                new Endpoint("https://platform.example:9443", List.of("redis-0.example:6379"), null, null, null),
                new Identity("app", "user-id", "Default"), secrets, vault, consumers, null, null, null, null, null, null);
    }

    /** A Redis ACL credential (dual-password, no endpoint needed for the writer). */
    public static ManagedCredentialSpec redisAcl(List<SecretTarget> secrets) {
        return spec(Platform.REDIS_ACL, Strategy.DUAL_PASSWORD, secrets);
    }

    public static Map<String, SealedValue> seal(String rotationId, CredentialRef credential, Platform platform,
            CredentialMaterial.Purpose purpose, Map<CredentialField, String> fields) {
        Map<CredentialField, SecretValue> values = new java.util.EnumMap<>(CredentialField.class);
        fields.forEach((f, v) -> values.put(f, SecretValue.of(v)));
        return CredentialMaterial.of(values).seal(KEYS.sealerFor(platform), rotationId, credential, purpose);
    }

    public static StepCompleted platformUpdated(String rotationId, CredentialRef credential, ManagedCredentialSpec spec,
            Map<CredentialField, String> newValue, Map<CredentialField, String> oldValue) {
        return new StepCompleted(rotationId, credential, Step.PLATFORM_UPDATED, spec,
                seal(rotationId, credential, spec.platform(), CredentialMaterial.Purpose.NEW, newValue),
                oldValue == null ? null : seal(rotationId, credential, spec.platform(), CredentialMaterial.Purpose.PREVIOUS, oldValue),
                Map.of(), Duration.ofMillis(5));
    }

    public static StepCompleted secretWritten(String rotationId, CredentialRef credential, ManagedCredentialSpec spec) {
        return new StepCompleted(rotationId, credential, Step.SECRET_WRITTEN, spec,
                seal(rotationId, credential, spec.platform(), CredentialMaterial.Purpose.NEW, Map.of(CredentialField.PASSWORD, "new")),
                null, Map.of(), Duration.ofMillis(5));
    }

    public static RollbackRequested rollback(StepCompleted forward, Step failed) {
        return new RollbackRequested(forward.rotationId(), forward.credential(), failed, forward.spec(),
                forward.material(), forward.previous(), "test rollback");
    }
}
