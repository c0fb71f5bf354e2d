package io.rotor.kit.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.envelope.CloudEventCodec;
import io.rotor.contracts.envelope.EncodedEvent;
import io.rotor.contracts.event.ConflictPolicy;
import io.rotor.contracts.event.RejectionReason;
import io.rotor.contracts.event.RotationRejected;
import io.rotor.contracts.event.RotationRequested;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.Topics;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InboundProcessorTest {

    private static final CredentialRef REF = CredentialRef.parse("team-a/cache");

    private final CloudEventCodec codec = new CloudEventCodec("/rotor/test");
    private final RecordingPublisher publisher = new RecordingPublisher();
    private final InboundProcessor processor = new InboundProcessor(codec, publisher);
    private final AtomicInteger handled = new AtomicInteger();

    private final EventHandler rejectEverything = decoded -> {
        handled.incrementAndGet();
        RotationRequested r = (RotationRequested) decoded.event();
        return CompletableFuture.completedFuture(List.of(new RotationRejected(null, r.credential(), r.requestId(),
                RejectionReason.UNKNOWN_CREDENTIAL, "no such credential")));
    };

    @Test
    void aValidRecordIsHandledAndItsAnswerPublished() throws Exception {
        processor.process(record(request("req-1")), rejectEverything).toCompletableFuture().get();

        assertThat(handled).hasValue(1);
        assertThat(publisher.published).singleElement().isInstanceOf(RotationRejected.class);
        assertThat(publisher.deadLetters).isEmpty();
    }

    @Test
    void aBadRecordGoesToTheDeadLetterQueueWithItsReasonAndTheHandlerNeverSeesIt() throws Exception {
        InboundRecord bad = new InboundRecord("rotor.requests", 0, 7, "team-a/cache", Map.of("ce_specversion",
                "1.0".getBytes(StandardCharsets.UTF_8)), "{}".getBytes(StandardCharsets.UTF_8));

        processor.process(bad, rejectEverything).toCompletableFuture().get();

        assertThat(handled).hasValue(0);
        assertThat(publisher.published).isEmpty();
        assertThat(publisher.deadLetters).singleElement().satisfies(d -> {
            assertThat(d.reason()).isEqualTo("NOT_A_CLOUDEVENT");
            assertThat(d.detail()).contains("ce_id");
            assertThat(d.record()).isSameAs(bad);
        });
    }

    @Test
    void aRecordTheHandlerFailsOnGoesToTheDlqOnceAndTheConsumerMovesOn() throws Exception {
        InboundRecord poison = record(request("req-2"));
        EventHandler broken = decoded -> {
            throw new IllegalStateException("bug quoting hunter2");
        };
        EventHandler brokenLater = decoded -> CompletableFuture.failedFuture(new NullPointerException());

        processor.process(poison, broken).toCompletableFuture().get();
        processor.process(poison, brokenLater).toCompletableFuture().get();

        assertThat(publisher.published).isEmpty();
        assertThat(publisher.deadLetters).hasSize(2).allSatisfy(d -> {
            assertThat(d.reason()).isEqualTo(InboundProcessor.HANDLER_FAILED);
            assertThat(d.record()).isSameAs(poison);
            // Another library's message may quote the record; only Rotor's own messages are passed on.
            assertThat(d.detail()).doesNotContain("hunter2");
        });
        assertThat(publisher.deadLetters.get(0).detail()).contains("IllegalStateException");
    }

    @Test
    void aRefusalGoesToTheDlqWithItsOwnReason() throws Exception {
        EventHandler refusing = decoded -> CompletableFuture.failedFuture(new CompletionException(new RecordRefused(
                RecordRefused.Reason.NOT_CURRENT, "rotation r1 is not in flight")));

        processor.process(record(request("req-5")), refusing).toCompletableFuture().get();

        assertThat(publisher.deadLetters).singleElement().satisfies(d -> {
            assertThat(d.reason()).isEqualTo("NOT_CURRENT");
            assertThat(d.detail()).isEqualTo("rotation r1 is not in flight");
        });
    }

    @Test
    void kafkaTroubleDuringHandlingLeavesTheRecordUnacknowledged() {
        EventHandler kafkaDown = decoded -> CompletableFuture.failedFuture(new PublishFailed("rotor.steps.redis",
                new IllegalStateException("broker down")));

        assertThatThrownBy(() -> processor.process(record(request("req-6")), kafkaDown).toCompletableFuture().get())
                .isInstanceOf(ExecutionException.class).hasRootCauseMessage("broker down");
        assertThat(publisher.deadLetters).isEmpty();
    }

    @Test
    void anUndecodableRecordOnATopicAnotherServiceReadsFirstIsSkippedNotCopied() throws Exception {
        InboundProcessor secondary = new InboundProcessor(codec, publisher,
                InboundProcessor.topicPatterns(List.of("rotor.commands.*")));
        InboundRecord bad = new InboundRecord(Topics.REQUESTS, 0, 7, REF.asString(), Map.of(), "null".getBytes());

        secondary.process(bad, rejectEverything).toCompletableFuture().get();

        assertThat(publisher.deadLetters).isEmpty();
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void anUnacknowledgedAnswerFailsTheStage() {
        publisher.failWith = new IllegalStateException("broker down");

        assertThatThrownBy(() -> processor.process(record(request("req-3")), rejectEverything).toCompletableFuture().get())
                .hasRootCauseMessage("broker down");
    }

    private RotorEvent request(String id) {
        return new RotationRequested(id, REF, "test", false, "user:test", ConflictPolicy.COALESCE);
    }

    private InboundRecord record(RotorEvent event) {
        EncodedEvent e = codec.encode(event);
        Map<String, byte[]> headers = new LinkedHashMap<>();
        e.headers().forEach((k, v) -> headers.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return new InboundRecord(e.topic(), 0, 1, e.key(), headers, e.data());
    }
}
