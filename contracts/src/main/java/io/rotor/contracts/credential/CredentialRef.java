package io.rotor.contracts.credential;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.rotor.contracts.validation.ValidationException;
import io.rotor.contracts.validation.Validator;

/**
 * Names one ManagedCredential as {@code namespace/name}. It is the Kafka record key on every topic, which gives each
 * credential its own ordering, so it must be canonical: no whitespace, no case variants.
 */
public record CredentialRef(String namespace, String name) {

    public CredentialRef {
        Validator v = Validator.root();
        v.required("namespace", namespace);
        v.required("name", name);
        v.dns1123Label("namespace", namespace);
        v.dns1123Subdomain("name", name);
        v.throwIfInvalid();
    }

    /**
     * Parses {@code namespace/name}. Violations are relative to the ref ({@code namespace}, {@code name}, or empty for
     * its shape), so whoever reads it from a field can put the field's path in front; the value is never echoed.
     */
    @JsonCreator
    public static CredentialRef parse(String ref) {
        if (ref == null || ref.isBlank()) {
            throw ValidationException.of("", "is required, as namespace/name");
        }
        if (ref.length() > Validator.DNS_1123_LABEL_MAX + 1 + Validator.DNS_1123_SUBDOMAIN_MAX) {
            throw ValidationException.of("", "is too long to be namespace/name");
        }
        int slash = ref.indexOf('/');
        if (slash < 0 || slash != ref.lastIndexOf('/')) {
            throw ValidationException.of("", "must be namespace/name with exactly one '/'");
        }
        return new CredentialRef(ref.substring(0, slash), ref.substring(slash + 1));
    }

    @JsonValue
    public String asString() {
        return namespace + "/" + name;
    }

    @Override
    public String toString() {
        return asString();
    }
}
