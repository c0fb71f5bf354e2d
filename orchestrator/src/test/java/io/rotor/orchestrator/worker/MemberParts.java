package io.rotor.orchestrator.worker;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.envelope.CloudEventCodec;
import io.rotor.contracts.credential.SpecDigest;
import io.rotor.contracts.envelope.EncodedEvent;
import io.rotor.contracts.event.RotationStarted;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.saga.SagaStateMachine;
import io.rotor.contracts.sealing.SealedValue;
import io.rotor.kit.messaging.EventPublisher;
import io.rotor.kit.messaging.InboundProcessor;
import io.rotor.kit.messaging.InboundRecord;
import io.rotor.orchestrator.metrics.RotationMetrics;
import io.rotor.orchestrator.saga.SagaNews;
import io.rotor.orchestrator.saga.SagaProgress;
import io.rotor.orchestrator.saga.SagaRecord;
import io.rotor.orchestrator.saga.StallDetector;
import io.rotor.orchestrator.saga.StepDeadlines;
import io.rotor.orchestrator.schedule.RotationScheduler;
import io.rotor.orchestrator.schedule.ScheduleCalculator;
import io.rotor.orchestrator.status.StatusReporter;
import io.rotor.orchestrator.support.DeadlineSettings;
import io.rotor.orchestrator.support.MemoryRegistry;
import io.rotor.orchestrator.support.MutableClock;
import io.rotor.orchestrator.support.Specs;
import io.rotor.orchestrator.support.WorkerSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * A member's parts without Kafka or Kubernetes: what it publishes and persists is recorded in memory, and each can be
 * made to fail the way Kafka does (a write not acknowledged). The saga logic, scheduler and stall detector are the real
 * ones.
 */
final class MemberParts {

    static final CredentialRef REF = CredentialRef.parse("shop/cache");
    static final CredentialPartitions LAYOUT = new CredentialPartitions(4);
    static final int PARTITION = LAYOUT.of(REF);

    final MutableClock clock = new MutableClock();
    final CloudEventCodec codec = new CloudEventCodec("/rotor/orchestrator", clock, () -> UUID.randomUUID().toString());
    final Publisher publisher = new Publisher();
    final States store = new States();
    final MemoryRegistry registry = new MemoryRegistry();
    final Status status = new Status();
    final WorkerParts parts;

    MemberParts() {
        SagaStateMachine machine = new SagaStateMachine();
        StepDeadlines deadlines = new StepDeadlines(DeadlineSettings.defaults());
        parts = new WorkerParts(Map.of(), WorkerSettings.defaults("rotor-orchestrator-unit"), new InboundProcessor(codec, publisher), publisher, store,
                registry, null, new SagaProgress(machine, deadlines, clock, Duration.ofMinutes(15), 8),
                new StallDetector(machine, deadlines), new RotationScheduler(new ScheduleCalculator()), status,
                new RotationMetrics(new SimpleMeterRegistry()), clock);
    }

    /** What a member owns right after it was assigned REF's partition, empty. */
    static OwnedSagas owningRefsPartition() {
        OwnedSagas sagas = new OwnedSagas();
        sagas.layout(LAYOUT);
        sagas.adopt(PARTITION, RestoredPartition.of(Map.of()));
        return sagas;
    }

    /** The start of rotation r1 of REF, as the request handler writes it. */
    static RotationStarted started() {
        var spec = Specs.redisAcl();
        return new RotationStarted("r1", REF, "q1", "user:test", "test", spec,
                Map.of("password", new SealedValue("k1", "bm9uY2UxMjM0NTY=", "bmV3")), 1, SpecDigest.of(spec));
    }

    /** The event as the member would read it from Kafka. */
    InboundRecord record(RotorEvent event, int partition, long offset) {
        EncodedEvent encoded = codec.encode(event);
        Map<String, byte[]> headers = new LinkedHashMap<>();
        encoded.headers().forEach((k, v) -> headers.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return new InboundRecord(encoded.topic(), partition, offset, encoded.key(), headers, encoded.data());
    }

    static final class Publisher implements EventPublisher {
        final List<RotorEvent> published = new ArrayList<>();
        final List<String> deadLettered = new ArrayList<>();
        boolean failing;

        @Override
        public CompletionStage<Void> publish(RotorEvent event) {
            if (failing) {
                return CompletableFuture.failedFuture(new TimeoutException("not acknowledged"));
            }
            published.add(event);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> publishAll(List<? extends RotorEvent> events) {
            CompletionStage<Void> all = CompletableFuture.completedFuture(null);
            for (RotorEvent e : events) {
                all = all.thenCompose(v -> publish(e));
            }
            return all;
        }

        @Override
        public CompletionStage<Void> deadLetter(InboundRecord record, String reason, String detail) {
            deadLettered.add(record.position() + " " + reason);
            return CompletableFuture.completedFuture(null);
        }
    }

    static final class States implements SagaStates {
        final Map<CredentialRef, SagaRecord> written = new HashMap<>();
        boolean failing;

        @Override
        public void write(SagaRecord record) throws ExecutionException {
            if (failing) {
                throw new ExecutionException(new TimeoutException("rotor.state did not acknowledge"));
            }
            written.put(record.credential(), record);
        }

        @Override
        public RestoredPartition restore(int partition) {
            Map<CredentialRef, SagaRecord> restored = new HashMap<>();
            written.forEach((ref, s) -> {
                if (s.partition() == partition) {
                    restored.put(ref, s);
                }
            });
            return RestoredPartition.of(restored);
        }

        @Override
        public void close() {
        }
    }

    static final class Status implements StatusReporter {
        final List<SagaNews> news = new ArrayList<>();
        final Map<CredentialRef, Optional<Instant>> nextDue = new HashMap<>();
        int nextDueReports;

        @Override
        public void report(SagaRecord state, List<SagaNews> reported) {
            news.addAll(reported);
        }

        @Override
        public void nextDue(CredentialRef credential, Instant due) {
            nextDueReports++;
            nextDue.put(credential, Optional.ofNullable(due));
        }
    }
}
