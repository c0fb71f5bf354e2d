package io.rotor.kit.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.envelope.CloudEventCodec;
import io.rotor.contracts.envelope.EncodedEvent;
import io.rotor.contracts.event.ConflictPolicy;
import io.rotor.contracts.event.RotationRequested;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.kit.health.ConsumerProgressCheck;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/** A record whose handling never ends holds its partition still: liveness says so once it has taken too long. */
class ConsumerProgressTest {

    private Instant now = Instant.parse("2026-12-07T10:00:00Z");

    private final Clock clock = new Clock() {
        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    };

    private final CloudEventCodec codec = new CloudEventCodec("/rotor/test");

    @Test
    void aRecordInProgressPastTheLimitMakesLivenessDownUntilItIsDoneWith() {
        InFlightRecords inFlight = new InFlightRecords(clock);
        ConsumerProgressCheck check = new ConsumerProgressCheck(inFlight, Duration.ofMinutes(60), clock);
        InboundProcessor processor = new InboundProcessor(codec, new RecordingPublisher(), topic -> true, inFlight);
        CompletableFuture<List<RotorEvent>> never = new CompletableFuture<>();

        CompletionStage<Void> handling = processor.process(record(), decoded -> never);
        assertThat(check.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        now = now.plus(Duration.ofMinutes(59));
        assertThat(check.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        now = now.plus(Duration.ofMinutes(1));
        HealthCheckResponse stuck = check.call();
        assertThat(stuck.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(stuck.getData().orElseThrow().get("oldest").toString()).startsWith("rotor.requests-0@1 since");

        never.complete(List.of());
        handling.toCompletableFuture().join();
        assertThat(check.call().getStatus()).as("done with: the consumer moves again")
                .isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(inFlight.size()).isZero();
    }

    @Test
    void aRecordThatFailsOrGoesToTheDlqIsNotLeftInProgress() {
        InFlightRecords inFlight = new InFlightRecords(clock);
        InboundProcessor processor = new InboundProcessor(codec, new RecordingPublisher(), topic -> true, inFlight);

        processor.process(record(), decoded -> {
            throw new IllegalStateException("a bug");
        }).toCompletableFuture().join();
        processor.process(new InboundRecord("rotor.requests", 0, 2, "team-a/cache", Map.of(), new byte[] {1}),
                decoded -> CompletableFuture.completedFuture(List.of())).toCompletableFuture().join();

        assertThat(inFlight.size()).isZero();
    }

    private InboundRecord record() {
        EncodedEvent e = codec.encode(new RotationRequested("r1", CredentialRef.parse("team-a/cache"), "test", false,
                "user:test", ConflictPolicy.COALESCE));
        Map<String, byte[]> headers = new LinkedHashMap<>();
        e.headers().forEach((k, v) -> headers.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return new InboundRecord(e.topic(), 0, 1, e.key(), headers, e.data());
    }
}
