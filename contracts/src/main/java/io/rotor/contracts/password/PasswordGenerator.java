package io.rotor.contracts.password;

import io.rotor.contracts.credential.PasswordPolicy;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.sealing.SecretValue;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Generates passwords from a credential's policy with {@link SecureRandom}. Every character is printable ASCII, so the
 * length in characters is the length in bytes, which is what bcrypt's 72-byte limit counts.
 */
public final class PasswordGenerator {

    static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
    static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    static final String DIGITS = "0123456789";
    private static final int MAX_ATTEMPTS = 1000;

    private final SecureRandom random;

    public PasswordGenerator(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * @param policy    the credential's policy; absent fields take the platform's defaults
     * @param forbidden substrings the password must not contain, case-insensitively (REC: the user's e-mail)
     * @throws UnsatisfiablePolicyException if no password can meet the policy on this platform
     */
    public SecretValue generate(PasswordPolicy policy, Platform platform, List<String> forbidden) {
        PasswordPolicy p = policy == null ? PasswordPolicy.defaultsFor(platform) : policy.withDefaults(platform);
        String excluded = p.excludedCharacters() == null ? "" : p.excludedCharacters();
        String lower = without(LOWER, excluded);
        String upper = without(UPPER, excluded);
        String digits = without(DIGITS, excluded);
        String special = without(p.specialCharacters() == null ? "" : p.specialCharacters(), excluded);
        String all = lower + upper + digits + special;
        int length = p.length();
        checkSatisfiable(p, platform, length, lower, upper, digits, special, all);

        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            char[] chars = new char[length];
            int i = 0;
            i = fill(chars, i, lower, p.minLowercase());
            i = fill(chars, i, upper, p.minUppercase());
            i = fill(chars, i, digits, p.minDigits());
            i = fill(chars, i, special, p.minSpecial());
            fill(chars, i, all, length - i);
            shuffle(chars);
            String candidate = new String(chars);
            Arrays.fill(chars, '\0');
            if (acceptable(candidate, p.maxConsecutiveRepeats(), forbidden)) {
                return SecretValue.of(candidate);
            }
        }
        // Reachable only for policies that are satisfiable in principle but nearly never in practice.
        throw new UnsatisfiablePolicyException("no password meeting the policy was found in " + MAX_ATTEMPTS
                + " attempts; allow more characters or fewer constraints");
    }

    private static void checkSatisfiable(PasswordPolicy p, Platform platform, int length, String lower, String upper,
            String digits, String special, String all) {
        int maxBytes = PasswordPolicy.maxBytes(platform);
        if (length > maxBytes) {
            throw new UnsatisfiablePolicyException("length " + length + " exceeds the " + maxBytes + "-byte limit of "
                    + platform.value());
        }
        requireClass("lower-case letters", p.minLowercase(), lower);
        requireClass("upper-case letters", p.minUppercase(), upper);
        requireClass("digits", p.minDigits(), digits);
        requireClass("special characters", p.minSpecial(), special);
        if (all.isEmpty()) {
            throw new UnsatisfiablePolicyException("every character is excluded");
        }
        int minimum = p.minLowercase() + p.minUppercase() + p.minDigits() + p.minSpecial();
        if (minimum > length) {
            throw new UnsatisfiablePolicyException("the minimum counts add up to " + minimum + ", more than the length "
                    + length);
        }
        Integer maxRepeats = p.maxConsecutiveRepeats();
        if (maxRepeats != null && maxRepeats < 1) {
            throw new UnsatisfiablePolicyException("maxConsecutiveRepeats must be at least 1");
        }
        if (maxRepeats != null && maxRepeats == 1 && all.length() < 2 && length > 1) {
            throw new UnsatisfiablePolicyException("a single allowed character cannot avoid repeating itself");
        }
    }

    private static void requireClass(String name, Integer min, String alphabet) {
        if (min != null && min > 0 && alphabet.isEmpty()) {
            throw new UnsatisfiablePolicyException("the policy asks for " + min + " " + name + " but excludes all of them");
        }
    }

    private int fill(char[] chars, int from, String alphabet, Integer count) {
        int n = count == null ? 0 : count;
        for (int k = 0; k < n; k++) {
            chars[from + k] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return from + n;
    }

    private void shuffle(char[] chars) {
        for (int i = chars.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            char t = chars[i];
            chars[i] = chars[j];
            chars[j] = t;
        }
    }

    static boolean acceptable(String candidate, Integer maxConsecutiveRepeats, List<String> forbidden) {
        if (maxConsecutiveRepeats != null && longestRun(candidate) > maxConsecutiveRepeats) {
            return false;
        }
        if (forbidden != null) {
            String lowered = candidate.toLowerCase(Locale.ROOT);
            for (String f : forbidden) {
                if (f != null && !f.isEmpty() && lowered.contains(f.toLowerCase(Locale.ROOT))) {
                    return false;
                }
            }
        }
        return true;
    }

    static int longestRun(String s) {
        int longest = s.isEmpty() ? 0 : 1;
        int run = 1;
        for (int i = 1; i < s.length(); i++) {
            run = s.charAt(i) == s.charAt(i - 1) ? run + 1 : 1;
            longest = Math.max(longest, run);
        }
        return longest;
    }

    private static String without(String alphabet, String excluded) {
        StringBuilder sb = new StringBuilder();
        for (char c : alphabet.toCharArray()) {
            if (excluded.indexOf(c) < 0 && sb.indexOf(String.valueOf(c)) < 0) {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
