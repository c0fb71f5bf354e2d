package io.rotor.redis.enterprise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotor.kit.participant.Applied;
import io.rotor.kit.participant.PlatformException;
import io.rotor.kit.participant.Rotation;
import io.rotor.kit.retry.LoginBudget;
import io.rotor.kit.timer.ManualTimers;
import io.rotor.redis.InMemorySecretLookup;
import io.rotor.testkit.rec.RedisEnterpriseFake;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * new-identity as the real API answers it: the admin role by {@code role_uids} (or {@code role} where the cluster has no
 * roles), 409 for a user that exists, proof that the new admin is an admin, and a rollback that points the cluster
 * resource back before it deletes anything.
 */
class RedisEnterpriseNewIdentityTest {

    private static final String ADMIN = "admin@example.com";
    private static final String CLUSTER = "rec";
    private static final String ROTATION = "5f0c2a9e-7d1b-4c3a-9e8f-0a1b2c3d4e5f";
    private static final String NEW_ADMIN = "admin+rotor-5f0c2a9e7d1b@example.com";
    private static final String NEW_PASSWORD = "New-pw-2!";

    private final ManualTimers timers = new ManualTimers(Instant.parse("2026-03-01T02:00:00Z"));
    private final RedisEnterpriseFake rec = RedisEnterpriseFake.builder().clock(timers.clock())
            .user(ADMIN, "admin", "Old-pw-1!").start();
    private final InMemorySecretLookup secrets = RecFixtures.secretsTrusting(rec);
    private final RecFixtures.InMemoryClusters clusters = new RecFixtures.InMemoryClusters();
    private final RedisEnterpriseAdapter adapter = new RedisEnterpriseAdapter(secrets,
            LoginBudget.inMemory(2, Duration.ofMinutes(15), timers.clock()), clusters);

    RedisEnterpriseNewIdentityTest() {
        clusters.setUsername(RecFixtures.NAMESPACE, CLUSTER, ADMIN);
    }

    @AfterEach
    void stop() {
        rec.close();
    }

    private Rotation rotation(String role) {
        return RecFixtures.rotation(ROTATION, RecFixtures.newIdentity(rec, ADMIN, CLUSTER, role), "Old-pw-1!",
                NEW_PASSWORD);
    }

    private String pointedAt() {
        return clusters.usernames.get(RecFixtures.NAMESPACE + "/" + CLUSTER);
    }

    @Test
    void onAnRbacClusterTheNewAdminGetsTheBuiltInAdminRoleByRoleUids() {
        rec.addRole("DBA", "admin");

        adapter.apply(rotation(null));

        assertThat(rec.roleUidsGiven(NEW_ADMIN)).containsExactly(1);
        assertThat(rec.roleGiven(NEW_ADMIN)).isEmpty();
        assertThat(rec.isAdmin(NEW_ADMIN)).isTrue();
    }

    @Test
    void aRoleNamedInTheSpecIsUsedWhenItIsAnAdminRole() {
        int dba = rec.addRole("DBA", "admin");

        adapter.apply(rotation("DBA"));

        assertThat(rec.roleUidsGiven(NEW_ADMIN)).containsExactly(dba);
    }

    @Test
    void aRoleThatIsNoAdminRoleIsRefusedBeforeAnyUserIsCreated() {
        assertThatThrownBy(() -> adapter.apply(rotation("DB Viewer"))).isInstanceOfSatisfying(PlatformException.class,
                e -> {
                    assertThat(e.reason()).isEqualTo(RecFailure.ADMIN_ROLE_NOT_FOUND);
                    assertThat(e.platformMayHaveChanged()).isFalse();
                }).hasMessageContaining("db_viewer");

        assertThat(rec.userExists(NEW_ADMIN)).isFalse();
        assertThat(pointedAt()).isEqualTo(ADMIN);
    }

    @Test
    void aClusterWithoutRolesGetsTheDeprecatedRoleAdmin() {
        rec.rbac(false);

        Rotation r = rotation(null);
        Applied applied = adapter.apply(r);
        adapter.verify(RecFixtures.after(r, applied));

        assertThat(rec.roleGiven(NEW_ADMIN)).contains("admin");
        assertThat(rec.roleUidsGiven(NEW_ADMIN)).isEmpty();
    }

    @Test
    void aRedeliveredApplyMeetsTheConflictFindsItsOwnAdminAndChangesNothing() {
        Rotation r = rotation(null);
        adapter.apply(r);

        Applied again = adapter.apply(r);

        assertThat(again.changed()).isFalse();
        assertThat(rec.passwordCount(NEW_ADMIN)).isEqualTo(1);
        assertThat(rec.failedLoginsTotal(NEW_ADMIN)).isZero();
        assertThat(pointedAt()).isEqualTo(NEW_ADMIN);
    }

