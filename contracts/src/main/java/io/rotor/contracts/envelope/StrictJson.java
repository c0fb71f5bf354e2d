package io.rotor.contracts.envelope;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.rotor.contracts.validation.Validatable;
import io.rotor.contracts.validation.ValidationException;
import io.rotor.contracts.validation.Validator;
import io.rotor.contracts.validation.Violation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads input from outside Rotor's event log (a ManagedCredential's spec, a REST body) with the same strict rules as
 * the codec, and explains refusals as {@link Violation}s by path. Jackson's own messages quote the offending input,
 * which may be a secret; these never do.
 */
public final class StrictJson {

    private final ObjectMapper mapper = EventJson.newMapper();

    public ObjectMapper mapper() {
        return mapper;
    }

    /**
     * @param root the path to put in front of every violation, such as {@code spec}
     * @throws ValidationException listing what does not read or validate
     */
    public <T extends Validatable> T read(JsonNode node, Class<T> type, String root) {
        T value;
        try {
            value = mapper.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new ValidationException(List.of(violation(e).under(root)));
        } catch (IllegalArgumentException e) {
            throw new ValidationException(List.of(new Violation(root, "could not be read")));
        }
        if (value == null) {
            throw ValidationException.of(root, "is required");
        }
        Validator v = Validator.root();
        value.validate(v.nested(root));
        v.throwIfInvalid();
        return value;
    }

    public <T extends Validatable> T read(byte[] json, Class<T> type) {
        JsonNode node;
        try {
            node = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw ValidationException.of("", "is not well-formed JSON (line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")");
        } catch (IOException e) {
            throw ValidationException.of("", "could not be read");
        }
        if (node == null || node.isMissingNode() || node.isNull()) {
            throw ValidationException.of("", "a JSON object is required");
        }
        return read(node, type, "");
    }

    private static Violation violation(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException m)) {
            return new Violation("", "is not well-formed JSON");
        }
        String at = path(m);
        if (m instanceof ValueInstantiationException && m.getCause() instanceof ValidationException inner) {
            List<Violation> all = new ArrayList<>(inner.violations().stream().map(x -> x.under(at)).toList());
            return all.size() == 1 ? all.get(0)
                    : new Violation(at, all.stream().map(Violation::toString).reduce((a, b) -> a + "; " + b).orElse(""));
        }
        if (m instanceof UnrecognizedPropertyException) {
            return new Violation(at, "is not a known field");
        }
        if (m instanceof InvalidFormatException f && f.getTargetType() != null && f.getTargetType().isEnum()) {
            return new Violation(at, "must be one of " + enumValues(f.getTargetType()));
        }
        if (m instanceof MismatchedInputException mi) {
            return new Violation(at, "has the wrong type" + (mi.getTargetType() == null ? ""
                    : "; expected " + simpleName(mi.getTargetType())));
        }
        return new Violation(at, "could not be read");
    }

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

    private static String simpleName(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type.isEnum()) {
            return "one of " + enumValues(type);
        }
        return "an object";
    }
}
