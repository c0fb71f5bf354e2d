package io.rotor.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.SpecDigest;
import io.rotor.contracts.envelope.CloudEventCodec;
import io.rotor.contracts.envelope.DecodedEvent;
import io.rotor.contracts.event.CommandAction;
import io.rotor.contracts.event.EventType;
import io.rotor.contracts.event.RotateCredential;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.policy.EndpointPolicy;
import io.rotor.contracts.saga.Step;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.CredentialMaterial.Purpose;
import io.rotor.contracts.sealing.Keyring;
import io.rotor.contracts.sealing.SealedValue;
import io.rotor.contracts.sealing.Sealer;
import io.rotor.contracts.sealing.SealingKeys;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.lookup.KeysFormatCurrentValueReader;
import io.rotor.kit.lookup.SecretLookup;
import io.rotor.kit.messaging.EventPublisher;
import io.rotor.kit.messaging.InboundProcessor;
import io.rotor.kit.messaging.InboundRecord;
import io.rotor.kit.participant.ParticipantMetrics;
import io.rotor.kit.participant.ParticipantRuntime;
import io.rotor.kit.participant.ParticipantSettings;
import io.rotor.kit.participant.PlatformAdapter;
import io.rotor.kit.timer.ManualTimers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The kit's participant runtime around real adapters, without Kafka: commands and events go in as decoded events,
 * answers come out, retriable failures are collected, and time moves only when the test says so.
 */
public final class RuntimeHarness implements AutoCloseable {

    /** The Redis audience's keyring in the compact form the service's %test profile uses too. */
    public static final String KEYRING = "test=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    /** The keyrings of the redis audience, as the service holds them. */
    public static final SealingKeys KEYS = SealingKeys.of(Map.of(SealingKeys.audienceOf(Platform.REDIS_ACL),
            Keyring.parse(KEYRING)));
    /** Seals and opens Redis values (both Redis platforms share the {@code redis} audience). */
    public static final Sealer SEALER = KEYS.sealerFor(Platform.REDIS_ACL);

    public final ManualTimers timers;
    public final List<RotorEvent> announced = new CopyOnWriteArrayList<>();
    /** The rotations the orchestrator started (and ended), which alone the runtime acts for. */
    public final StartedRotations started = new StartedRotations();
    public final ParticipantRuntime runtime;

    public RuntimeHarness(Instant start, SecretLookup secrets, int maxAttempts, PlatformAdapter... adapters) {
        this(new ManualTimers(start), secrets, maxAttempts, adapters);
    }

    public RuntimeHarness(ManualTimers timers, SecretLookup secrets, int maxAttempts, PlatformAdapter... adapters) {
        this.timers = timers;
        EventPublisher publisher = new EventPublisher() {
            @Override
            public CompletionStage<Void> publish(RotorEvent event) {
                announced.add(event);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletionStage<Void> publishAll(List<? extends RotorEvent> events) {
                announced.addAll(events);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletionStage<Void> deadLetter(InboundRecord record, String reason, String detail) {
                return CompletableFuture.completedFuture(null);
            }
        };
        this.runtime = new ParticipantRuntime(List.of(adapters), new KeysFormatCurrentValueReader(secrets), KEYS,
                publisher, new InboundProcessor(new CloudEventCodec("/test"), publisher), timers,
                ParticipantSettings.forTests(maxAttempts), new ParticipantMetrics(new SimpleMeterRegistry()), started,
                testPolicy());
    }

    /** The tests' endpoint policy (src/test/resources/endpoint-policy.yaml): every host, http allowed. */
    public static EndpointPolicy testPolicy() {
        try (InputStream in = RuntimeHarness.class.getResourceAsStream("/endpoint-policy.yaml")) {
            return EndpointPolicy.parse(in.readAllBytes(), "endpoint-policy.yaml");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RotateCredential command(String rotationId, CredentialRef ref, ManagedCredentialSpec spec,
            String newPassword) {
        return new RotateCredential(rotationId, ref, CommandAction.APPLY, spec,
                CredentialMaterial.password(SecretValue.of(newPassword)).seal(SEALER, rotationId, ref, Purpose.NEW),
                SpecDigest.of(spec));
    }

    /** What the restarter would send after PLATFORM_UPDATED: the same sealed values, forwarded. */
    public static StepCompleted restarted(StepCompleted updated) {
        return new StepCompleted(updated.rotationId(), updated.credential(), Step.WORKLOADS_RESTARTED, updated.spec(),
                updated.material(), updated.previous(), Map.of(), Duration.ofSeconds(30));
    }

    public static DecodedEvent decoded(RotorEvent event, Instant time) {
        return new DecodedEvent("id", "/test", time, EventType.of(event), event, null);
    }

    /** The command of a rotation the orchestrator started (with the command's spec), answered. */
    public RotorEvent command(RotateCredential command, Instant time) throws Exception {
        return single(onCommand(command, time));
    }

    /** Hands the runtime the command as the orchestrator sends it: after starting its rotation with its spec. */
    public CompletionStage<List<RotorEvent>> onCommand(RotateCredential command, Instant time) {
        started.start(command.rotationId(), command.credential(), command.spec());
        return runtime.onCommand(decoded(command, time));
    }

    /** Hands the runtime a step event; its rotation must have been started (by {@link #onCommand}). */
    public CompletionStage<List<RotorEvent>> onEvent(RotorEvent event, Instant time) {
        return runtime.onEvent(decoded(event, time));
    }

    public static RotorEvent single(CompletionStage<List<RotorEvent>> stage) throws Exception {
        List<RotorEvent> events = stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    public static String open(Map<String, SealedValue> sealed, String rotationId, CredentialRef ref, Purpose purpose,
            CredentialField field) {
        return CredentialMaterial.open(SEALER, sealed, rotationId, ref, purpose).require(field).reveal();
    }

    @Override
    public void close() {
        runtime.close();
    }
}
