package io.rotor.contracts.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotor.contracts.event.EventType;
import io.rotor.contracts.event.OperatorConfirmation;
import io.rotor.contracts.event.RotationRequested;
import io.rotor.contracts.event.RotationStarted;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.event.Topics;
import io.rotor.contracts.fixtures.SampleEvents;
import io.rotor.contracts.fixtures.Samples;
import io.rotor.contracts.saga.Step;
import io.rotor.contracts.validation.Violation;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CloudEventCodecTest {

    private static final String REF = "redis/rec-admin";
    private final AtomicInteger ids = new AtomicInteger();
    private final CloudEventCodec codec = new CloudEventCodec("/rotor/test",
            Clock.fixed(Instant.parse("2026-11-22T10:15:30Z"), ZoneOffset.UTC), () -> "id-" + ids.incrementAndGet());
    private final SampleEvents samples = new SampleEvents();

    @Test
    void theSamplesCoverEveryWritableEventType() {
        EnumSet<EventType> expected = EnumSet.allOf(EventType.class);
        expected.remove(EventType.OPERATOR_CONFIRMATION);
        assertThat(samples.writable().keySet()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @ParameterizedTest
    @EnumSource(value = EventType.class, mode = EnumSource.Mode.EXCLUDE, names = "OPERATOR_CONFIRMATION")
    void everyEventRoundTripsInBinaryMode(EventType type) {
        RotorEvent event = samples.writable().get(type);

        EncodedEvent encoded = codec.encode(event, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        assertThat(encoded.key()).isEqualTo(REF);
        assertThat(encoded.topic()).isEqualTo(type == EventType.ROTATE_CREDENTIAL ? Topics.COMMANDS_REDIS
                : type == EventType.ROTATION_REQUESTED || type == EventType.CANCEL_ROTATION
                        || type == EventType.OPERATOR_CONFIRMATION_SEALED ? Topics.REQUESTS
                // The samples are Redis Enterprise PLATFORM_UPDATED steps: the Redis rotator's own topic.
                : type == EventType.STEP_COMPLETED || type == EventType.STEP_FAILED ? "rotor.steps.redis"
                : Topics.EVENTS);
        assertThat(encoded.headers()).containsEntry("ce_specversion", "1.0")
                .containsEntry("ce_type", type.ceType())
                .containsEntry("ce_subject", REF)
                .containsEntry("ce_source", "/rotor/test")
                .containsEntry("ce_time", "2026-11-22T10:15:30Z")
                .containsEntry("content-type", "application/json")
                .containsKey("ce_id");
        if (event.rotationId() != null) {
            assertThat(encoded.headers()).containsEntry("ce_rotorrotationid", event.rotationId());
        }
        DecodedEvent decoded = codec.decode(encoded.topic(), encoded.key(), bytes(encoded.headers()), encoded.data());
        assertThat(decoded.event()).isEqualTo(event);
        assertThat(decoded.type()).isEqualTo(type);
        assertThat(decoded.time()).isEqualTo(Instant.parse("2026-11-22T10:15:30Z"));
        assertThat(decoded.traceparent()).startsWith("00-0af7");
    }

    @Test
    void noPlainSecretReachesTheWire() {
        for (RotorEvent event : samples.writable().values()) {
            String data = new String(codec.encode(event).data(), StandardCharsets.UTF_8);
            assertThat(data).doesNotContain(SampleEvents.PLAIN_NEW).doesNotContain(SampleEvents.PLAIN_OLD);
        }
    }

    @Test
    void anUnsealedSecretCannotBeWritten() {
        OperatorConfirmation confirmation = samples.confirmation();

        assertThatThrownBy(() -> codec.encode(confirmation))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot be written in plain form")
                .hasMessageNotContaining(SampleEvents.PLAIN_NEW);
    }

    @Test
    void anOperatorConfirmationCanBeReadAtTheDoor() {
        String json = "{\"requestId\":\"req-9\",\"rotationId\":\"" + SampleEvents.ROTATION + "\",\"credential\":\""
                + REF + "\",\"password\":\"typed-by-operator\",\"confirmedBy\":\"user:carol\"}";

        DecodedEvent decoded = decode(Topics.REQUESTS, REF, headers(EventType.OPERATOR_CONFIRMATION.ceType()), json);

        OperatorConfirmation confirmation = (OperatorConfirmation) decoded.event();
        assertThat(confirmation.password().reveal()).isEqualTo("typed-by-operator");
        assertThat(confirmation.toString()).doesNotContain("typed-by-operator");
    }

    @Test
    void aSealedConfirmationWithoutTheSealedPasswordIsRefused() {
        String json = "{\"requestId\":\"req-9\",\"rotationId\":\"" + SampleEvents.ROTATION + "\",\"credential\":\""
                + REF + "\",\"material\":{},\"confirmedBy\":\"user:carol\"}";

        RejectedRecord r = assertRejected(Topics.REQUESTS, REF, headers(EventType.OPERATOR_CONFIRMATION_SEALED.ceType()),
                json, RejectedRecord.Reason.INVALID_FIELDS, "");
        assertThat(r.violations()).anySatisfy(v -> assertThat(v.field()).isEqualTo("material"));
    }

    @Test
    void aCancellationWrittenBeforeItCarriedARequestIdStillReads() {
        String json = "{\"rotationId\":\"" + SampleEvents.ROTATION + "\",\"credential\":\"" + REF
                + "\",\"reason\":\"superseded\",\"cancelledBy\":\"orchestrator\"}";

        DecodedEvent decoded = decode(Topics.EVENTS, REF, headers(EventType.ROTATION_CANCELLED.ceType()), json);

        assertThat(((io.rotor.contracts.event.RotationCancelled) decoded.event()).requestId()).isNull();
    }

    @Test
    void oversizedRecordsAreRefusedBeforeParsing() {
        String json = "{\"pad\":\"" + "x".repeat(CloudEventCodec.MAX_RECORD_BYTES) + "\"}";

        assertRejected(Topics.REQUESTS, REF, headers(EventType.ROTATION_REQUESTED.ceType()), json,
                RejectedRecord.Reason.OVERSIZED, "exceeds the limit of 65536");
    }

    @Test
    void recordsThatAreNotCloudEventsAreRefused() {
        Map<String, String> h = headers(EventType.ROTATION_REQUESTED.ceType());
        h.remove("ce_specversion");
        assertRejected(Topics.REQUESTS, REF, h, request(), RejectedRecord.Reason.NOT_A_CLOUDEVENT, "no ce_specversion");

        h = headers(EventType.ROTATION_REQUESTED.ceType());
        h.put("ce_specversion", "0.3");
        assertRejected(Topics.REQUESTS, REF, h, request(), RejectedRecord.Reason.UNSUPPORTED_SPEC_VERSION, "1.0");

        h = headers(EventType.ROTATION_REQUESTED.ceType());
        h.remove("ce_id");
        h.remove("ce_source");
        RejectedRecord r = assertRejected(Topics.REQUESTS, REF, h, request(), RejectedRecord.Reason.NOT_A_CLOUDEVENT,
                "missing");
        assertThat(r.violations()).extracting(Violation::field).containsExactly("ce_id", "ce_source");

        h = headers(EventType.ROTATION_REQUESTED.ceType());
        h.put("ce_time", "yesterday");
        assertRejected(Topics.REQUESTS, REF, h, request(), RejectedRecord.Reason.NOT_A_CLOUDEVENT, "RFC 3339");
    }

    @Test
    void unknownTypesWrongTopicsAndContentTypesAreRefused() {
        assertRejected(Topics.REQUESTS, REF, headers("io.rotor.rotation.requested.v9"), request(),
                RejectedRecord.Reason.UNKNOWN_TYPE, "io.rotor.rotation.requested.v1");
        assertRejected(Topics.EVENTS, REF, headers(EventType.ROTATION_REQUESTED.ceType()), request(),
                RejectedRecord.Reason.WRONG_TOPIC, "does not belong on topic rotor.events");
        Map<String, String> h = headers(EventType.ROTATION_REQUESTED.ceType());
        h.put("content-type", "text/plain");
        assertRejected(Topics.REQUESTS, REF, h, request(), RejectedRecord.Reason.UNSUPPORTED_CONTENT_TYPE,
                "application/json");
        h.put("content-type", "application/json; charset=utf-8");
        assertThat(decode(Topics.REQUESTS, REF, h, request()).event()).isInstanceOf(RotationRequested.class);
    }

    @Test
    void aStepIsReadOnlyFromTheTopicOfTheServiceEntitledToReportIt() {
        EncodedEvent platformUpdated = codec.encode(samples.writable().get(EventType.STEP_COMPLETED));
        EncodedEvent secretWritten = codec.encode(new StepCompleted(SampleEvents.ROTATION, Samples.REC_REF,
                Step.SECRET_WRITTEN, Samples.redisEnterprise(), samples.newMaterial(), null, null, null));
        EncodedEvent failed = codec.encode(samples.writable().get(EventType.STEP_FAILED));

        assertThat(secretWritten.topic()).isEqualTo("rotor.steps.secret-writer");
        // Each record decodes where its producer writes it, and nowhere else: not on another participant's topic,
        // not on the orchestrator's rotor.events, not on another platform's rotator topic.
        for (EncodedEvent e : List.of(platformUpdated, secretWritten, failed)) {
            assertThat(codec.decode(e.topic(), e.key(), bytes(e.headers()), e.data()).event()).isNotNull();
            for (String other : List.of(Topics.EVENTS, "rotor.steps.openstack", "rotor.steps.configui",
                    "rotor.steps.pod-restarter", e.topic().equals("rotor.steps.redis") ? "rotor.steps.secret-writer"
                            : "rotor.steps.redis")) {
                assertThatThrownBy(() -> codec.decode(other, e.key(), bytes(e.headers()), e.data()))
                        .isInstanceOf(RejectedRecord.class)
                        .extracting(x -> ((RejectedRecord) x).reason())
                        .isEqualTo(RejectedRecord.Reason.WRONG_TOPIC);
            }
        }
    }

    @Test
    void dataThatDecodesToNothingOrTooDeepIsRefusedNotThrown() {
        Map<String, String> h = headers(EventType.ROTATION_REQUESTED.ceType());
        assertRejected(Topics.REQUESTS, REF, h, "null", RejectedRecord.Reason.INVALID_FIELDS, "JSON null");
        assertRejected(Topics.REQUESTS, REF, h, "  null  ", RejectedRecord.Reason.INVALID_FIELDS, "JSON null");
        assertRejected(Topics.REQUESTS, REF, h, "[]", RejectedRecord.Reason.INVALID_FIELDS, "");
        assertRejected(Topics.REQUESTS, REF, h, "\"x\"", RejectedRecord.Reason.INVALID_FIELDS, "");
        assertRejected(Topics.REQUESTS, REF, h, "42", RejectedRecord.Reason.INVALID_FIELDS, "");
        for (String deep : List.of("[".repeat(20000) + "]".repeat(20000),
                "{\"requestId\":" + "[".repeat(20000) + "]".repeat(20000) + "}")) {
            assertThatThrownBy(() -> decode(Topics.REQUESTS, REF, h, deep)).isInstanceOf(RejectedRecord.class);
        }
        assertRejected(Topics.REQUESTS, REF, h, request().replace("\"dryRun\":false", "\"dryRun\":1" + "0".repeat(400)),
                RejectedRecord.Reason.MALFORMED_JSON, "");
        Map<String, String> step = headers(EventType.STEP_FAILED.ceType());
        assertRejected("rotor.steps.redis", REF, step, "{\"rotationId\":\"r\",\"credential\":\"" + REF
                + "\",\"step\":\"PLATFORM_UPDATED\",\"errorCode\":\"x\",\"message\":\"m\",\"retriable\":false,"
                + "\"attempt\":99999999999999999999,\"platform\":\"redis-enterprise\"}", RejectedRecord.Reason.INVALID_FIELDS,
                "");
        Map<String, String> started = headers(EventType.ROTATION_STARTED.ceType());
        assertRejected(Topics.EVENTS, REF, started, "{\"rotationId\":\"r\",\"credential\":\"" + REF
                + "\",\"spec\":null,\"material\":{\"password\":null}}", RejectedRecord.Reason.INVALID_FIELDS, "");
    }

    @Test
    void aSpecDigestMustMatchTheSpecItIsCarriedWith() {
        RotationStarted started = (RotationStarted) samples.writable().get(EventType.ROTATION_STARTED);
        RotationStarted forged = new RotationStarted(started.rotationId(), started.credential(), started.requestId(),
                started.requestedBy(), started.reason(), Samples.redisAcl(), started.material(),
                started.generation(), started.specDigest());

        assertThatThrownBy(() -> codec.encode(forged)).hasMessageContaining("specDigest: does not match spec");
    }

    @Test
    void malformedJsonIsRefused() {
        assertRejected(Topics.REQUESTS, REF, headers(EventType.ROTATION_REQUESTED.ceType()), "{\"requestId\": ",
                RejectedRecord.Reason.MALFORMED_JSON, "not well-formed JSON");
        assertRejected(Topics.REQUESTS, REF, headers(EventType.ROTATION_REQUESTED.ceType()), request() + " {}",
                RejectedRecord.Reason.INVALID_FIELDS, "");
        assertRejected(Topics.REQUESTS, REF, headers(EventType.ROTATION_REQUESTED.ceType()), "",
                RejectedRecord.Reason.MALFORMED_JSON, "no data");
    }

    @Test
    void fieldErrorsNameTheFieldAndTheRuleButNeverTheValue() {
        String secretish = "hunter2-should-not-echo";
        assertField(request().replace("\"requestedBy\":\"user:alice\"",
                "\"requestedBy\":\"user:alice\",\"password\":\"" + secretish + "\""), "password", "is not a known field");
        assertField(request().replace("\"dryRun\":false", "\"dryRun\":\"" + secretish + "\""), "dryRun",
                "has the wrong type; expected true or false");
        assertField(request().replace("\"onConflict\":\"COALESCE\"", "\"onConflict\":\"" + secretish + "\""),
                "onConflict", "must be one of [COALESCE, REJECT]");
        assertField(request().replace("\"requestId\":\"req-1\",", ""), "requestId", "is required");
        assertField(request().replace("\"reason\":\"quarterly\"", "\"reason\":\"" + secretish.repeat(100) + "\""),
                "reason", "at most 1024 are allowed");
        assertField(request().replace(REF, "Redis/" + secretish + "_"), "credential.namespace",
                "must be a DNS-1123 label");
    }

    @Test
    void theKeyAndSubjectMustBeTheCredential() {
        assertRejected(Topics.REQUESTS, "other/credential", headers(EventType.ROTATION_REQUESTED.ceType()), request(),
                RejectedRecord.Reason.KEY_MISMATCH, "record key must be the credential ref");
        Map<String, String> h = headers(EventType.ROTATION_REQUESTED.ceType());
        h.put("ce_subject", "other/credential");
        assertRejected(Topics.REQUESTS, REF, h, request(), RejectedRecord.Reason.KEY_MISMATCH, "ce_subject");
    }

    @Test
    void eventsWithoutTheirSealedValueAreRefused() {
        StepCompleted withoutMaterial = new StepCompleted(SampleEvents.ROTATION, Samples.REC_REF, Step.PLATFORM_UPDATED,
                Samples.redisEnterprise(), Map.of(), Map.of(), null, null);

        assertThatThrownBy(() -> codec.encode(withoutMaterial)).hasMessageContaining("material: must hold at least one");
    }

    @Test
    void rotorNeverWritesAnOversizedRecord() {
        Map<String, String> details = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            details.put("workload-" + i, "y".repeat(1000));
        }
        StepCompleted huge = new StepCompleted(SampleEvents.ROTATION, Samples.REC_REF, Step.SECRET_WRITTEN,
                Samples.redisEnterprise(), null, null, details, null);

        assertThatThrownBy(() -> codec.encode(huge)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("records are limited to 65536");
    }

    private void assertField(String json, String field, String reason) {
        RejectedRecord r = assertRejected(Topics.REQUESTS, json.contains("Redis/") ? json.substring(
                json.indexOf("Redis/"), json.indexOf('"', json.indexOf("Redis/"))) : REF,
                headers(EventType.ROTATION_REQUESTED.ceType()), json, RejectedRecord.Reason.INVALID_FIELDS, "");
        assertThat(r.violations()).anySatisfy(v -> {
            assertThat(v.field()).isEqualTo(field);
            assertThat(v.reason()).contains(reason);
        });
        assertThat(r.getMessage()).doesNotContain("hunter2");
    }

    private RejectedRecord assertRejected(String topic, String key, Map<String, String> headers, String json,
            RejectedRecord.Reason reason, String text) {
        try {
            decode(topic, key, headers, json);
        } catch (RejectedRecord r) {
            assertThat(r.reason()).as(r.getMessage()).isEqualTo(reason);
            assertThat(r.getMessage()).contains(text);
            return r;
        }
        throw new AssertionError("expected the record to be rejected with " + reason);
    }

    private DecodedEvent decode(String topic, String key, Map<String, String> headers, String json) {
        return codec.decode(topic, key, bytes(headers), json.getBytes(StandardCharsets.UTF_8));
    }

    private static String request() {
        return "{\"requestId\":\"req-1\",\"credential\":\"" + REF + "\",\"reason\":\"quarterly\",\"dryRun\":false,"
                + "\"requestedBy\":\"user:alice\",\"onConflict\":\"COALESCE\"}";
    }

    private static Map<String, String> headers(String type) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("ce_specversion", "1.0");
        h.put("ce_id", "abc-1");
        h.put("ce_source", "/users/alice");
        h.put("ce_type", type);
        h.put("ce_subject", REF);
        h.put("ce_time", "2026-11-22T10:00:00Z");
        h.put("content-type", "application/json");
        return h;
    }

    private static Map<String, byte[]> bytes(Map<String, String> headers) {
        Map<String, byte[]> b = new LinkedHashMap<>();
        headers.forEach((k, v) -> b.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return b;
    }
}
