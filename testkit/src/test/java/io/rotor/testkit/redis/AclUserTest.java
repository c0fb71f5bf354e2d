package io.rotor.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AclUserTest {

    @Test
    void toStringHidesPasswordsAndHashes() {
        AclUser user = AclUser.of("app", "on", ">clear-pw", "<old-pw", "#abc123", "~*", "+@all");

        assertThat(user.toString())
                .doesNotContain("clear-pw", "old-pw", "abc123")
                .contains("app", "~*", "+@all", ">[hidden]");
    }

    @Test
    void aclFileLineKeepsRulesInOrder() {
        assertThat(AclUser.of("app", "on", ">pw", "~*").aclFileLine()).isEqualTo("user app on >pw ~*");
    }

    @Test
    void rejectsRulesThatWouldSplitTheAclFileLine() {
        assertThatThrownBy(() -> AclUser.of("app", ">two words"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("two words");
    }
}
