package io.rotor.contracts.password;

import io.rotor.contracts.credential.PasswordPolicy;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.sealing.SecretValue;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Generates passwords from a credential's policy with {@link SecureRandom}. Every character is printable ASCII, so the
 * length in characters is the length in bytes, which is what bcrypt's 72-byte limit counts.
 */
public final class PasswordGenerator {

    static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
    static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    static final String DIGITS = "0123456789";
    /**
     * Candidates tried before generation gives up. Validation ({@link #requireSatisfiable}) lets a pattern through only
     * when at least {@link #MIN_SAMPLE_MATCHES} of {@link #SAMPLES} sample candidates match it, so a policy that passed
     * validation fails here with a probability below (1 - 0.01)^10000, about 10^-44.
     */
    static final int MAX_ATTEMPTS = 10_000;
    static final int SAMPLES = 1_000;
    static final int MIN_SAMPLE_MATCHES = 10;
    /** Fixed, so that the same policy always gets the same verdict; the samples are never used as passwords. */
    private static final long SAMPLE_SEED = 0x5EED_0F_C0FFEEL;
    /**
     * A pattern evaluation reads the candidate at most this many times: a pattern with catastrophic backtracking
     * (e.g. {@code (a+)+b}) is refused instead of stalling the orchestrator.
     */
    static final int MAX_PATTERN_STEPS = 200_000;

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
        Alphabets a = Alphabets.of(policy, platform);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            String candidate = a.candidate(random);
            if (candidate != null && acceptable(candidate, a.policy().maxConsecutiveRepeats(), forbidden)
                    && a.matchesPattern(candidate)) {
                return SecretValue.of(candidate);
            }
        }
        // Reachable only for policies that validation did not see (or that the forbidden substrings make rare).
        throw new UnsatisfiablePolicyException("no password meeting the policy was found in " + MAX_ATTEMPTS
                + " attempts; allow more characters or fewer constraints");
    }

    /**
     * Refuses a policy that cannot be met on this platform, or whose {@code pattern} the rest of the policy produces
     * too rarely for generation to be sure of finding a match: at least {@link #MIN_SAMPLE_MATCHES} of
     * {@link #SAMPLES} sample candidates (from a fixed seed) must match. For validation, before any rotation.
     *
     * @throws UnsatisfiablePolicyException with a message that says what to change
     */
    public static void requireSatisfiable(PasswordPolicy policy, Platform platform) {
        Alphabets a = Alphabets.of(policy, platform);
        if (a.pattern() == null && !a.policy().hasShapeRules()) {
            return;
        }
        Random sampler = new Random(SAMPLE_SEED);
        int matched = 0;
        for (int i = 0; i < SAMPLES && matched < MIN_SAMPLE_MATCHES; i++) {
            String candidate = a.candidate(sampler);
            if (candidate != null && acceptable(candidate, a.policy().maxConsecutiveRepeats(), List.of())
                    && a.matchesPattern(candidate)) {
                matched++;
            }
        }
        if (matched < MIN_SAMPLE_MATCHES) {
            throw new UnsatisfiablePolicyException((a.pattern() == null ? "the first-character rule"
                    : "the pattern " + a.pattern().pattern()) + " is met by " + (matched == 0 ? "none" : "only "
                    + matched) + " of " + SAMPLES + " sample passwords built from the rest of the policy (length "
                    + a.policy().length() + ", minimum counts, specialCharacters \"" + a.special() + "\", firstCharacter "
                    + (a.policy().firstCharacter() == null ? "any" : a.policy().firstCharacter()) + "); at least "
                    + MIN_SAMPLE_MATCHES + " are needed so that every rotation finds one. Make those fields produce "
                    + "what the pattern asks for (the pattern is matched from the first character, as Keystone's "
                    + "password_regex is)");
        }
    }

    /** The policy with defaults, its alphabets after exclusions, and its compiled pattern. */
    private record Alphabets(PasswordPolicy policy, String lower, String upper, String digits, String special,
            String all, String first, Pattern pattern) {

        static Alphabets of(PasswordPolicy policy, Platform platform) {
            PasswordPolicy p = policy == null ? PasswordPolicy.defaultsFor(platform) : policy.withDefaults(platform);
            String excluded = p.excludedCharacters() == null ? "" : p.excludedCharacters();
            String lower = without(LOWER, excluded);
            String upper = without(UPPER, excluded);
            String digits = without(DIGITS, excluded);
            String special = without(p.specialCharacters() == null ? "" : p.specialCharacters(), excluded);
            String all = lower + upper + digits + special;
            String first = switch (p.firstCharacter() == null ? PasswordPolicy.FIRST_ANY : p.firstCharacter()) {
                case PasswordPolicy.FIRST_LETTER -> lower + upper;
                case PasswordPolicy.FIRST_ALNUM -> lower + upper + digits;
                case PasswordPolicy.FIRST_ANY -> all;
                default -> throw new UnsatisfiablePolicyException("firstCharacter must be letter, alnum or any, was "
                        + p.firstCharacter());
            };
            Pattern pattern;
            try {
                pattern = p.pattern() == null ? null : Pattern.compile(p.pattern());
            } catch (PatternSyntaxException e) {
                throw new UnsatisfiablePolicyException("the pattern is not a valid regular expression: "
                        + e.getDescription());
            }
            Alphabets a = new Alphabets(p, lower, upper, digits, special, all, first, pattern);
            checkSatisfiable(a, platform);
            return a;
        }

        /** Composition by construction (minimum counts, first character); null when the shuffle left no fit. */
        String candidate(Random rnd) {
            PasswordPolicy p = policy;
            char[] chars = new char[p.length()];
            int i = 0;
            i = fill(rnd, chars, i, lower, p.minLowercase());
            i = fill(rnd, chars, i, upper, p.minUppercase());
            i = fill(rnd, chars, i, digits, p.minDigits());
            i = fill(rnd, chars, i, special, p.minSpecial());
            fill(rnd, chars, i, all, chars.length - i);
            shuffle(rnd, chars);
            // A swap keeps every count, so the first-character rule costs no retry unless no character fits it.
            int fit = 0;
            while (fit < chars.length && first.indexOf(chars[fit]) < 0) {
                fit++;
            }
            if (fit == chars.length) {
                Arrays.fill(chars, '\0');
                return null;
            }
            char t = chars[0];
            chars[0] = chars[fit];
            chars[fit] = t;
            String candidate = new String(chars);
            Arrays.fill(chars, '\0');
            return candidate;
        }

        boolean matchesPattern(String candidate) {
            if (pattern == null) {
                return true;
            }
            try {
                return pattern.matcher(new BoundedCharSequence(candidate, MAX_PATTERN_STEPS)).lookingAt();
            } catch (BoundedCharSequence.TooManySteps e) {
                throw new UnsatisfiablePolicyException("the pattern " + pattern.pattern() + " takes too long to "
                        + "evaluate (catastrophic backtracking?); simplify it");
            }
        }
    }

    private static void checkSatisfiable(Alphabets a, Platform platform) {
        PasswordPolicy p = a.policy();
        int length = p.length();
        int maxBytes = PasswordPolicy.maxBytes(platform);
        if (length > maxBytes) {
            throw new UnsatisfiablePolicyException("length " + length + " exceeds the " + maxBytes + "-byte limit of "
                    + platform.value());
        }
        requireClass("lower-case letters", p.minLowercase(), a.lower());
        requireClass("upper-case letters", p.minUppercase(), a.upper());
        requireClass("digits", p.minDigits(), a.digits());
        requireClass("special characters", p.minSpecial(), a.special());
        if (a.all().isEmpty()) {
            throw new UnsatisfiablePolicyException("every character is excluded");
        }
        int minimum = p.minLowercase() + p.minUppercase() + p.minDigits() + p.minSpecial();
        if (minimum > length) {
            throw new UnsatisfiablePolicyException("the minimum counts add up to " + minimum + ", more than the length "
                    + length);
        }
        if (a.first().isEmpty()) {
            throw new UnsatisfiablePolicyException("firstCharacter is " + p.firstCharacter() + " but every such "
                    + "character is excluded");
        }
        // The first character must come from its class, so the other classes' minimums must leave it a place.
        String rule = p.firstCharacter() == null ? PasswordPolicy.FIRST_ANY : p.firstCharacter();
        int othersMinimum = switch (rule) {
            case PasswordPolicy.FIRST_LETTER -> p.minDigits() + p.minSpecial();
            case PasswordPolicy.FIRST_ALNUM -> p.minSpecial();
            default -> 0;
        };
        if (othersMinimum >= length) {
            throw new UnsatisfiablePolicyException("firstCharacter is " + rule + " but the minimum counts of the "
                    + "other classes fill all " + length + " characters");
        }
        Integer maxRepeats = p.maxConsecutiveRepeats();
        if (maxRepeats != null && maxRepeats < 1) {
            throw new UnsatisfiablePolicyException("maxConsecutiveRepeats must be at least 1");
        }
        if (maxRepeats != null && maxRepeats == 1 && a.all().length() < 2 && length > 1) {
            throw new UnsatisfiablePolicyException("a single allowed character cannot avoid repeating itself");
        }
    }

    private static void requireClass(String name, Integer min, String alphabet) {
        if (min != null && min > 0 && alphabet.isEmpty()) {
            throw new UnsatisfiablePolicyException("the policy asks for " + min + " " + name + " but excludes all of them");
        }
    }

    private static int fill(Random rnd, char[] chars, int from, String alphabet, Integer count) {
        int n = count == null ? 0 : count;
        for (int k = 0; k < n; k++) {
            chars[from + k] = alphabet.charAt(rnd.nextInt(alphabet.length()));
        }
        return from + n;
    }

    private static void shuffle(Random rnd, char[] chars) {
        for (int i = chars.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
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
