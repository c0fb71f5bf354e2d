package io.rotor.orchestrator.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotor.kit.health.ConsumerProgressCheck;
import io.rotor.kit.messaging.InFlightRecords;
import io.rotor.orchestrator.support.MutableClock;
import java.time.Duration;
import java.util.Set;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/** The member's mark across retries, as the kit's liveness check (the one stuck detector) sees it. */
class RecordMarkTest {

    private static final Duration AFTER = Duration.ofMinutes(5);

    private final MutableClock clock = new MutableClock();
    private final InFlightRecords inFlight = new InFlightRecords(clock);
    private final ConsumerProgressCheck liveness = new ConsumerProgressCheck(inFlight, AFTER, clock);
    private final RecordMark mark = new RecordMark(inFlight);

    @Test
    void oneRecordRetriedPastTheLimitIsStuckFromItsFirstAttempt() {
        mark.attempt("rotor.requests-0@7");
        clock.advance(Duration.ofSeconds(120));
        mark.attempt("rotor.requests-0@7");

        clock.advance(Duration.ofSeconds(179));
        assertThat(liveness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        clock.advance(Duration.ofSeconds(1));
        HealthCheckResponse stuck = liveness.call();
        assertThat(stuck.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(stuck.getData().orElseThrow().get("oldest").toString()).startsWith("rotor.requests-0@7 since ");
        assertThat(inFlight.size()).as("retries hold one mark, not one each").isEqualTo(1);
    }

    @Test
    void aRebalanceDropsTheMarkOnlyWhenTheRecordsPartitionWentToAnotherMember() {
        mark.attempt("rotor.requests-0@7");
        mark.keepIfOwned(Set.of("rotor.requests-0", "rotor.events-0"));
        clock.advance(AFTER);
        assertThat(liveness.call().getStatus()).as("still ours: stuck since its first attempt")
                .isEqualTo(HealthCheckResponse.Status.DOWN);

        mark.keepIfOwned(Set.of("rotor.requests-1", "rotor.events-1"));
        assertThat(inFlight.size()).as("another member retries it now").isZero();
    }

    @Test
    void aHandledRecordOrAnotherOneStartsTheClockAgain() {
        mark.attempt("rotor.requests-0@7");
        mark.release();
        clock.advance(Duration.ofHours(1));
        assertThat(liveness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);

        mark.attempt("rotor.requests-0@7");
        clock.advance(Duration.ofSeconds(240));
        mark.attempt("rotor.requests-1@3");
        clock.advance(Duration.ofSeconds(120));
        assertThat(liveness.call().getStatus()).as("the other record has been tried for 2 minutes only")
                .isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(inFlight.size()).isEqualTo(1);
    }
}
