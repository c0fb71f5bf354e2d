package io.rotor.contracts.validation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Collects violations while walking an object, keeping the dotted path of the field being checked. Types that arrive
 * from outside implement {@link Validatable} and describe their rules with it.
 */
public final class Validator {

    /** DNS-1123 label: namespaces, and names that must be usable as labels. */
    public static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    /** DNS-1123 subdomain: most Kubernetes object names. */
    public static final Pattern DNS_1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    public static final int DNS_1123_LABEL_MAX = 63;
    public static final int DNS_1123_SUBDOMAIN_MAX = 253;

    private final String prefix;
    private final List<Violation> sink;

    private Validator(String prefix, List<Violation> sink) {
        this.prefix = prefix;
        this.sink = sink;
    }

    public static Validator root() {
        return new Validator("", new ArrayList<>());
    }

    /** Validates {@code value} and throws a {@link ValidationException} listing every violation, if any. */
    public static <T extends Validatable> T requireValid(T value) {
        Validator v = root();
        if (value == null) {
            v.fail("", "is required");
        } else {
            value.validate(v);
        }
        v.throwIfInvalid();
        return value;
    }

    public String path(String field) {
        if (field.isEmpty()) {
            return prefix;
        }
        return prefix.isEmpty() ? field : prefix + "." + field;
    }

    /** A validator for a nested object, reporting into the same list. */
    public Validator nested(String field) {
        return new Validator(path(field), sink);
    }

    public Validator element(String field, int index) {
        return new Validator(path(field) + "[" + index + "]", sink);
    }

    public Validator fail(String field, String reason) {
        sink.add(new Violation(path(field), reason));
        return this;
    }

    public boolean required(String field, Object value) {
        if (value == null) {
            fail(field, "is required");
            return false;
        }
        if (value instanceof String s && s.isBlank()) {
            fail(field, "must not be blank");
            return false;
        }
        return true;
    }

    public Validator maxLength(String field, String value, int max) {
        if (value != null && value.length() > max) {
            fail(field, "is " + value.length() + " characters long; at most " + max + " are allowed");
        }
        return this;
    }

    public Validator matches(String field, String value, Pattern pattern, String what) {
        if (value != null && !pattern.matcher(value).matches()) {
            fail(field, "must be " + what);
        }
        return this;
    }

    public Validator dns1123Label(String field, String value) {
        if (value != null) {
            maxLength(field, value, DNS_1123_LABEL_MAX);
            matches(field, value, DNS_1123_LABEL,
                    "a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit)");
        }
        return this;
    }

    public Validator dns1123Subdomain(String field, String value) {
        if (value != null) {
            maxLength(field, value, DNS_1123_SUBDOMAIN_MAX);
            matches(field, value, DNS_1123_SUBDOMAIN,
                    "a DNS-1123 subdomain (lower-case letters, digits, '-' and '.', each part starting and ending with a letter or digit)");
        }
        return this;
    }

    public Validator range(String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            fail(field, "must be between " + min + " and " + max + ", was " + value);
        }
        return this;
    }

    public Validator positive(String field, Duration value) {
        if (value != null && (value.isNegative() || value.isZero())) {
            fail(field, "must be a positive duration");
        }
        return this;
    }

    public Validator notNegative(String field, Duration value) {
        if (value != null && value.isNegative()) {
            fail(field, "must not be negative");
        }
        return this;
    }

    public Validator maxSize(String field, Collection<?> value, int max) {
        if (value != null && value.size() > max) {
            fail(field, "has " + value.size() + " entries; at most " + max + " are allowed");
        }
        return this;
    }

    public Validator maxSize(String field, Map<?, ?> value, int max) {
        if (value != null && value.size() > max) {
            fail(field, "has " + value.size() + " entries; at most " + max + " are allowed");
        }
        return this;
    }

    /** Validates each element of a list under {@code field[i]}; null elements are violations. */
    public <T extends Validatable> Validator each(String field, List<T> values) {
        if (values == null) {
            return this;
        }
        for (int i = 0; i < values.size(); i++) {
            T value = values.get(i);
            Validator element = element(field, i);
            if (value == null) {
                sink.add(new Violation(element.prefix, "must not be null"));
            } else {
                value.validate(element);
            }
        }
        return this;
    }

    /** Validates a nested object if present. */
    public Validator check(String field, Validatable value) {
        if (value != null) {
            value.validate(nested(field));
        }
        return this;
    }

    public boolean isValid() {
        return sink.isEmpty();
    }

    public List<Violation> violations() {
        return List.copyOf(sink);
    }

    public void throwIfInvalid() {
        if (!sink.isEmpty()) {
            throw new ValidationException(sink);
        }
    }
}
