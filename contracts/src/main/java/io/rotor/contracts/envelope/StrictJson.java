package io.rotor.contracts.envelope;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rotor.contracts.validation.Validatable;
import io.rotor.contracts.validation.ValidationException;
import io.rotor.contracts.validation.Validator;
import io.rotor.contracts.validation.Violation;
import java.io.IOException;
import java.util.List;

/**
 * Reads input from outside Rotor's event log (a ManagedCredential's spec, a REST body) with the same strict rules as
 * the codec, and explains refusals as {@link Violation}s by path, in the same words ({@link JsonRefusal}). Jackson's
 * own messages quote the offending input, which may be a secret; these never do.
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
            throw new ValidationException(JsonRefusal.of(e).violations().stream().map(v -> v.under(root)).toList());
        } catch (IllegalArgumentException e) {
            throw new ValidationException(List.of(new Violation(root, JsonRefusal.UNREADABLE)));
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
            throw new ValidationException(JsonRefusal.of(e).violations());
        } catch (IOException e) {
            throw ValidationException.of("", JsonRefusal.UNREADABLE);
        }
        if (node == null || node.isMissingNode() || node.isNull()) {
            throw ValidationException.of("", "a JSON object is required");
        }
        return read(node, type, "");
    }
}
