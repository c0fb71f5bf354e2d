package io.rotor.testkit.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotor.testkit.kubernetes.Identity;
import io.rotor.testkit.kubernetes.SandboxIdentities;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The identity arguments of the sandbox process, parsed without starting one. */
class SandboxMainTest {

    private final SandboxIdentities identities = new SandboxIdentities();

    @Test
    void identityNamesAUserAndOptionallyGroups() {
        SandboxMain.addIdentity(identities, "alice-token=alice:rotor-viewers,system:masters-not-really");
        SandboxMain.addIdentity(identities, "bob-token=bob");

        assertThat(identities.authenticate("alice-token")).contains(new Identity("alice", "",
                List.of("rotor-viewers", "system:masters-not-really", "system:authenticated")));
        assertThat(identities.authenticate("bob-token")).contains(new Identity("bob", "",
                List.of("system:authenticated")));
    }

    @Test
    void aTokenMayEndInBase64PaddingAndALaterIdentityForItWins() {
        SandboxMain.addIdentity(identities, "c2VjcmV0IQ===carol:g");
        SandboxMain.addIdentity(identities, "c2VjcmV0IQ===dana");
        assertThat(identities.authenticate("c2VjcmV0IQ==")).get().extracting(Identity::username).isEqualTo("dana");
    }

    @Test
    void serviceAccountNamesNamespaceAndName() {
        SandboxMain.addServiceAccount(identities, "ci-token=team-a/ci");

        assertThat(identities.authenticate("ci-token")).contains(Identity.serviceAccount("team-a", "ci"));
        assertThat(identities.authenticate("ci-token").orElseThrow().username())
                .isEqualTo("system:serviceaccount:team-a:ci");
    }

    @Test
    void malformedIdentitiesAreRefusedWithoutShowingTheToken() {
        for (String bad : List.of("secret-token", "=alice", "secret-token=", "secret-token=:g", "secret-token=a:",
                "secret-token=a:g,,h")) {
            assertThatThrownBy(() -> SandboxMain.addIdentity(identities, bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageNotContaining("secret-token");
        }
        for (String bad : List.of("secret-token", "secret-token=ns", "secret-token=/ci", "secret-token=ns/",
                "secret-token=a/b/c")) {
            assertThatThrownBy(() -> SandboxMain.addServiceAccount(identities, bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageNotContaining("secret-token");
        }
    }
}
