package io.rotor.contracts.envelope;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.rotor.contracts.validation.ValidationException;
import io.rotor.contracts.validation.Violation;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Why Jackson refused to read a document, in Rotor's words: the one translation both the event codec (records from
 * Kafka) and {@link StrictJson} (Custom Resources, REST bodies) use, so that the same mistake reads the same wherever
 * it is made. Jackson's own messages quote the offending input, which may be a secret; these never do: they name the
 * field by its path and the rule it breaks.
 *
 * @param kind       whether the document is not JSON Rotor reads at all, or JSON whose fields are wrong
 * @param violations what is wrong, by path; a malformed document has one, for the document as a whole
 */
public record JsonRefusal(Kind kind, List<Violation> violations) {

    /** The reasons, pinned by {@code JsonRefusalTest}: clients and operators read them. */
    static final String NOT_WELL_FORMED = "is not well-formed JSON";
    static final String BEYOND_LIMITS = "exceeds Rotor's JSON limits (nesting depth " + EventJson.MAX_NESTING_DEPTH
            + ", numbers of " + EventJson.MAX_NUMBER_LENGTH + " digits)";
    static final String UNKNOWN_FIELD = "is not a known field";
    static final String WRONG_TYPE = "has the wrong type";
    static final String OUT_OF_RANGE = "is out of range";
    static final String UNREADABLE = "could not be read";

    public enum Kind {
        /** Not JSON, or JSON beyond Rotor's limits: nothing in it can be trusted to have a field. */
        MALFORMED,
        /** Well-formed JSON whose fields do not fit the type. */
        INVALID_FIELDS
    }

    public JsonRefusal {
        Objects.requireNonNull(kind, "kind");
        violations = List.copyOf(violations);
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("a refusal needs at least one violation");
        }
    }

    public static JsonRefusal of(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            return malformed(BEYOND_LIMITS);
        }
        if (!(e instanceof JsonMappingException m)) {
            // A parse error: the line helps to find it, the column would quote nothing but is noise.
            return malformed(NOT_WELL_FORMED + (e.getLocation() == null || e.getLocation().getLineNr() < 1 ? ""
                    : " (line " + e.getLocation().getLineNr() + ")"));
        }
        String at = path(m);
        if (m.getCause() instanceof StreamConstraintsException) {
            return malformed(BEYOND_LIMITS);
        }
        if (m instanceof ValueInstantiationException && m.getCause() instanceof ValidationException inner) {
            // The type's own rules, checked in its constructor: already Rotor's words, relative to the value.
            return new JsonRefusal(Kind.INVALID_FIELDS, inner.violations().stream().map(v -> v.under(at)).toList());
        }
        if (m instanceof UnrecognizedPropertyException) {
            return field(at, UNKNOWN_FIELD);
        }
        if (m.getCause() instanceof InputCoercionException) {
            return field(at, OUT_OF_RANGE);
        }
        if (m instanceof InvalidFormatException f && f.getTargetType() != null && f.getTargetType().isEnum()) {
            return field(at, "must be one of " + enumValues(f.getTargetType()));
        }
        if (m instanceof MismatchedInputException mi) {
            Class<?> target = mi.getTargetType();
            return field(at, WRONG_TYPE + (target == null ? "" : "; expected " + expected(target)));
        }
        return field(at, UNREADABLE);
    }

    /** The reasons as one line, for a log or a message that has room for no list. */
    public String summary() {
        return violations.stream().map(Violation::toString).reduce((a, b) -> a + "; " + b).orElseThrow();
    }

    private static JsonRefusal malformed(String reason) {
        return new JsonRefusal(Kind.MALFORMED, List.of(new Violation("", reason)));
    }

    private static JsonRefusal field(String at, String reason) {
        return new JsonRefusal(Kind.INVALID_FIELDS, List.of(new Violation(at, reason)));
    }

    /** Jackson's path as {@code a.b[0].c}, without the values that Jackson's own messages quote. */
    static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String enumValues(Class<?> enumType) {
        return Arrays.stream(enumType.getEnumConstants()).map(c -> {
            try {
                JsonProperty p = enumType.getField(((Enum<?>) c).name()).getAnnotation(JsonProperty.class);
                return p != null ? p.value() : ((Enum<?>) c).name();
            } catch (NoSuchFieldException ex) {
                return ((Enum<?>) c).name();
            }
        }).toList().toString();
    }

    private static String expected(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (type.isEnum()) {
            return "one of " + enumValues(type);
        }
        return "an object";
    }
}
