package io.rotor.contracts.envelope;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rotor.contracts.event.EventType;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.validation.ValidationException;
import io.rotor.contracts.validation.Validator;
import io.rotor.contracts.validation.Violation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Turns events into CloudEvents 1.0 Kafka records in binary mode and back. Decoding is where Rotor meets the outside
 * world, so it checks everything and explains refusals by field and rule; encoding checks that Rotor itself never
 * writes an invalid, oversized or plain-secret record.
 */
public final class CloudEventCodec {

    /** The largest record (key, headers and data) Rotor reads or writes. */
    public static final int MAX_RECORD_BYTES = 64 * 1024;

    private final ObjectMapper mapper;
    private final String source;
    private final Clock clock;
    private final Supplier<String> ids;

    /**
     * @param source the CloudEvents source of events this codec writes, such as {@code /rotor/orchestrator}
     */
    public CloudEventCodec(String source) {
        this(source, Clock.systemUTC(), () -> UUID.randomUUID().toString());
    }

    public CloudEventCodec(String source, Clock clock, Supplier<String> ids) {
        this.mapper = EventJson.newMapper();
        this.source = Objects.requireNonNull(source, "source");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public EncodedEvent encode(RotorEvent event) {
        return encode(event, null);
    }

    /**
     * @param traceparent W3C trace context to carry along, or null
     * @throws ValidationException   if the event is invalid (a bug in the caller, not bad input)
     * @throws IllegalStateException if the event would carry a plain secret or exceed {@link #MAX_RECORD_BYTES}
     */
    public EncodedEvent encode(RotorEvent event, String traceparent) {
        Validator.requireValid(event);
        EventType type = event.eventType();
        byte[] data;
        try {
            data = mapper.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            // The only way this happens with Rotor's types is a SecretValue reached the writer unsealed.
            throw new IllegalStateException("refusing to write " + type.ceType() + ": " + e.getOriginalMessage());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
        headers.put(CloudEventHeaders.ID, ids.get());
        headers.put(CloudEventHeaders.SOURCE, source);
        headers.put(CloudEventHeaders.TYPE, type.ceType());
        headers.put(CloudEventHeaders.SUBJECT, event.credential().asString());
        headers.put(CloudEventHeaders.TIME, Instant.now(clock).toString());
        headers.put(CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        if (event.rotationId() != null) {
            headers.put(CloudEventHeaders.ROTATION_ID, event.rotationId());
        }
        if (traceparent != null) {
            headers.put(CloudEventHeaders.TRACEPARENT, traceparent);
        }
        String key = event.credential().asString();
        int size = sizeOf(key, headers, data);
        if (size > MAX_RECORD_BYTES) {
            throw new IllegalStateException("refusing to write " + type.ceType() + " of " + size
                    + " bytes; records are limited to " + MAX_RECORD_BYTES);
        }
        return new EncodedEvent(type.topic(event), key, headers, data);
    }

    /**
     * Reads one record.
     *
     * @param topic   the topic it came from, checked against the event type (null skips the check)
     * @param key     the record key, which must be the credential ref
     * @param headers the record headers; the last value of a repeated header wins, as Kafka's lastHeader does
     * @throws RejectedRecord with the reason and every violation found
     */
    public DecodedEvent decode(String topic, String key, Map<String, byte[]> headers, byte[] data) {
        Map<String, String> h = new LinkedHashMap<>();
        headers.forEach((name, value) -> h.put(name, value == null ? null : new String(value, StandardCharsets.UTF_8)));
        int size = sizeOf(key, h, data);
        if (size > MAX_RECORD_BYTES) {
            throw new RejectedRecord(RejectedRecord.Reason.OVERSIZED,
                    "record of " + size + " bytes exceeds the limit of " + MAX_RECORD_BYTES);
        }
        String specVersion = h.get(CloudEventHeaders.SPEC_VERSION);
        if (specVersion == null) {
            throw new RejectedRecord(RejectedRecord.Reason.NOT_A_CLOUDEVENT,
                    "no ce_specversion header: records must be CloudEvents 1.0 in Kafka binary mode");
        }
        if (!CloudEventHeaders.SPEC_VERSION_VALUE.equals(specVersion)) {
            throw new RejectedRecord(RejectedRecord.Reason.UNSUPPORTED_SPEC_VERSION,
                    "ce_specversion must be 1.0");
        }
        List<Violation> missing = new ArrayList<>();
        for (String required : List.of(CloudEventHeaders.ID, CloudEventHeaders.SOURCE, CloudEventHeaders.TYPE,
                CloudEventHeaders.SUBJECT)) {
            String value = h.get(required);
            if (value == null || value.isBlank()) {
                missing.add(new Violation(required, "is required"));
            }
        }
        if (!missing.isEmpty()) {
            throw new RejectedRecord(RejectedRecord.Reason.NOT_A_CLOUDEVENT, "missing CloudEvents attributes", missing);
        }
        String ceType = h.get(CloudEventHeaders.TYPE);
        EventType type = EventType.fromCeType(ceType).orElseThrow(() -> new RejectedRecord(
                RejectedRecord.Reason.UNKNOWN_TYPE, "ce_type is not one of Rotor's event types (" + Arrays
                        .stream(EventType.values()).map(EventType::ceType).collect(Collectors.joining(", ")) + ")"));
        if (topic != null && !type.publishedOn(topic)) {
            throw new RejectedRecord(RejectedRecord.Reason.WRONG_TOPIC,
                    type.ceType() + " does not belong on topic " + topic);
        }
        String contentType = h.get(CloudEventHeaders.CONTENT_TYPE);
        if (contentType == null || !contentType.split(";")[0].trim().equalsIgnoreCase(CloudEventHeaders.JSON)) {
            throw new RejectedRecord(RejectedRecord.Reason.UNSUPPORTED_CONTENT_TYPE,
                    "content-type must be application/json");
        }
        Instant time = parseTime(h.get(CloudEventHeaders.TIME));
        if (data == null || data.length == 0) {
            throw new RejectedRecord(RejectedRecord.Reason.MALFORMED_JSON, "the record has no data");
        }
        RotorEvent event = read(type, data);
        Validator v = Validator.root();
        try {
            event.validate(v);
        } catch (RuntimeException e) {
            // A shape no rule foresaw (a null where every rule expects a value): refuse it, never crash the consumer.
            throw new RejectedRecord(RejectedRecord.Reason.INVALID_FIELDS, "invalid " + type.ceType()
                    + ": the data could not be checked (" + e.getClass().getSimpleName() + ")");
        }
        if (!v.isValid()) {
            throw new RejectedRecord(RejectedRecord.Reason.INVALID_FIELDS, "invalid " + type.ceType(), v.violations());
        }
        if (topic != null && !type.topic(event).equals(topic)) {
            // Steps and commands: which topic is right depends on what the event says (its step and platform). Read
            // anywhere else, it was not said by the one service entitled to say it.
            throw new RejectedRecord(RejectedRecord.Reason.WRONG_TOPIC, type.ceType() + " of this kind belongs on "
                    + type.topic(event) + ", not " + topic + ": only its producer may write it");
        }
        String subject = h.get(CloudEventHeaders.SUBJECT);
        String ref = event.credential().asString();
        if (!ref.equals(subject)) {
            throw new RejectedRecord(RejectedRecord.Reason.KEY_MISMATCH,
                    "ce_subject must be the credential ref the data names (" + ref + ")");
        }
        if (!ref.equals(key)) {
            throw new RejectedRecord(RejectedRecord.Reason.KEY_MISMATCH,
                    "the record key must be the credential ref (" + ref + "), which keeps one credential's records in order");
        }
        String rotationHeader = h.get(CloudEventHeaders.ROTATION_ID);
        if (rotationHeader != null && !rotationHeader.equals(event.rotationId())) {
            throw new RejectedRecord(RejectedRecord.Reason.INVALID_FIELDS,
                    "ce_rotorrotationid differs from the data's rotationId");
        }
        return new DecodedEvent(h.get(CloudEventHeaders.ID), h.get(CloudEventHeaders.SOURCE), time, type, event,
                h.get(CloudEventHeaders.TRACEPARENT));
    }

    private RotorEvent read(EventType type, byte[] data) {
        try {
            RotorEvent event = mapper.readValue(data, type.javaType());
            if (event == null) {
                throw new RejectedRecord(RejectedRecord.Reason.INVALID_FIELDS, "invalid " + type.ceType()
                        + ": the data is JSON null; an object is required");
            }
            return event;
        } catch (JsonProcessingException e) {
            JsonRefusal refusal = JsonRefusal.of(e);
            if (refusal.kind() == JsonRefusal.Kind.MALFORMED) {
                throw new RejectedRecord(RejectedRecord.Reason.MALFORMED_JSON, "the data " + refusal.summary());
            }
            throw new RejectedRecord(RejectedRecord.Reason.INVALID_FIELDS, "invalid " + type.ceType(),
                    refusal.violations());
        } catch (IOException e) {
            throw new RejectedRecord(RejectedRecord.Reason.MALFORMED_JSON, "the data could not be read");
        } catch (RejectedRecord e) {
            throw e;
        } catch (RuntimeException e) {
            // Jackson or a record constructor failing in a way no rule above names; the message is not passed on
            // because it may quote the value.
            throw new RejectedRecord(RejectedRecord.Reason.INVALID_FIELDS, "invalid " + type.ceType()
                    + ": the data could not be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static Instant parseTime(String time) {
        if (time == null) {
            return null;
        }
        try {
            return Instant.parse(time);
        } catch (DateTimeParseException e) {
            throw new RejectedRecord(RejectedRecord.Reason.NOT_A_CLOUDEVENT,
                    "ce_time must be an RFC 3339 timestamp such as 2026-01-31T12:00:00Z");
        }
    }

    static int sizeOf(String key, Map<String, String> headers, byte[] data) {
        int size = key == null ? 0 : key.getBytes(StandardCharsets.UTF_8).length;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            size += header.getKey().length();
            size += header.getValue() == null ? 0 : header.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        return size + (data == null ? 0 : data.length);
    }
}
