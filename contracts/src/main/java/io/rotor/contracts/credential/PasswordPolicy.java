package io.rotor.contracts.credential;

import io.rotor.contracts.validation.Validatable;
import io.rotor.contracts.validation.Validator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What a generated password must look like. Absent fields take the platform's defaults ({@link #defaultsFor}); the
 * platform's hard limits ({@link #maxBytes}) always apply.
 *
 * @param specialCharacters     the symbols a password may contain, and the only ones (e.g. {@code "!@#$%^&*"})
 * @param maxConsecutiveRepeats at most this many identical characters in a row (REC's complexity rule allows 3)
 * @param firstCharacter        {@code letter}, {@code alnum} (letter or digit) or {@code any} (default): the class of
 *                              the first character, for platforms whose rule says "starts with a letter"
 * @param pattern               a regular expression (Java syntax) every generated password must match, matched from
 *                              the first character as Keystone matches its {@code password_regex} (Python
 *                              {@code re.match}): end it with {@code $} to constrain the whole password. Generation
 *                              tries candidates from the other fields until one matches, a bounded number of times;
 *                              validation refuses a pattern the other fields rarely or never produce
 */
public record PasswordPolicy(Integer length, Integer minLowercase, Integer minUppercase, Integer minDigits,
        Integer minSpecial, String specialCharacters, String excludedCharacters, Integer maxConsecutiveRepeats,
        String firstCharacter, String pattern) implements Validatable {

    /** The values of {@link #firstCharacter}. */
    public static final String FIRST_LETTER = "letter";
    public static final String FIRST_ALNUM = "alnum";
    public static final String FIRST_ANY = "any";
    public static final int MAX_PATTERN_LENGTH = 1024;

    /** A policy without first-character rule or pattern. */
    public PasswordPolicy(Integer length, Integer minLowercase, Integer minUppercase, Integer minDigits,
            Integer minSpecial, String specialCharacters, String excludedCharacters, Integer maxConsecutiveRepeats) {
        this(length, minLowercase, minUppercase, minDigits, minSpecial, specialCharacters, excludedCharacters,
                maxConsecutiveRepeats, null, null);
    }

    /** Safe in YAML, shell (openrc), URLs and redis-cli without quoting surprises: no quotes, '\', '$', '`' or space. */
    public static final String DEFAULT_SPECIALS = "!#%&()*+,-./:;<=>?@[]^_{|}~";
    public static final int MAX_LENGTH = 256;

    public static PasswordPolicy defaultsFor(Platform platform) {
        return switch (platform) {
            // REC complexity: >= 8 chars with upper, lower, digit and special; no more than 3 repeated characters.
            case REDIS_ENTERPRISE -> new PasswordPolicy(32, 2, 2, 2, 2, DEFAULT_SPECIALS, "", 3);
            case REDIS_ACL -> new PasswordPolicy(48, 1, 1, 1, 0, DEFAULT_SPECIALS, "", null);
            // bcrypt reads at most 72 bytes; Keystone would silently shorten a longer password.
            case OPENSTACK_KEYSTONE -> new PasswordPolicy(32, 2, 2, 2, 1, DEFAULT_SPECIALS, "", null);
            case CONFIGUI -> new PasswordPolicy(24, 2, 2, 2, 1, DEFAULT_SPECIALS, "", 3);
        };
    }

    /** The platform's hard limit on a password's length in bytes (UTF-8), whatever the policy says. */
    public static int maxBytes(Platform platform) {
        return platform == Platform.OPENSTACK_KEYSTONE ? 72 : MAX_LENGTH;
    }

    /** This policy with every absent field taken from the platform defaults. */
    public PasswordPolicy withDefaults(Platform platform) {
        PasswordPolicy d = defaultsFor(platform);
        return new PasswordPolicy(
                length != null ? length : d.length,
                minLowercase != null ? minLowercase : d.minLowercase,
                minUppercase != null ? minUppercase : d.minUppercase,
                minDigits != null ? minDigits : d.minDigits,
                minSpecial != null ? minSpecial : d.minSpecial,
                specialCharacters != null ? specialCharacters : d.specialCharacters,
                excludedCharacters != null ? excludedCharacters : d.excludedCharacters,
                maxConsecutiveRepeats != null ? maxConsecutiveRepeats : d.maxConsecutiveRepeats,
                firstCharacter != null ? firstCharacter : d.firstCharacter,
                pattern != null ? pattern : d.pattern);
    }

    @Override
    public void validate(Validator v) {
        v.range("length", length, 8, MAX_LENGTH);
        v.range("minLowercase", minLowercase, 0, MAX_LENGTH);
        v.range("minUppercase", minUppercase, 0, MAX_LENGTH);
        v.range("minDigits", minDigits, 0, MAX_LENGTH);
        v.range("minSpecial", minSpecial, 0, MAX_LENGTH);
        v.range("maxConsecutiveRepeats", maxConsecutiveRepeats, 1, MAX_LENGTH);
        v.maxLength("specialCharacters", specialCharacters, 128);
        v.maxLength("excludedCharacters", excludedCharacters, 256);
        if (specialCharacters != null
                && specialCharacters.chars().anyMatch(c -> c < 0x21 || c > 0x7e || Character.isLetterOrDigit(c))) {
            v.fail("specialCharacters", "must be printable ASCII punctuation without spaces");
        }
        int minimum = nz(minLowercase) + nz(minUppercase) + nz(minDigits) + nz(minSpecial);
        if (length != null && minimum > length) {
            v.fail("length", "is " + length + " but the minimum counts per character class add up to " + minimum);
        }
        if (firstCharacter != null && !List.of(FIRST_LETTER, FIRST_ALNUM, FIRST_ANY).contains(firstCharacter)) {
            v.fail("firstCharacter", "must be letter, alnum or any, was " + firstCharacter);
        }
        v.maxLength("pattern", pattern, MAX_PATTERN_LENGTH);
        if (pattern != null) {
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                v.fail("pattern", "is not a valid regular expression: " + e.getDescription() + " near index "
                        + e.getIndex());
            }
        }
    }

    /** Whether generation must test candidates beyond their composition: a first-character rule or a pattern. */
    public boolean hasShapeRules() {
        return pattern != null || firstCharacter != null && !FIRST_ANY.equals(firstCharacter);
    }

    private static int nz(Integer i) {
        return i == null ? 0 : i;
    }
}
