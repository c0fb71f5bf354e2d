package io.rotor.contracts.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.rotor.contracts.event.EventType;
import io.rotor.contracts.event.RotationRequested;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.StepFailed;
import io.rotor.contracts.event.Topics;
import io.rotor.contracts.validation.ValidationException;
import io.rotor.contracts.validation.Violation;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins the words a refused document is explained in, and that both readers use them: the event codec (records from
 * Kafka) and {@link StrictJson} (Custom Resources and REST bodies).
 */
class JsonRefusalTest {

    private static final String REF = "redis/rec-admin";
    private static final String SECRETISH = "hunter2-should-not-echo";

    private final CloudEventCodec codec = new CloudEventCodec("/rotor/test");
    private final StrictJson strict = new StrictJson();

    /**
     * @param streamed whether reading the record as a stream (the codec) meets the same fault; reading a tree (StrictJson)
     *                 always parses the whole document first
     */
    record Case(String name, Class<? extends RotorEvent> type, String json, JsonRefusal.Kind kind, String field,
            String reason, boolean streamed) {

        Case(String name, Class<? extends RotorEvent> type, String json, JsonRefusal.Kind kind, String field,
                String reason) {
            this(name, type, json, kind, field, reason, true);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("an unknown field", RotationRequested.class,
                        request().replace("\"dryRun\":false", "\"dryRun\":false,\"password\":\"" + SECRETISH + "\""),
                        JsonRefusal.Kind.INVALID_FIELDS, "password", "is not a known field"),
                new Case("a string where true or false belongs", RotationRequested.class,
                        request().replace("\"dryRun\":false", "\"dryRun\":\"" + SECRETISH + "\""),
                        JsonRefusal.Kind.INVALID_FIELDS, "dryRun", "has the wrong type; expected true or false"),
                new Case("an object where a string belongs", RotationRequested.class,
                        request().replace("\"reason\":\"quarterly\"", "\"reason\":{\"x\":\"" + SECRETISH + "\"}"),
                        JsonRefusal.Kind.INVALID_FIELDS, "reason", "has the wrong type; expected a string"),
                new Case("a value outside an enumeration", RotationRequested.class,
                        request().replace("\"onConflict\":\"COALESCE\"", "\"onConflict\":\"" + SECRETISH + "\""),
                        JsonRefusal.Kind.INVALID_FIELDS, "onConflict", "must be one of [COALESCE, REJECT]"),
                new Case("malformed JSON", RotationRequested.class, "{\"requestId\": \"" + SECRETISH + "\",\n",
                        JsonRefusal.Kind.MALFORMED, "", "is not well-formed JSON (line 2)"),
                new Case("too deep nesting", RotationRequested.class,
                        "{\"requestId\":" + "[".repeat(40) + "\"" + SECRETISH + "\"" + "]".repeat(40) + "}",
                        JsonRefusal.Kind.MALFORMED, "",
                        "exceeds Rotor's JSON limits (nesting depth 32, numbers of 64 digits)", false),
                new Case("a number longer than Rotor reads", RotationRequested.class,
                        request().replace("\"dryRun\":false", "\"dryRun\":1" + "0".repeat(400)),
                        JsonRefusal.Kind.MALFORMED, "",
                        "exceeds Rotor's JSON limits (nesting depth 32, numbers of 64 digits)"),
                new Case("a number out of range", StepFailed.class, stepFailed("99999999999999999999"),
                        JsonRefusal.Kind.INVALID_FIELDS, "attempt", "is out of range"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void jacksonsRefusalIsTranslatedIntoRotorsWordsWithoutTheValue(Case c) {
        JsonProcessingException e = catchThrowableOfType(
                () -> strict.mapper().treeToValue(strict.mapper().readTree(c.json()), c.type()),
                JsonProcessingException.class);

        JsonRefusal refusal = JsonRefusal.of(e);

        assertThat(refusal.kind()).isEqualTo(c.kind());
        assertThat(refusal.violations()).containsExactly(new Violation(c.field(), c.reason()));
        assertThat(refusal.summary()).doesNotContain("hunter2");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void theCodecRefusesARecordInTheSameWords(Case c) {
        if (!c.streamed()) {
            return; // see aRecordNestedTooDeepIsRefusedAtItsFirstWrongTurn
        }
        RejectedRecord r = catchThrowableOfType(() -> codec.decode(topicOf(c.type()), REF, headers(c.type()),
                c.json().getBytes(StandardCharsets.UTF_8)), RejectedRecord.class);

        if (c.kind() == JsonRefusal.Kind.MALFORMED) {
            assertThat(r.reason()).isEqualTo(RejectedRecord.Reason.MALFORMED_JSON);
            assertThat(r.getMessage()).isEqualTo("the data " + c.reason());
        } else {
            assertThat(r.reason()).isEqualTo(RejectedRecord.Reason.INVALID_FIELDS);
            assertThat(r.violations()).containsExactly(new Violation(c.field(), c.reason()));
        }
        assertThat(r.getMessage()).doesNotContain("hunter2");
    }

    @Test
    void aRecordNestedTooDeepIsRefusedAtItsFirstWrongTurn() {
        // The codec binds as it reads, so it stops at the first value that cannot be the field's, long before the
        // nesting limit; no Rotor event has a field that nests freely.
        String deep = "{\"requestId\":" + "[".repeat(20000) + "]".repeat(20000) + "}";

        RejectedRecord r = catchThrowableOfType(() -> codec.decode(Topics.REQUESTS, REF,
                headers(RotationRequested.class), deep.getBytes(StandardCharsets.UTF_8)), RejectedRecord.class);

        assertThat(r.reason()).isEqualTo(RejectedRecord.Reason.INVALID_FIELDS);
        assertThat(r.violations()).containsExactly(new Violation("requestId", "has the wrong type; expected a string"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void strictJsonRefusesABodyInTheSameWords(Case c) {
        ValidationException e = catchThrowableOfType(
                () -> strict.read(c.json().getBytes(StandardCharsets.UTF_8), c.type()), ValidationException.class);

        assertThat(e.violations()).containsExactly(new Violation(c.field(), c.reason()));
        assertThat(e.getMessage()).doesNotContain("hunter2");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void strictJsonPutsTheRootInFrontOfTheFieldOfATree(Case c) throws Exception {
        if (c.kind() == JsonRefusal.Kind.MALFORMED) {
            return; // not a tree at all: refused before there is one
        }
        var node = strict.mapper().readTree(c.json());

        assertThatThrownBy(() -> strict.read(node, c.type(), "spec")).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.violations()).containsExactly(new Violation("spec." + c.field(), c.reason())));
    }

    private static String request() {
        return "{\"requestId\":\"req-1\",\"credential\":\"" + REF + "\",\"reason\":\"quarterly\",\"dryRun\":false,"
                + "\"requestedBy\":\"user:alice\",\"onConflict\":\"COALESCE\"}";
    }

    private static String stepFailed(String attempt) {
        return "{\"rotationId\":\"r\",\"credential\":\"" + REF + "\",\"step\":\"PLATFORM_UPDATED\",\"errorCode\":\"x\","
                + "\"message\":\"m\",\"retriable\":false,\"attempt\":" + attempt + ",\"platform\":\"redis-enterprise\"}";
    }

    private static String topicOf(Class<? extends RotorEvent> type) {
        return type == StepFailed.class ? "rotor.steps.redis" : Topics.REQUESTS;
    }

    private static Map<String, byte[]> headers(Class<? extends RotorEvent> type) {
        EventType eventType = type == StepFailed.class ? EventType.STEP_FAILED : EventType.ROTATION_REQUESTED;
        Map<String, byte[]> h = new LinkedHashMap<>();
        for (List<String> header : List.of(List.of("ce_specversion", "1.0"), List.of("ce_id", "abc-1"),
                List.of("ce_source", "/users/alice"), List.of("ce_type", eventType.ceType()), List.of("ce_subject", REF),
                List.of("content-type", "application/json"))) {
            h.put(header.get(0), header.get(1).getBytes(StandardCharsets.UTF_8));
        }
        return h;
    }
}
