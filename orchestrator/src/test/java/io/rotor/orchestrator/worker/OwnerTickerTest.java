package io.rotor.orchestrator.worker;

import static io.rotor.orchestrator.worker.MemberParts.LAYOUT;
import static io.rotor.orchestrator.worker.MemberParts.PARTITION;
import static io.rotor.orchestrator.worker.MemberParts.REF;
import static org.assertj.core.api.Assertions.assertThat;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.event.RotationRequested;
import io.rotor.contracts.event.RotationStalled;
import io.rotor.orchestrator.registry.RegisteredCredential;
import io.rotor.orchestrator.saga.PendingStart;
import io.rotor.orchestrator.saga.SagaRecord;
import io.rotor.orchestrator.support.Specs;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Deadlines and schedules driven without Kafka: the clock moves, the ticker publishes once per thing due. */
class OwnerTickerTest {

    final MemberParts fakes = new MemberParts();
    final OwnedSagas sagas = MemberParts.owningRefsPartition();
    final OwnerTicker ticker = new OwnerTicker(fakes.parts, sagas);

    @Test
    void anOverdueRotationIsReportedOnceUntilPartitionsMove() throws InterruptedException {
        startRotation();
        fakes.publisher.published.clear();
        fakes.clock.advance(Duration.ofMinutes(1));
        ticker.tick(fakes.clock.instant());
        assertThat(fakes.publisher.published).as("within the deadline").isEmpty();

        fakes.clock.advance(Duration.ofMinutes(2));
        ticker.tick(fakes.clock.instant());
        ticker.tick(fakes.clock.instant());
        assertThat(fakes.publisher.published).singleElement().isInstanceOf(RotationStalled.class);

        ticker.forget();
        ticker.tick(fakes.clock.instant());
        assertThat(fakes.publisher.published).as("after a rebalance it may be this member's to report again")
                .hasSize(2);
    }

    @Test
    void aDueCredentialIsRequestedOnceAndItsNextDueReportedOnlyWhenItChanges() {
        fakes.registry.put(scheduled(REF));

        ticker.tick(fakes.clock.instant());
        ticker.tick(fakes.clock.instant());

        assertThat(fakes.publisher.published).singleElement().isInstanceOfSatisfying(RotationRequested.class,
                r -> assertThat(r.requestedBy()).isEqualTo(RotationRequested.SCHEDULER));
        assertThat(fakes.status.nextDueReports).isEqualTo(1);
        assertThat(fakes.status.nextDue.get(REF)).isPresent();
    }

    @Test
    void credentialsOfPartitionsAnotherMemberOwnsAreLeftToIt() {
        CredentialRef other = java.util.stream.IntStream.range(0, 100)
                .mapToObj(i -> CredentialRef.parse("shop/other-" + i))
                .filter(r -> LAYOUT.of(r) != PARTITION).findFirst().orElseThrow();
        fakes.registry.put(scheduled(other));

        ticker.tick(fakes.clock.instant());

        assertThat(fakes.publisher.published).isEmpty();
        assertThat(fakes.status.nextDueReports).isZero();
    }

    @Test
    void aPublishKafkaDoesNotAcknowledgeIsTriedAgainAtTheNextTick() {
        fakes.registry.put(scheduled(REF));
        fakes.publisher.failing = true;
        ticker.tick(fakes.clock.instant());
        assertThat(fakes.publisher.published).isEmpty();

        fakes.publisher.failing = false;
        ticker.tick(fakes.clock.instant());

        assertThat(fakes.publisher.published).singleElement().isInstanceOf(RotationRequested.class);
    }

    @Test
    void itChecksOncePerIntervalOfRealTimeAndAtOnceWhenTheClockJumps() {
        long second = Duration.ofSeconds(1).toNanos();
        ticker.maybeTick(5 * second);
        ticker.maybeTick(5 * second + 10);
        assertThat(ticker.ticks()).isEqualTo(1);

        fakes.clock.advance(Duration.ofSeconds(2));
        ticker.maybeTick(5 * second + 20);
        assertThat(ticker.ticks()).as("the clock moved past the next tick").isEqualTo(2);

        ticker.maybeTick(7 * second);
        assertThat(ticker.ticks()).as("an interval of real time passed").isEqualTo(3);
    }

    private void startRotation() throws InterruptedException {
        sagas.persisted(SagaRecord.empty(REF, PARTITION)
                .withPending(new PendingStart("r1", "q1", fakes.clock.instant())));
        assertThat(new OwnerRecordHandler(fakes.parts, sagas).handle(fakes.record(MemberParts.started(), PARTITION, 1),
                0).handled()).isTrue();
    }

    private RegisteredCredential scheduled(CredentialRef ref) {
        var spec = Specs.read("""
                {"platform":"redis-acl","strategy":"dual-password",
                 "endpoint":{"hosts":["redis-0:6379"]},"identity":{"username":"cache"},
                 "secrets":[{"name":"cache","format":"keys","keys":{"password":"password"}}],
                 "schedule":{"interval":"PT1H"}}""");
        return new RegisteredCredential(ref, "uid-" + ref.name(), 1, fakes.clock.instant().minus(Duration.ofHours(2)),
                spec, List.of(), null);
    }
}
