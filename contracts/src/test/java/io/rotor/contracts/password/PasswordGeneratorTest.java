package io.rotor.contracts.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotor.contracts.credential.PasswordPolicy;
import io.rotor.contracts.credential.Platform;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Property-style: many generated values, each checked against every rule of its policy. */
class PasswordGeneratorTest {

    private static final int SAMPLES = 5_000;

    private final PasswordGenerator generator = new PasswordGenerator(new SecureRandom());

    @ParameterizedTest
    @EnumSource(Platform.class)
    void everyPasswordMeetsThePlatformDefaultPolicy(Platform platform) {
        PasswordPolicy policy = PasswordPolicy.defaultsFor(platform);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < SAMPLES; i++) {
            String pw = generator.generate(null, platform, List.of()).reveal();
            assertMeets(pw, policy, platform);
            seen.add(pw);
        }
        assertThat(seen).as("no repeats among %s generated passwords", SAMPLES).hasSize(SAMPLES);
    }

    @Test
    void redisEnterprisePasswordsMeetItsComplexityRules() {
        for (int i = 0; i < SAMPLES; i++) {
            String pw = generator.generate(null, Platform.REDIS_ENTERPRISE, List.of("admin@example.com")).reveal();
            assertThat(pw.length()).isGreaterThanOrEqualTo(8);
            assertThat(pw).containsPattern("[a-z]").containsPattern("[A-Z]").containsPattern("[0-9]")
                    .containsPattern("[^A-Za-z0-9]");
            assertThat(PasswordGenerator.longestRun(pw)).isLessThanOrEqualTo(3);
            assertThat(pw.toLowerCase()).doesNotContain("admin@example.com");
        }
    }

    @Test
    void keystonePasswordsNeverExceedBcryptsSeventyTwoBytes() {
        PasswordPolicy longest = new PasswordPolicy(72, null, null, null, null, null, null, null);
        for (int i = 0; i < SAMPLES; i++) {
            String pw = generator.generate(longest, Platform.OPENSTACK_KEYSTONE, List.of()).reveal();
            assertThat(pw.getBytes(StandardCharsets.UTF_8)).hasSize(72);
        }
        PasswordPolicy tooLong = new PasswordPolicy(73, null, null, null, null, null, null, null);
        assertThatThrownBy(() -> generator.generate(tooLong, Platform.OPENSTACK_KEYSTONE, List.of()))
                .isInstanceOf(UnsatisfiablePolicyException.class)
                .hasMessageContaining("72-byte limit");
    }

    @Test
    void randomPoliciesAreAlwaysMet() {
        Random pick = new Random(42);
        String specials = PasswordPolicy.DEFAULT_SPECIALS;
        for (int i = 0; i < SAMPLES; i++) {
            int length = 8 + pick.nextInt(57);
            int lower = pick.nextInt(3);
            int upper = pick.nextInt(3);
            int digits = pick.nextInt(3);
            int special = pick.nextInt(3);
            String excluded = "" + (char) ('a' + pick.nextInt(26)) + (char) ('0' + pick.nextInt(10))
                    + specials.charAt(pick.nextInt(specials.length())) + "lIO0";
            Integer repeats = pick.nextBoolean() ? null : 1 + pick.nextInt(3);
            PasswordPolicy policy = new PasswordPolicy(length, lower, upper, digits, special, specials, excluded, repeats);

            String pw = generator.generate(policy, Platform.REDIS_ACL, List.of()).reveal();

            assertMeets(pw, policy.withDefaults(Platform.REDIS_ACL), Platform.REDIS_ACL);
        }
    }

    @Test
    void everyAllowedCharacterTurnsUpAndNoExcludedOneDoes() {
        PasswordPolicy policy = new PasswordPolicy(64, 0, 0, 0, 0, "!#", "xyz", null);
        Set<Character> seen = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            for (char c : generator.generate(policy, Platform.REDIS_ACL, List.of()).reveal().toCharArray()) {
                seen.add(c);
            }
        }
        // 26 + 26 + 10 + 2 characters minus the 3 excluded: a biased generator would miss some in 128,000 draws.
        assertThat(seen).hasSize(61).doesNotContain('x', 'y', 'z');
    }

    @Test
    void unsatisfiablePoliciesAreRefusedWithAReason() {
        assertThatThrownBy(() -> generator.generate(
                new PasswordPolicy(12, 0, 0, 3, 0, null, "0123456789", null), Platform.REDIS_ACL, List.of()))
                .isInstanceOf(UnsatisfiablePolicyException.class)
                .hasMessageContaining("asks for 3 digits but excludes all of them");
        assertThatThrownBy(() -> generator.generate(
                new PasswordPolicy(8, 3, 3, 3, 0, null, null, null), Platform.REDIS_ACL, List.of()))
                .hasMessageContaining("add up to 9, more than the length 8");
    }

    /** Issue 14: "starts with a letter, only !@#$%^&*", as a real Keystone's password_regex said it. */
    static final String KEYSTONE_REGEX =
            "^(?=.*\\d)(?=.*[a-z])(?=.*[A-Z])(?=.*[!@#$%^&*])[A-Za-z][A-Za-z0-9!@#$%^&*]{11,}$";

    static PasswordPolicy letterFirstSymbolsPolicy(String pattern) {
        return new PasswordPolicy(24, 1, 1, 1, 1, "!@#$%^&*", null, null, PasswordPolicy.FIRST_LETTER, pattern);
    }

    @Test
    void everyPasswordMatchesThePatternAndStartsWithALetter() {
        PasswordPolicy policy = letterFirstSymbolsPolicy(KEYSTONE_REGEX);
        PasswordGenerator.requireSatisfiable(policy, Platform.OPENSTACK_KEYSTONE);
        java.util.regex.Pattern keystone = java.util.regex.Pattern.compile(KEYSTONE_REGEX);
        for (int i = 0; i < SAMPLES; i++) {
            String pw = generator.generate(policy, Platform.OPENSTACK_KEYSTONE, List.of()).reveal();

            assertThat(keystone.matcher(pw).lookingAt()).as("matches password_regex").isTrue();
            assertThat(Character.isLetter(pw.charAt(0))).isTrue();
            assertMeets(pw, policy.withDefaults(Platform.OPENSTACK_KEYSTONE), Platform.OPENSTACK_KEYSTONE);
        }
    }

    @Test
    void theFirstCharacterRuleHoldsWithoutAPattern() {
        PasswordPolicy letter = new PasswordPolicy(8, 0, 0, 3, 4, null, null, null, PasswordPolicy.FIRST_LETTER, null);
        PasswordPolicy alnum = new PasswordPolicy(8, 0, 0, 0, 7, null, null, null, PasswordPolicy.FIRST_ALNUM, null);
        for (int i = 0; i < SAMPLES; i++) {
            assertThat(generator.generate(letter, Platform.REDIS_ACL, List.of()).reveal().charAt(0))
                    .matches(Character::isLetter);
            assertThat(generator.generate(alnum, Platform.REDIS_ACL, List.of()).reveal().charAt(0))
                    .matches(Character::isLetterOrDigit);
        }
    }

    @Test
    void thePatternIsMatchedFromTheFirstCharacterLikeKeystonesRegex() {
        // Python's re.match anchors at the start only: "[A-Z]" is "starts with an upper-case letter".
        PasswordPolicy policy = new PasswordPolicy(16, null, null, null, null, null, null, null, null, "[A-Z]");
        PasswordGenerator.requireSatisfiable(policy, Platform.OPENSTACK_KEYSTONE);
        for (int i = 0; i < 1_000; i++) {
            assertThat(generator.generate(policy, Platform.OPENSTACK_KEYSTONE, List.of()).reveal().charAt(0))
                    .isBetween('A', 'Z');
        }
    }

    @Test
    void aPatternTheOtherFieldsCannotProduceIsRefused() {
        PasswordPolicy digitsOnly = new PasswordPolicy(16, 2, null, null, null, null, null, null, null, "^[0-9]+$");

        assertThatThrownBy(() -> PasswordGenerator.requireSatisfiable(digitsOnly, Platform.OPENSTACK_KEYSTONE))
                .isInstanceOf(UnsatisfiablePolicyException.class)
                .hasMessageContaining("the pattern ^[0-9]+$ is met by none of 1000 sample passwords")
                .hasMessageContaining("Make those fields produce what the pattern asks for");
        assertThatThrownBy(() -> generator.generate(digitsOnly, Platform.OPENSTACK_KEYSTONE, List.of()))
                .isInstanceOf(UnsatisfiablePolicyException.class)
                .hasMessageContaining("no password meeting the policy was found in 10000 attempts");
    }

    @Test
    void aPatternTheOtherFieldsProduceTooRarelyIsRefused() {
        // Four leading digits: about 1 candidate in 2,500 from the Keystone defaults. Generation would usually find
        // one, but not always; validation says so before the first rotation.
        PasswordPolicy rare = new PasswordPolicy(null, null, null, null, null, null, null, null, null, "\\d{4}");

        assertThatThrownBy(() -> PasswordGenerator.requireSatisfiable(rare, Platform.OPENSTACK_KEYSTONE))
                .isInstanceOf(UnsatisfiablePolicyException.class).hasMessageContaining("at least 10 are needed");
    }

    @Test
    void aFirstCharacterRuleWithNoRoomIsRefused() {
        PasswordPolicy full = new PasswordPolicy(8, 0, 0, 4, 4, null, null, null, PasswordPolicy.FIRST_LETTER, null);
        PasswordPolicy noLetters = new PasswordPolicy(12, 0, 0, 0, 0, null, LOWER_AND_UPPER, null,
                PasswordPolicy.FIRST_LETTER, null);

        assertThatThrownBy(() -> PasswordGenerator.requireSatisfiable(full, Platform.REDIS_ACL))
                .hasMessageContaining("the minimum counts of the other classes fill all 8 characters");
        assertThatThrownBy(() -> PasswordGenerator.requireSatisfiable(noLetters, Platform.REDIS_ACL))
                .hasMessageContaining("every such character is excluded");
    }

    private static final String LOWER_AND_UPPER = PasswordGenerator.LOWER + PasswordGenerator.UPPER;

    @Test
    void aPatternThatBacktracksWithoutEndIsRefusedNotRun() {
        // Polynomial backtracking (n^5 reads, 1.2 million for 32 characters): Java's loop memoization does not help.
        PasswordPolicy policy = new PasswordPolicy(32, 0, 0, 0, 0, "", null, null, null, "^(.*)(.*)(.*)(.*)(.*)!");

        assertThatThrownBy(() -> PasswordGenerator.requireSatisfiable(policy, Platform.REDIS_ACL))
                .isInstanceOf(UnsatisfiablePolicyException.class).hasMessageContaining("takes too long to evaluate");
    }

    private static void assertMeets(String pw, PasswordPolicy p, Platform platform) {
        assertThat(pw).hasSize(p.length());
        assertThat(pw.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(PasswordPolicy.maxBytes(platform));
        assertThat(count(pw, PasswordGenerator.LOWER)).isGreaterThanOrEqualTo(p.minLowercase());
        assertThat(count(pw, PasswordGenerator.UPPER)).isGreaterThanOrEqualTo(p.minUppercase());
        assertThat(count(pw, PasswordGenerator.DIGITS)).isGreaterThanOrEqualTo(p.minDigits());
        assertThat(count(pw, p.specialCharacters())).isGreaterThanOrEqualTo(p.minSpecial());
        String allowed = PasswordGenerator.LOWER + PasswordGenerator.UPPER + PasswordGenerator.DIGITS + p.specialCharacters();
        for (char c : pw.toCharArray()) {
            assertThat(allowed.indexOf(c)).as("character %s allowed", c).isGreaterThanOrEqualTo(0);
            assertThat(p.excludedCharacters().indexOf(c)).as("character %s excluded", c).isLessThan(0);
        }
        if (p.maxConsecutiveRepeats() != null) {
            assertThat(PasswordGenerator.longestRun(pw)).isLessThanOrEqualTo(p.maxConsecutiveRepeats());
        }
    }

    private static long count(String pw, String alphabet) {
        return pw.chars().filter(c -> alphabet.indexOf(c) >= 0).count();
    }
}
