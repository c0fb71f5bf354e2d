package io.rotor.contracts.credential;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.rotor.contracts.validation.Validatable;
import io.rotor.contracts.validation.Validator;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Takes a value out of a response for later steps, such as a CSRF token: the first group of {@code regex} in the body
 * or in the named header, or the value of the named cookie.
 */
public record RecipeExtraction(String name, Source from, String header, String cookie, String regex)
        implements Validatable {

    public enum Source {
        @JsonProperty("body")
        BODY,
        @JsonProperty("header")
        HEADER,
        @JsonProperty("cookie")
        COOKIE
    }

    static final Pattern VARIABLE = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

    @Override
    public void validate(Validator v) {
        if (v.required("name", name)) {
            v.matches("name", name, VARIABLE, "a variable name (letters, digits, '_')");
        }
        if (v.required("from", from)) {
            switch (from) {
                case HEADER -> v.required("header", header);
                case COOKIE -> v.required("cookie", cookie);
                case BODY -> v.required("regex", regex);
            }
        }
        if (regex != null) {
            v.maxLength("regex", regex, 512);
            try {
                if (Pattern.compile(regex).matcher("").groupCount() < 1) {
                    v.fail("regex", "must have a group, (...), around the value to take");
                }
            } catch (PatternSyntaxException e) {
                v.fail("regex", "is not a valid regular expression");
            }
        }
    }
}
