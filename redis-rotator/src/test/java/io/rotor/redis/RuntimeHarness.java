package io.rotor.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.envelope.CloudEventCodec;
import io.rotor.contracts.envelope.DecodedEvent;
import io.rotor.contracts.event.CommandAction;
import io.rotor.contracts.event.EventType;
import io.rotor.contracts.event.RotateCredential;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.saga.Step;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.CredentialMaterial.Purpose;
import io.rotor.contracts.sealing.Keyring;
import io.rotor.contracts.sealing.SealedValue;
import io.rotor.contracts.sealing.Sealer;
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

    /** The sealing key the service's %test profile uses too, so tests can seal commands for it. */
    public static final Sealer SEALER = new Sealer(Keyring.parse("test=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="));

    public final ManualTimers timers;
    public final List<RotorEvent> announced = new CopyOnWriteArrayList<>();
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
        this.runtime = new ParticipantRuntime(List.of(adapters), new KeysFormatCurrentValueReader(secrets), SEALER,
                publisher, new InboundProcessor(new CloudEventCodec("/test"), publisher), timers,
                ParticipantSettings.forTests(maxAttempts), new ParticipantMetrics(new SimpleMeterRegistry()));
    }

    public static RotateCredential command(String rotationId, CredentialRef ref, ManagedCredentialSpec spec,
            String newPassword) {
        return new RotateCredential(rotationId, ref, CommandAction.APPLY, spec,
                CredentialMaterial.password(SecretValue.of(newPassword)).seal(SEALER, rotationId, ref, Purpose.NEW));
    }

    /** What the restarter would send after PLATFORM_UPDATED: the same sealed values, forwarded. */
    public static StepCompleted restarted(StepCompleted updated) {
        return new StepCompleted(updated.rotationId(), updated.credential(), Step.WORKLOADS_RESTARTED, updated.spec(),
                updated.material(), updated.previous(), Map.of(), Duration.ofSeconds(30));
    }

    public static DecodedEvent decoded(RotorEvent event, Instant time) {
        return new DecodedEvent("id", "/test", time, EventType.of(event), event, null);
    }

    public RotorEvent command(RotorEvent command, Instant time) throws Exception {
        return single(runtime.onCommand(decoded(command, time)));
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
