package io.rotor.kit.participant;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.Endpoint;
import io.rotor.contracts.credential.Identity;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.SecretFormat;
import io.rotor.contracts.credential.SecretTarget;
import io.rotor.contracts.credential.SpecDigest;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.envelope.DecodedEvent;
import io.rotor.contracts.event.CommandAction;
import io.rotor.contracts.event.EventType;
import io.rotor.contracts.event.RotateCredential;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.saga.Step;
import io.rotor.contracts.sealing.CredentialMaterial.Purpose;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.Keyring;
import io.rotor.contracts.sealing.SealedValue;
import io.rotor.contracts.sealing.Sealer;
import io.rotor.contracts.sealing.SealingKeys;
import io.rotor.contracts.sealing.SecretValue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Specs, commands and events for the runtime's tests. */
final class Fixtures {

    static final SealingKeys KEYS = SealingKeys.parse(Map.of("redis", "test=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="));
    static final Sealer SEALER = KEYS.sealerFor("redis");

    private Fixtures() {
    }

    static ManagedCredentialSpec spec(String user, String secret, Strategy strategy, Duration propagationDelay) {
        return new ManagedCredentialSpec(Platform.REDIS_ACL, strategy,
                new Endpoint(null, List.of("127.0.0.1:6379"), null, null, null),
                new Identity(user, null, null),
                List.of(new SecretTarget(secret, SecretFormat.KEYS, Map.of("password", "password"), null, null, null,
                        null)),
                null, null, propagationDelay, null, null, null, null, null);
    }

    static RotateCredential command(String rotationId, CredentialRef ref, ManagedCredentialSpec spec,
            String newPassword) {
        return new RotateCredential(rotationId, ref, CommandAction.APPLY, spec,
                CredentialMaterial.password(SecretValue.of(newPassword)).seal(SEALER, rotationId, ref, Purpose.NEW),
                SpecDigest.of(spec));
    }

    static StepCompleted stepCompleted(Step step, String rotationId, CredentialRef ref, ManagedCredentialSpec spec,
            String newPassword, String oldPassword) {
        Map<String, SealedValue> material = CredentialMaterial.password(SecretValue.of(newPassword))
                .seal(SEALER, rotationId, ref, Purpose.NEW);
        Map<String, SealedValue> previous = CredentialMaterial.password(SecretValue.of(oldPassword))
                .seal(SEALER, rotationId, ref, Purpose.PREVIOUS);
        return new StepCompleted(rotationId, ref, step, spec, material, previous, Map.of(), Duration.ofSeconds(1));
    }

    static DecodedEvent decoded(RotorEvent event, Instant time) {
        return new DecodedEvent("id-" + System.nanoTime(), "/test", time, EventType.of(event), event, null);
    }

    static String open(Map<String, SealedValue> sealed, String rotationId, CredentialRef ref, Purpose purpose) {
        return CredentialMaterial.open(SEALER, sealed, rotationId, ref, purpose)
                .require(io.rotor.contracts.credential.CredentialField.PASSWORD).reveal();
    }
}