    @Test
    void aNameHeldByAnotherUserIsAConflictThatSaysSoAndLeavesEverythingAlone() {
        rec.addUser("ops@example.com", NEW_ADMIN, "db_viewer", "Ops-pw-3!");

        assertThatThrownBy(() -> adapter.apply(rotation(null))).isInstanceOfSatisfying(PlatformException.class, e -> {
            assertThat(e.reason()).isEqualTo(RecFailure.USER_ALREADY_EXISTS);
            assertThat(e.platformMayHaveChanged()).isFalse();
        }).hasMessageContaining("HTTP 409, name_already_exists: the given name is already taken")
                .hasMessageNotContaining(NEW_PASSWORD);

        assertThat(rec.userExists(NEW_ADMIN)).isFalse();
        assertThat(rec.accepts("ops@example.com", "Ops-pw-3!")).isTrue();
        assertThat(pointedAt()).isEqualTo(ADMIN);
    }

    @Test
    void aUserWithTheNewAdminsEmailThatTheNewPasswordDoesNotOpenIsLeftAlone() {
        rec.addUser(NEW_ADMIN, "admin", "Someone-pw-4!");

        assertThatThrownBy(() -> adapter.apply(rotation(null))).isInstanceOfSatisfying(PlatformException.class, e -> {
            assertThat(e.reason()).isEqualTo(RecFailure.USER_ALREADY_EXISTS);
            assertThat(e.platformMayHaveChanged()).isFalse();
        }).hasMessageContaining("left alone");

        assertThat(rec.accepts(NEW_ADMIN, "Someone-pw-4!")).isTrue();
        assertThat(rec.failedLoginsTotal(NEW_ADMIN)).isEqualTo(1);
        assertThat(pointedAt()).isEqualTo(ADMIN);
    }

    @Test
    void anExistingUserTheNewPasswordOpensButThatIsNoAdminIsNeverPointedAt() {
        rec.addUser(NEW_ADMIN, "db_viewer", NEW_PASSWORD);

        assertThatThrownBy(() -> adapter.apply(rotation(null))).isInstanceOfSatisfying(PlatformException.class, e -> {
            assertThat(e.reason()).isEqualTo(RecFailure.NOT_AN_ADMIN);
            assertThat(e.platformMayHaveChanged()).as("the user is this rotation's: a given-up step removes it")
                    .isTrue();
        });

        assertThat(pointedAt()).isEqualTo(ADMIN);
    }

    @Test
    void verificationFailsForANewAdminThatIsNoLongerAnAdmin() {
        Rotation r = rotation(null);
        Applied applied = adapter.apply(r);
        rec.setRole(NEW_ADMIN, "db_viewer");

        assertThatThrownBy(() -> adapter.verify(RecFixtures.after(r, applied)))
                .isInstanceOfSatisfying(PlatformException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RecFailure.NOT_AN_ADMIN);
                    assertThat(e.retriable()).isFalse();
                }).hasMessageContaining("403");
    }

    @Test
    void rollbackPointsTheClusterBackWhileTheNewAdminStillExistsAndThenDeletesIt() {
        Rotation r = rotation(null);
        Applied applied = adapter.apply(r);
        List<String> seen = new ArrayList<>();
        clusters.beforeSet = username -> seen.add(username + " while the new admin exists: "
                + rec.userExists(NEW_ADMIN));

        assertThat(adapter.removeNew(RecFixtures.after(r, applied)).changed()).isTrue();

        assertThat(seen).containsExactly(ADMIN + " while the new admin exists: true");
        assertThat(rec.userExists(NEW_ADMIN)).isFalse();
        assertThat(pointedAt()).isEqualTo(ADMIN);
    }

    @Test
    void aRollbackThatCannotPointTheClusterBackDeletesNothing() {
        Rotation r = rotation(null);
        Applied applied = adapter.apply(r);
        clusters.beforeSet = username -> {
            throw new PlatformException(RecFailure.CLUSTER_RESOURCE_UNAVAILABLE, "the Kubernetes API is away");
        };

        assertThatThrownBy(() -> adapter.removeNew(RecFixtures.after(r, applied)))
                .isInstanceOfSatisfying(PlatformException.class,
                        e -> assertThat(e.reason()).isEqualTo(RecFailure.CLUSTER_RESOURCE_UNAVAILABLE));

        assertThat(rec.userExists(NEW_ADMIN)).isTrue();
        assertThat(rec.accepts(NEW_ADMIN, NEW_PASSWORD)).isTrue();
        assertThat(pointedAt()).isEqualTo(NEW_ADMIN);
    }

    @Test
    void anApplyGivenUpForAMissingClusterResourceIsUndoneByDeletingTheNewAdmin() {
        clusters.usernames.clear();
        Rotation r = rotation(null);

        assertThatThrownBy(() -> adapter.apply(r)).isInstanceOfSatisfying(PlatformException.class, e -> {
            assertThat(e.reason()).isEqualTo(RecFailure.CLUSTER_RESOURCE);
            assertThat(e.platformMayHaveChanged()).isTrue();
        });
        assertThat(rec.userExists(NEW_ADMIN)).isTrue();

        assertThat(adapter.removeNew(r).changed()).isTrue();
        assertThat(rec.userExists(NEW_ADMIN)).isFalse();
    }
}
