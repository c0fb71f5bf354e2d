package io.rotor.contracts.envelope;

/**
 * CloudEvents 1.0 Kafka protocol binding, binary mode: attributes travel as {@code ce_}-prefixed headers and the data
 * is the record value. Rotor's extension {@code rotorrotationid} carries the rotation id so dashboards and consumers
 * can route without parsing the body.
 */
public final class CloudEventHeaders {

    public static final String SPEC_VERSION_VALUE = "1.0";
    public static final String JSON = "application/json";

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String SUBJECT = "ce_subject";
    public static final String TIME = "ce_time";
    public static final String CONTENT_TYPE = "content-type";
    public static final String ROTATION_ID = "ce_rotorrotationid";
    /** W3C trace context, carried through so a rotation is one trace across services. */
    public static final String TRACEPARENT = "traceparent";

    /** Set on records in {@code rotor.dlq}: why the record was refused, and where it came from. */
    public static final String DLQ_REASON = "rotor-dlq-reason";
    public static final String DLQ_DETAIL = "rotor-dlq-detail";
    public static final String DLQ_TOPIC = "rotor-dlq-topic";
    public static final String DLQ_PARTITION = "rotor-dlq-partition";
    public static final String DLQ_OFFSET = "rotor-dlq-offset";
    /** The service that refused the record (one copy per refusing service). */
    public static final String DLQ_SERVICE = "rotor-dlq-service";

    private CloudEventHeaders() {
    }
}
