package io.rotor.contracts.credential;

import io.rotor.contracts.validation.Validatable;
import io.rotor.contracts.validation.Validator;

/**
 * What a generated password must look like. Absent fields take the platform's defaults ({@link #defaultsFor}); the
 * platform's hard limits ({@link #maxBytes}) always apply.
 *
 * @param maxConsecutiveRepeats at most this many identical characters in a row (REC's complexity rule allows 3)
 */
public record PasswordPolicy(Integer length, Integer minLowercase, Integer minUppercase, Integer minDigits,
        Integer minSpecial, String specialCharacters, String excludedCharacters, Integer maxConsecutiveRepeats)
        implements Validatable {

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
                maxConsecutiveRepeats != null ? maxConsecutiveRepeats : d.maxConsecutiveRepeats);
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
    }

    private static int nz(Integer i) {
        return i == null ? 0 : i;
    }
}
