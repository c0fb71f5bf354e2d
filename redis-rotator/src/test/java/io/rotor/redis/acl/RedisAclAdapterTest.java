package io.rotor.redis.acl;

import static io.rotor.redis.acl.AclFixtures.authenticates;
import static io.rotor.redis.acl.AclFixtures.everywhere;
import static io.rotor.redis.acl.AclFixtures.nowhere;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotor.kit.participant.Applied;
import io.rotor.kit.participant.PlatformException;
import io.rotor.kit.participant.Rotation;
import io.rotor.redis.InMemorySecretLookup;
import io.rotor.testkit.redis.AclUser;
import io.rotor.testkit.redis.RedisReplicaSet;
import io.rotor.testkit.redis.RedisServerProcess;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ACL adapter against real redis-server processes: standalone, three nodes, nodes down, no aclfile. */
class RedisAclAdapterTest {

    private final InMemorySecretLookup secrets = new InMemorySecretLookup()
            .put(AclFixtures.NAMESPACE, "redis-admin", Map.of("password", AclFixtures.ADMIN_PASSWORD));
    private final RedisAclAdapter adapter = new RedisAclAdapter(secrets);
    private RedisReplicaSet set;
    private RedisServerProcess single;

    @AfterEach
    void stop() {
        if (set != null) {
            set.close();
        }
        if (single != null) {
            single.close();
        }
    }

    private List<RedisServerProcess> threeNodes() {
        set = RedisReplicaSet.start(node -> node.defaultUserPassword(AclFixtures.ADMIN_PASSWORD)
                .aclUser(AclUser.fullAccess("app", "old-pw")));
        return set.nodes();
    }

    @Test
    void onAStandaloneServerTheUserCanRotateItselfWithoutAnAdmin() {
        single = RedisServerProcess.builder().aclUser(AclUser.fullAccess("app", "old-pw")).start();
        Rotation r = AclFixtures.rotation("r1", AclFixtures.spec("app", List.of(single), false), "old-pw", "new-pw");

        Applied applied = adapter.apply(r);
        adapter.verify(r);
        assertThat(applied.changed()).isTrue();
        assertThat(authenticates(single, "app", "old-pw")).isTrue();
        assertThat(authenticates(single, "app", "new-pw")).isTrue();

        adapter.revoke(r);
        assertThat(authenticates(single, "app", "old-pw")).isFalse();
        assertThat(authenticates(single, "app", "new-pw")).isTrue();
    }

    @Test
    void onThreeNodesBothPasswordsWorkEverywhereAfterApplyAndOnlyTheNewOneAfterRevoke() {
        List<RedisServerProcess> nodes = threeNodes();
        Rotation r = AclFixtures.rotation("r2", AclFixtures.spec("app", nodes, true), "old-pw", "new-pw");

        Applied applied = adapter.apply(r);
        assertThat(applied.details()).containsEntry("nodes", "3").containsEntry("nodesChanged", "3");
        assertThat(everywhere(nodes, "app", "old-pw")).isTrue();
        assertThat(everywhere(nodes, "app", "new-pw")).isTrue();

        adapter.revoke(r);
        assertThat(nowhere(nodes, "app", "old-pw")).isTrue();
        assertThat(everywhere(nodes, "app", "new-pw")).isTrue();
    }

    @Test
    void theChangeIsSavedSoARestartedNodeKeepsIt() {
        List<RedisServerProcess> nodes = threeNodes();
        Rotation r = AclFixtures.rotation("r3", AclFixtures.spec("app", nodes, true), "old-pw", "new-pw");
        adapter.apply(r);

        nodes.get(1).kill();
        nodes.get(1).restart();

        assertThat(authenticates(nodes.get(1), "app", "new-pw")).isTrue();
        assertThat(nodes.get(1).readAclFile()).noneMatch(line -> line.contains("new-pw"));
    }

    @Test
    void aNodeDownFailsApplyRetriablyBeforeAnyNodeChangesAndARetryBringsEveryNodeInLine() {
        List<RedisServerProcess> nodes = threeNodes();
        Rotation r = AclFixtures.rotation("r4", AclFixtures.spec("app", nodes, true), "old-pw", "new-pw");
        nodes.get(2).kill();

        assertThatThrownBy(() -> adapter.apply(r)).isInstanceOfSatisfying(PlatformException.class, e -> {
            assertThat(e.retriable()).isTrue();
            assertThat(e.reason()).isEqualTo(AclFailure.NODE_UNREACHABLE);
            assertThat(e.getMessage()).contains(nodes.get(2).host() + ":" + nodes.get(2).port());
        });
        assertThat(nowhere(nodes.subList(0, 2), "app", "new-pw")).isTrue();

        nodes.get(2).restart();
        set.awaitReplication();
        Applied retried = adapter.apply(r);

        assertThat(retried.changed()).isTrue();
        assertThat(everywhere(nodes, "app", "new-pw")).isTrue();
        assertThat(everywhere(nodes, "app", "old-pw")).isTrue();
    }

    @Test
    void aNodeThatCameBackWithItsOldAclFileIsBroughtInLineByTheNextApply() {
        List<RedisServerProcess> nodes = threeNodes();
        Rotation r = AclFixtures.rotation("r5", AclFixtures.spec("app", nodes, true), "old-pw", "new-pw");
        adapter.apply(r);
        // As if the node had been restored from an older aclfile: it lost the new password.
        try (var admin = nodes.get(1).connectAsDefaultUser()) {
            admin.callText("ACL", "SETUSER", "app", "<new-pw");
        }

        Applied again = adapter.apply(r);

        assertThat(again.details()).containsEntry("nodesChanged", "1");
        assertThat(everywhere(nodes, "app", "new-pw")).isTrue();
    }

