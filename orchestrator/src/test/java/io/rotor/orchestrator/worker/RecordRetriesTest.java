package io.rotor.orchestrator.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecordRetriesTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final Duration AFTER = Duration.ofMinutes(5);

    @Test
    void oneRecordRetriedPastTheLimitIsStuckFromItsFirstFailure() {
        RecordRetries retries = new RecordRetries();
        retries.failed("rotor.requests-0@7", T0);
        retries.failed("rotor.requests-0@7", T0.plusSeconds(120));

        assertThat(retries.stuck(AFTER, T0.plusSeconds(299))).isEmpty();
        assertThat(retries.stuck(AFTER, T0.plusSeconds(300))).contains("rotor.requests-0@7 retried since " + T0);
    }

    @Test
    void aHandledRecordOrAnotherOneStartsTheClockAgain() {
        RecordRetries retries = new RecordRetries();
        retries.failed("rotor.requests-0@7", T0);
        retries.clear();
        assertThat(retries.stuck(AFTER, T0.plusSeconds(3600))).isEmpty();

        retries.failed("rotor.requests-0@7", T0);
        retries.failed("rotor.requests-1@3", T0.plusSeconds(240));
        assertThat(retries.stuck(AFTER, T0.plusSeconds(360))).as("the other record has failed for 2 minutes only")
                .isEmpty();
    }
}
