package io.rotor.redis.enterprise;

import com.fasterxml.jackson.databind.JsonNode;
import io.rotor.kit.participant.PlatformException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The cluster's roles ({@code GET /v1/roles}: uid, name, management), or none on a cluster from before role-based access
 * control, which answers that call with 501 (404 on builds that do not know the path). On an RBAC cluster a user is
 * created with {@code role_uids} (the deprecated {@code role} is for clusters without roles) and is an admin when one of
 * its roles has management {@code admin}.
 */
final class RecRoles {

    static final String ROLES = "/v1/roles";
    private static final String ADMIN = "admin";

    /** Empty on a cluster without roles. */
    private final Optional<List<JsonNode>> roles;

    private RecRoles(Optional<List<JsonNode>> roles) {
        this.roles = roles;
    }

    static RecRoles read(RecApi api, RecLogin login) {
        RecResponse answer = api.send(login, "GET", ROLES, null);
        if (answer.status() == 501 || answer.status() == 404) {
            return none();
        }
        if (!answer.ok()) {
            throw api.failure(answer, "listing roles");
        }
        if (answer.body() == null || !answer.body().isArray()) {
            throw new PlatformException(RecFailure.UNEXPECTED_RESPONSE, "the cluster at " + api.where()
                    + " answered GET " + ROLES + " with something other than a list");
        }
        List<JsonNode> list = new ArrayList<>();
        answer.body().forEach(list::add);
        return of(list);
    }

    /** The roles a cluster listed. */
    static RecRoles of(List<JsonNode> roles) {
        return new RecRoles(Optional.of(List.copyOf(roles)));
    }

    /** A cluster without roles. */
    static RecRoles none() {
        return new RecRoles(Optional.empty());
    }

    boolean rbac() {
        return roles.isPresent();
    }

    /**
     * What a new admin's {@code POST /v1/users} carries to be an admin: {@code role_uids} of the admin role where the
     * cluster has roles, else {@code role: admin}.
     *
     * @param wanted {@code redisEnterprise.role}: {@code admin} (the default) takes the built-in Admin role, or another
     *               role with management admin; any other value names a role, which must have management admin
     */
    Map<String, Object> adminGrant(String wanted, String where) {
        if (roles.isEmpty()) {
            if (!ADMIN.equalsIgnoreCase(wanted)) {
                throw new PlatformException(RecFailure.ADMIN_ROLE_NOT_FOUND, "the cluster at " + where + " has no "
                        + "roles (GET " + ROLES + " is not supported), so the new admin can only get role admin, not "
                        + "redisEnterprise.role '" + wanted + "'");
            }
            return Map.of("role", ADMIN);
        }
        List<JsonNode> admins = roles.get().stream().filter(RecRoles::isAdminRole)
                .sorted(Comparator.comparingInt(r -> r.path("uid").asInt())).toList();
        JsonNode chosen;
        if (ADMIN.equalsIgnoreCase(wanted)) {
            chosen = admins.stream().filter(r -> ADMIN.equalsIgnoreCase(r.path("name").asText())).findFirst()
                    .or(() -> admins.stream().findFirst())
                    .orElseThrow(() -> new PlatformException(RecFailure.ADMIN_ROLE_NOT_FOUND, "the cluster at "
                            + where + " lists no role with management admin, so no new admin can be made"));
        } else {
            chosen = roles.get().stream().filter(r -> wanted.equalsIgnoreCase(r.path("name").asText())).findFirst()
                    .orElseThrow(() -> new PlatformException(RecFailure.ADMIN_ROLE_NOT_FOUND, "the cluster at "
                            + where + " has no role named '" + wanted + "' (redisEnterprise.role)"));
            if (!isAdminRole(chosen)) {
                throw new PlatformException(RecFailure.ADMIN_ROLE_NOT_FOUND, "role '" + wanted + "' at " + where
                        + " has management '" + chosen.path("management").asText() + "', not admin: the "
                        + "RedisEnterpriseCluster's credentials must belong to an admin");
            }
        }
        return Map.of("role_uids", List.of(chosen.path("uid").asInt()));
    }

    /** Whether a user object (from {@code GET /v1/users}) is an admin: role admin, or a role with management admin. */
    boolean isAdmin(JsonNode user) {
        if (ADMIN.equals(user.path("role").asText())) {
            return true;
        }
        Set<Integer> adminUids = roles.orElse(List.of()).stream().filter(RecRoles::isAdminRole)
                .map(r -> r.path("uid").asInt()).collect(Collectors.toSet());
        for (JsonNode uid : user.path("role_uids")) {
            if (uid.canConvertToInt() && adminUids.contains(uid.asInt())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isAdminRole(JsonNode role) {
        return ADMIN.equals(role.path("management").asText()) && role.path("uid").canConvertToInt();
    }
}
