package io.rotor.redis.enterprise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rotor.kit.participant.PlatformException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which role makes an admin, from what {@code GET /v1/roles} and {@code GET /v1/users} list. */
class RecRolesTest {

    private static final String ROLES = """
            [{"uid":1,"name":"Admin","management":"admin"},{"uid":5,"name":"DB Viewer","management":"db_viewer"},
             {"uid":17,"name":"DBA","management":"admin"}]""";

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aUserIsAnAdminByRoleAdminOrByARoleUidWithManagementAdmin() throws Exception {
        RecRoles roles = listed(ROLES);

        assertThat(roles.isAdmin(user("{\"role\":\"admin\"}"))).isTrue();
        assertThat(roles.isAdmin(user("{\"role_uids\":[17]}"))).isTrue();
        assertThat(roles.isAdmin(user("{\"role_uids\":[5]}"))).isFalse();
        assertThat(roles.isAdmin(user("{\"role\":\"db_viewer\"}"))).isFalse();
        assertThat(roles.isAdmin(user("{}"))).isFalse();
    }

    @Test
    void theBuiltInAdminRoleIsPreferredAndANamedRoleMustBeAnAdminRole() throws Exception {
        RecRoles roles = listed(ROLES);

        assertThat(roles.adminGrant("admin", "here")).isEqualTo(Map.of("role_uids", List.of(1)));
        assertThat(roles.adminGrant("dba", "here")).isEqualTo(Map.of("role_uids", List.of(17)));
        assertThatThrownBy(() -> roles.adminGrant("DB Viewer", "here")).isInstanceOfSatisfying(
                PlatformException.class, e -> assertThat(e.reason()).isEqualTo(RecFailure.ADMIN_ROLE_NOT_FOUND));
        assertThatThrownBy(() -> listed("[{\"uid\":5,\"management\":\"db_viewer\"}]")
                .adminGrant("admin", "here")).isInstanceOf(PlatformException.class);
    }

    @Test
    void aClusterWithoutRolesGetsRoleAdminOnly() throws Exception {
        RecRoles roles = RecRoles.none();

        assertThat(roles.rbac()).isFalse();
        assertThat(roles.adminGrant("admin", "here")).isEqualTo(Map.of("role", "admin"));
        assertThatThrownBy(() -> roles.adminGrant("DBA", "here")).isInstanceOfSatisfying(PlatformException.class,
                e -> assertThat(e.reason()).isEqualTo(RecFailure.ADMIN_ROLE_NOT_FOUND));
    }

    private JsonNode user(String body) throws Exception {
        return json.readTree(body);
    }

    private RecRoles listed(String body) throws Exception {
        List<JsonNode> roles = new ArrayList<>();
        json.readTree(body).forEach(roles::add);
        return RecRoles.of(roles);
    }
}
