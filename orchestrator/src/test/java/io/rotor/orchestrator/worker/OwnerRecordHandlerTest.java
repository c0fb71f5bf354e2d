package io.rotor.orchestrator.worker;

import static io.rotor.orchestrator.worker.MemberParts.LAYOUT;
import static io.rotor.orchestrator.worker.MemberParts.PARTITION;
import static io.rotor.orchestrator.worker.MemberParts.REF;
import static org.assertj.core.api.Assertions.assertThat;

import io.rotor.contracts.event.RejectionReason;
import io.rotor.contracts.event.RotateCredential;
import io.rotor.contracts.event.RotationRejected;
import io.rotor.contracts.event.RotationRequested;
import io.rotor.contracts.event.RotationStarted;
import io.rotor.kit.messaging.InboundRecord;
import io.rotor.orchestrator.saga.PendingStart;
import io.rotor.orchestrator.saga.SagaNews;
import io.rotor.orchestrator.saga.SagaRecord;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The record handler driven without Kafka: answer acknowledged, then state acknowledged, then it counts. */
class OwnerRecordHandlerTest {

    final MemberParts fakes = new MemberParts();
    final OwnedSagas sagas = MemberParts.owningRefsPartition();
    final OwnerRecordHandler handler = new OwnerRecordHandler(fakes.parts, sagas);

    OwnerRecordHandlerTest() {
        sagas.persisted(SagaRecord.empty(REF, PARTITION)
                .withPending(new PendingStart("r1", "q1", fakes.clock.instant())));
    }

    @Test
    void aStartReadBackIsAnsweredThenPersistedThenTakenAsTheMembersState() throws InterruptedException {
        OwnerRecordHandler.Outcome outcome = handler.handle(started(PARTITION, 10), 0);

        assertThat(outcome.handled()).isTrue();
        assertThat(fakes.publisher.published).singleElement().isInstanceOf(RotateCredential.class);
        assertThat(fakes.store.written.get(REF).active().rotationId()).isEqualTo("r1");
        assertThat(sagas.get(REF)).hasValueSatisfying(s -> assertThat(s.active().rotationId()).isEqualTo("r1"));
        assertThat(fakes.status.news).extracting(SagaNews::kind).containsExactly(SagaNews.Kind.STARTED);
    }

    @Test
    void aStateKafkaDoesNotAcknowledgeLeavesTheMembersStateAsItWasAndTheRecordToBeReadAgain()
            throws InterruptedException {
        fakes.store.failing = true;

        OwnerRecordHandler.Outcome failed = handler.handle(started(PARTITION, 10), 0);

        assertThat(failed.handled()).isFalse();
        assertThat(failed.retryBecause()).isInstanceOf(TimeoutException.class);
        assertThat(sagas.get(REF)).hasValueSatisfying(s -> assertThat(s.active()).isNull());
        assertThat(fakes.status.news).as("nothing reported before the state is persisted").isEmpty();

        fakes.store.failing = false;
        assertThat(handler.handle(started(PARTITION, 10), 0).handled()).isTrue();
        assertThat(sagas.get(REF)).hasValueSatisfying(s -> assertThat(s.active().rotationId()).isEqualTo("r1"));
        assertThat(fakes.publisher.published).as("the command again: rotators take it idempotently")
                .hasSize(2).allMatch(e -> e instanceof RotateCredential);
    }

    @Test
    void anAnswerKafkaDoesNotAcknowledgeIsNeitherPersistedNorReported() throws InterruptedException {
        fakes.publisher.failing = true;

        assertThat(handler.handle(started(PARTITION, 10), 0).handled()).isFalse();

        assertThat(fakes.store.written).isEmpty();
        assertThat(fakes.status.news).isEmpty();
    }

    @Test
    void aRecordThePersistedStateAlreadyContainsChangesNothing() throws InterruptedException {
        handler.handle(started(PARTITION, 10), 0);

        assertThat(handler.handle(started(PARTITION, 10), 0).handled()).isTrue();

        assertThat(fakes.publisher.published).hasSize(1);
        assertThat(fakes.status.news).hasSize(1);
    }

    @Test
    void anUndecodableRecordGoesToTheDlqAndIsDoneWith() throws InterruptedException {
        InboundRecord garbage = new InboundRecord("rotor.events", PARTITION, 11, REF.asString(), Map.of(),
                "{".getBytes());

        assertThat(handler.handle(garbage, 0).handled()).isTrue();

        assertThat(fakes.publisher.deadLettered).singleElement().asString().startsWith("rotor.events-" + PARTITION);
        assertThat(fakes.store.written).isEmpty();
    }

    @Test
    void aRequestWaitsWhileTheManagedCredentialsAreNotListed() throws InterruptedException {
        fakes.registry.synced(false);
        RotationRequested request = new RotationRequested("q2", REF, "test", false, "user:test", null);

        OwnerRecordHandler.Outcome outcome = handler.handle(fakes.record(request, PARTITION, 3), 0);

        assertThat(outcome.handled()).isFalse();
        assertThat(outcome.retryBecause()).isInstanceOf(OwnerRecordHandler.RetryLater.class);
        assertThat(fakes.publisher.deadLettered).as("never parked: it is not the record's fault").isEmpty();
    }

    @Test
    void anEventOnAnotherPartitionThanItsCredentialsIsForwardedNotActedOn() throws InterruptedException {
        int elsewhere = (PARTITION + 1) % LAYOUT.count();

        assertThat(handler.handle(started(elsewhere, 10), 0).handled()).isTrue();

        assertThat(fakes.publisher.published).singleElement().isInstanceOf(RotationStarted.class);
        assertThat(fakes.store.written).isEmpty();
        assertThat(sagas.get(REF)).hasValueSatisfying(s -> assertThat(s.active()).isNull());
    }

    @Test
    void aCredentialWhoseStateCannotBeReadIsActedOnForNothingAndItsRequestsAreToldWhy() throws InterruptedException {
        OwnedSagas setAside = new OwnedSagas();
        setAside.layout(LAYOUT);
        InboundRecord poison = new InboundRecord("rotor.state", PARTITION, 7, REF.asString(), Map.of(),
                "null".getBytes());
        setAside.adopt(PARTITION, new RestoredPartition(Map.of(), List.of(new UnreadableState(REF, poison,
                "no saga record in it"))));
        OwnerRecordHandler guarded = new OwnerRecordHandler(fakes.parts, setAside);
        RotationRequested request = new RotationRequested("q2", REF, "test", false, "user:test", null);

        assertThat(guarded.handle(fakes.record(request, PARTITION, 3), 0).handled()).isTrue();
        assertThat(fakes.publisher.published).singleElement().isInstanceOfSatisfying(RotationRejected.class, r -> {
            assertThat(r.reason()).isEqualTo(RejectionReason.STATE_UNREADABLE);
            assertThat(r.message()).contains("rotor.state-" + PARTITION + "@7")
                    .contains("forget-unreadable-state");
        });
        assertThat(fakes.store.written).as("no state supersedes the unreadable one").isEmpty();

        assertThat(guarded.handle(fakes.record(MemberParts.started(), PARTITION, 10), 0).handled()).isTrue();
        assertThat(fakes.publisher.deadLettered).singleElement().asString().endsWith("STATE_UNREADABLE");
        assertThat(fakes.publisher.published).as("no command for it").hasSize(1);
    }

    private InboundRecord started(int partition, long offset) {
        return fakes.record(MemberParts.started(), partition, offset);
    }
}