    @Test
    void usersDefinedInRedisConfCannotBeSavedAndTheRotatorSaysSoWithoutChangingAnything() {
        single = RedisServerProcess.builder().defaultUserPassword(AclFixtures.ADMIN_PASSWORD)
                .config("user", "app", "on", ">old-pw", "~*", "+@all").start();
        Rotation r = AclFixtures.rotation("r6", AclFixtures.spec("app", List.of(single), true), "old-pw", "new-pw");

        assertThatThrownBy(() -> adapter.apply(r)).isInstanceOfSatisfying(PlatformException.class, e -> {
            assertThat(e.reason()).isEqualTo(AclFailure.ACL_NOT_PERSISTENT);
            assertThat(e.retriable()).isFalse();
            assertThat(e.platformMayHaveChanged()).isFalse();
        }).hasMessageContaining("has no aclfile").hasMessageContaining("configure an aclfile");
        assertThat(authenticates(single, "app", "new-pw")).isFalse();
    }

    @Test
    void withoutPermissionToReadTheConfigTheFailedSaveIsReportedAsAPartialChange() {
        single = RedisServerProcess.builder()
                .config("user", "default", "on", "nopass", "~*", "+@all")
                .config("user", "app", "on", ">old-pw", "~*", "+@all", "-config").start();
        Rotation r = AclFixtures.rotation("r7", AclFixtures.spec("app", List.of(single), false), "old-pw", "new-pw");

        assertThatThrownBy(() -> adapter.apply(r)).isInstanceOfSatisfying(PlatformException.class, e -> {
            assertThat(e.reason()).isEqualTo(AclFailure.ACL_NOT_PERSISTENT);
            assertThat(e.platformMayHaveChanged()).isTrue();
        });
        assertThat(adapter.removeNew(r).changed()).isTrue();
        assertThat(authenticates(single, "app", "new-pw")).isFalse();
    }

    @Test
    void aWrongCurrentPasswordStopsTheRotationForGood() {
        single = RedisServerProcess.builder().aclUser(AclUser.fullAccess("app", "old-pw")).start();
        Rotation r = AclFixtures.rotation("r8", AclFixtures.spec("app", List.of(single), false), "stale-pw", "new-pw");

        assertThatThrownBy(() -> adapter.apply(r)).isInstanceOfSatisfying(PlatformException.class, e -> {
            assertThat(e.reason()).isEqualTo(AclFailure.CURRENT_PASSWORD_REFUSED);
            assertThat(e.retriable()).isFalse();
        }).hasMessageNotContaining("stale-pw");
    }

    @Test
    void aWrongAdminPasswordIsNamedAsSuch() {
        single = RedisServerProcess.builder().defaultUserPassword(AclFixtures.ADMIN_PASSWORD)
                .aclUser(AclUser.fullAccess("app", "old-pw")).start();
        secrets.put(AclFixtures.NAMESPACE, "redis-admin", Map.of("password", "wrong"));
        Rotation r = AclFixtures.rotation("r9", AclFixtures.spec("app", List.of(single), true), "old-pw", "new-pw");

        assertThatThrownBy(() -> adapter.apply(r)).isInstanceOfSatisfying(PlatformException.class,
                e -> assertThat(e.reason()).isEqualTo(AclFailure.ADMIN_LOGIN_REFUSED))
                .hasMessageContaining("redisAcl.adminSecretRef");
    }

    @Test
    void aUserWithoutAclPermissionNeedsAnAdmin() {
        single = RedisServerProcess.builder().defaultUserPassword(AclFixtures.ADMIN_PASSWORD)
                .aclUser(AclUser.of("app", "on", ">old-pw", "~*", "+@read")).start();
        Rotation r = AclFixtures.rotation("r10", AclFixtures.spec("app", List.of(single), false), "old-pw", "new-pw");

        assertThatThrownBy(() -> adapter.apply(r)).isInstanceOfSatisfying(PlatformException.class,
                e -> assertThat(e.reason()).isEqualTo(AclFailure.NOT_PERMITTED))
                .hasMessageContaining("NOPERM");
    }

    @Test
    void aUserMissingOnOneNodeIsNotCreatedThere() {
        List<RedisServerProcess> nodes = threeNodes();
        AclFixtures.createUser(nodes.subList(0, 2), "partial", "old-pw");
        Rotation r = AclFixtures.rotation("r11", AclFixtures.spec("partial", nodes, true), "old-pw", "new-pw");

        assertThatThrownBy(() -> adapter.apply(r)).isInstanceOfSatisfying(PlatformException.class,
                e -> assertThat(e.reason()).isEqualTo(AclFailure.USER_NOT_FOUND));
        try (var admin = nodes.get(2).connectAsDefaultUser()) {
            assertThat(admin.call("ACL", "GETUSER", "partial").isError()).isFalse();
            assertThat(admin.callText("ACL", "WHOAMI")).isEqualTo("default");
        }
        assertThat(nowhere(nodes.subList(0, 2), "partial", "new-pw")).isTrue();
    }

    @Test
    void revokeNeverLeavesANodeWithoutAWorkingPassword() {
        List<RedisServerProcess> nodes = threeNodes();
        Rotation r = AclFixtures.rotation("r12", AclFixtures.spec("app", nodes, true), "old-pw", "new-pw");
        adapter.apply(r);
        try (var admin = nodes.get(2).connectAsDefaultUser()) {
            admin.callText("ACL", "SETUSER", "app", "<new-pw");
        }

        assertThatThrownBy(() -> adapter.revoke(r)).isInstanceOfSatisfying(PlatformException.class,
                e -> assertThat(e.retriable()).isFalse()).hasMessageContaining("refusing to remove the old password");
        assertThat(authenticates(nodes.get(2), "app", "old-pw")).isTrue();
    }
}
