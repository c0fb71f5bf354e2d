package io.rotor.testkit.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.rotor.testkit.kubernetes.RbacAuthorizer.Attributes;
import io.rotor.testkit.kubernetes.RbacAuthorizer.Decision;

/** Kubernetes RBAC semantics, checked on the authorizer alone (no API server). */
class RbacAuthorizerTest {

    private static final String CREDENTIALS = "managedcredentials";

    /** The roles a cluster admin might install for Rotor's REST API, and bindings as kubectl create makes them. */
    private static final String ROLES = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: credentials-viewer
              labels: {rotor.io/aggregate-to-operator: "true"}
            rules:
            - apiGroups: [rotor.io]
              resources: [managedcredentials]
              verbs: [get, list, watch]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: credentials-rotator
              labels: {rotor.io/aggregate-to-operator: "true"}
            rules:
            - apiGroups: [rotor.io]
              resources: [managedcredentials]
              verbs: [rotate, confirm]
            """;

    private static Attributes credential(String namespace, String verb, String name) {
        return Attributes.namespaced(namespace, verb, "rotor.io", CREDENTIALS, name);
    }

    private static RbacAuthorizer rbac(String... yamlDocuments) {
        String yaml = String.join("\n---\n", yamlDocuments);
        return RbacAuthorizer.fromYaml(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    private static String roleBinding(String name, String namespace, String roleKind, String role, String subjects) {
        return """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: %s, namespace: %s}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: %s, name: %s}
                subjects:
                %s
                """.formatted(name, namespace, roleKind, role, subjects);
    }

    private static String clusterRoleBinding(String name, String role, String subjects) {
        return """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: %s}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: %s}
                subjects:
                %s
                """.formatted(name, role, subjects);
    }

    private static String user(String name) {
        return "- {apiGroup: rbac.authorization.k8s.io, kind: User, name: " + name + "}";
    }

    private static String group(String name) {
        return "- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: " + name + "}";
    }

    @Test
    void aRoleBindingOfAClusterRoleGrantsItsVerbsInTheBindingsNamespaceOnly() {
        RbacAuthorizer rbac = rbac(ROLES, roleBinding("alice-view", "team-a", "ClusterRole", "credentials-viewer",
                user("alice")));

        Decision get = rbac.authorize("alice", List.of(), credential("team-a", "get", "db"));
        assertThat(get).isEqualTo(new Decision(true,
                "RBAC: allowed by RoleBinding \"alice-view/team-a\" of ClusterRole \"credentials-viewer\" to User \"alice\""));
        assertThat(rbac.authorize("alice", List.of(), credential("team-a", "list", ""))).extracting(Decision::allowed)
                .isEqualTo(true);
        assertThat(rbac.authorize("alice", List.of(), credential("team-a", "rotate", "db")))
                .isEqualTo(new Decision(false, ""));
        assertThat(rbac.authorize("alice", List.of(), credential("team-b", "get", "db")).allowed()).isFalse();
        assertThat(rbac.authorize("alice", List.of(), Attributes.clusterWide("list", "rotor.io", CREDENTIALS, ""))
                .allowed()).as("a RoleBinding never grants cluster-wide").isFalse();
        assertThat(rbac.authorize("bob", List.of(), credential("team-a", "get", "db")).allowed()).isFalse();
    }

    @Test
    void aClusterRoleBindingGrantsEverywhereAndClusterWide() {
        RbacAuthorizer rbac = rbac(ROLES, clusterRoleBinding("auditors", "credentials-viewer", group("auditors")));

        for (String namespace : List.of("team-a", "team-b")) {
            assertThat(rbac.authorize("carol", List.of("auditors"), credential(namespace, "get", "db")))
                    .isEqualTo(new Decision(true, "RBAC: allowed by ClusterRoleBinding \"auditors\" of ClusterRole "
                            + "\"credentials-viewer\" to Group \"auditors\""));
        }
        assertThat(rbac.authorize("carol", List.of("auditors"),
                Attributes.clusterWide("list", "rotor.io", CREDENTIALS, "")).allowed()).isTrue();
        assertThat(rbac.authorize("carol", List.of("auditors"), credential("team-a", "rotate", "db")).allowed())
                .isFalse();
        assertThat(rbac.authorize("carol", List.of("other"), credential("team-a", "get", "db")).allowed()).isFalse();
        assertThat(rbac.authorize("", List.of("auditors"), credential("team-a", "get", "db")).allowed())
                .as("a review may name groups only").isTrue();
    }

    @Test
    void serviceAccountSubjectsMatchTheirUserNameAndDefaultToTheBindingsNamespace() {
        RbacAuthorizer rbac = rbac(ROLES,
                // kubectl create rolebinding ci --clusterrole=credentials-rotator --serviceaccount=team-a:ci -n team-a
                roleBinding("ci", "team-a", "ClusterRole", "credentials-rotator",
                        "- {kind: ServiceAccount, name: ci, namespace: team-a}"),
                roleBinding("local-sa", "team-b", "ClusterRole", "credentials-rotator",
                        "- {kind: ServiceAccount, name: deployer}"),
                clusterRoleBinding("no-namespace", "credentials-viewer", "- {kind: ServiceAccount, name: deployer}"));

        assertThat(rbac.authorize(Identity.serviceAccount("team-a", "ci"), credential("team-a", "rotate", "db")))
                .isEqualTo(new Decision(true, "RBAC: allowed by RoleBinding \"ci/team-a\" of ClusterRole "
                        + "\"credentials-rotator\" to ServiceAccount \"ci/team-a\""));
        assertThat(rbac.authorize(Identity.serviceAccount("team-b", "ci"), credential("team-a", "rotate", "db"))
                .allowed()).isFalse();
        assertThat(rbac.authorize("ci", List.of(), credential("team-a", "rotate", "db")).allowed())
                .as("the bare name is not the ServiceAccount").isFalse();
        assertThat(rbac.authorize(Identity.serviceAccount("team-b", "deployer"), credential("team-b", "confirm", "x")))
                .isEqualTo(new Decision(true, "RBAC: allowed by RoleBinding \"local-sa/team-b\" of ClusterRole "
                        + "\"credentials-rotator\" to ServiceAccount \"deployer/team-b\""));
        assertThat(rbac.authorize(Identity.serviceAccount("team-b", "deployer"), credential("team-c", "get", "x"))
                .allowed()).as("a ClusterRoleBinding's ServiceAccount needs a namespace").isFalse();
        assertThat(rbac.authorize("system:serviceaccount:team-a:ci", List.of("system:serviceaccounts"),
                credential("team-a", "rotate", "db")).allowed()).isTrue();
    }

    @Test
    void aRoleBindingOfARoleUsesTheRoleOfItsOwnNamespace() {
        String role = """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: rotate-db, namespace: team-a}
                rules:
                - apiGroups: [rotor.io]
                  resources: [managedcredentials]
                  verbs: [rotate]
                  resourceNames: [db-password]
                """;
        RbacAuthorizer rbac = rbac(role,
                roleBinding("dba", "team-a", "Role", "rotate-db", user("dana")),
                roleBinding("dba", "team-b", "Role", "rotate-db", user("dana")));

        assertThat(rbac.authorize("dana", List.of(), credential("team-a", "rotate", "db-password")))
                .isEqualTo(new Decision(true,
                        "RBAC: allowed by RoleBinding \"dba/team-a\" of Role \"rotate-db\" to User \"dana\""));
        assertThat(rbac.authorize("dana", List.of(), credential("team-a", "rotate", "cache-password")).allowed())
                .as("resourceNames restricts the rule").isFalse();
        assertThat(rbac.authorize("dana", List.of(), credential("team-a", "rotate", "")).allowed())
                .as("a request without a name never matches resourceNames").isFalse();
        assertThat(rbac.authorize("dana", List.of(), credential("team-b", "rotate", "db-password")))
                .as("team-b has no Role rotate-db: the API server says why in the reason")
                .isEqualTo(new Decision(false, "RBAC: role.rbac.authorization.k8s.io \"rotate-db\" not found"));
    }

    @Test
    void missingRolesAndBadReferencesAreReportedAsTheApiServerWordsThem() {
        RbacAuthorizer rbac = rbac(
                clusterRoleBinding("gone", "no-such-role", user("erin")),
                roleBinding("gone", "team-a", "ClusterRole", "no-such-role", user("erin")),
                roleBinding("odd", "team-a", "Unicorn", "x", user("erin")));

        assertThat(rbac.authorize("erin", List.of(), credential("team-a", "get", "db"))).isEqualTo(new Decision(false,
                "RBAC: [clusterrole.rbac.authorization.k8s.io \"no-such-role\" not found, "
                        + "unsupported role reference kind: \"Unicorn\"]"));
        assertThat(rbac.authorize("frank", List.of(), credential("team-a", "get", "db")))
                .as("bindings of other subjects are not looked at").isEqualTo(new Decision(false, ""));
    }

    @Test
    void rulesMatchWildcardsAndSubresourcesLikeTheApiServer() {
        RbacAuthorizer rbac = rbac("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: mixed}
                rules:
                - apiGroups: ["*"]
                  resources: [widgets]
                  verbs: ["*"]
                - apiGroups: [""]
                  resources: [secrets]
                  verbs: [get]
                - apiGroups: [apps]
                  resources: [deployments/scale, "*/status"]
                  verbs: [update]
                - apiGroups: [rotor.io]
                  resources: ["*"]
                  verbs: [watch]
                - nonResourceURLs: ["*"]
                  verbs: ["*"]
                """, clusterRoleBinding("mixed", "mixed", user("gus")));

        assertThat(allowed(rbac, new Attributes("ns", "frobnicate", "any.example.com", "widgets", "", "w"))).isTrue();
        assertThat(allowed(rbac, Attributes.namespaced("ns", "get", "", "secrets", "s"))).isTrue();
        assertThat(allowed(rbac, Attributes.namespaced("ns", "get", "apps", "secrets", "s")))
                .as("\"\" is the core group only").isFalse();
        assertThat(allowed(rbac, Attributes.namespaced("ns", "list", "", "secrets", ""))).isFalse();
        assertThat(allowed(rbac, Attributes.namespaced("ns", "update", "apps", "deployments", "d")
                .withSubresource("scale"))).isTrue();
        assertThat(allowed(rbac, Attributes.namespaced("ns", "update", "apps", "deployments", "d")))
                .as("a subresource rule does not grant the resource").isFalse();
        assertThat(allowed(rbac, Attributes.namespaced("ns", "update", "apps", "statefulsets", "s")
                .withSubresource("status"))).as("*/status").isTrue();
        assertThat(allowed(rbac, Attributes.namespaced("ns", "update", "apps", "statefulsets", "s")
                .withSubresource("scale"))).isFalse();
        assertThat(allowed(rbac, Attributes.namespaced("ns", "watch", "rotor.io", CREDENTIALS, "")
                .withSubresource("status"))).as("* covers subresources").isTrue();
        assertThat(allowed(rbac, Attributes.namespaced("ns", "get", "rotor.io", CREDENTIALS, "c")))
                .as("a nonResourceURLs rule grants no resource").isFalse();
    }

    @Test
    void anAggregatedClusterRoleHasTheRulesOfTheRolesItsSelectorsMatch() {
        RbacAuthorizer rbac = rbac(ROLES, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: credentials-operator}
                aggregationRule:
                  clusterRoleSelectors:
                  - matchLabels: {rotor.io/aggregate-to-operator: "true"}
                rules:
                - apiGroups: ["*"]
                  resources: ["*"]
                  verbs: ["*"]
                """, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: credentials-admin}
                aggregationRule:
                  clusterRoleSelectors:
                  - matchExpressions:
                    - {key: rotor.io/aggregate-to-admin, operator: Exists}
                    - {key: tier, operator: NotIn, values: [experimental]}
                """, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata:
                  name: operator-to-admin
                  labels: {rotor.io/aggregate-to-admin: ""}
                aggregationRule:
                  clusterRoleSelectors:
                  - matchLabels: {rotor.io/aggregate-to-operator: "true"}
                """, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata:
                  name: delete-credentials
                  labels: {rotor.io/aggregate-to-admin: "yes", tier: stable}
                rules:
                - apiGroups: [rotor.io]
                  resources: [managedcredentials]
                  verbs: [delete]
                """, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata:
                  name: experimental
                  labels: {rotor.io/aggregate-to-admin: "yes", tier: experimental}
                rules:
                - apiGroups: [rotor.io]
                  resources: [managedcredentials]
                  verbs: [escalate]
                """,
                roleBinding("ops", "team-a", "ClusterRole", "credentials-operator", group("team-a-operators")),
                roleBinding("admins", "team-a", "ClusterRole", "credentials-admin", user("hana")));

        List<String> operators = List.of("team-a-operators");
        assertThat(rbac.authorize("ivan", operators, credential("team-a", "get", "db")).allowed()).isTrue();
        assertThat(rbac.authorize("ivan", operators, credential("team-a", "confirm", "db")).reason())
                .isEqualTo("RBAC: allowed by RoleBinding \"ops/team-a\" of ClusterRole \"credentials-operator\" "
                        + "to Group \"team-a-operators\"");
        assertThat(rbac.authorize("ivan", operators, credential("team-a", "delete", "db")).allowed())
                .as("the aggregated role's own rules are replaced by the aggregation").isFalse();

        assertThat(rbac.authorize("hana", List.of(), credential("team-a", "delete", "db")).allowed()).isTrue();
        assertThat(rbac.authorize("hana", List.of(), credential("team-a", "rotate", "db")).allowed())
                .as("through an aggregated role it aggregates").isTrue();
        assertThat(rbac.authorize("hana", List.of(), credential("team-a", "escalate", "db")).allowed())
                .as("NotIn").isFalse();
    }

    @Test
    void aggregationSelectorsFollowLabelSelectorRules() {
        RbacAuthorizer rbac = rbac("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: everything}
                aggregationRule:
                  clusterRoleSelectors:
                  - {}
                """, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: loop-a, labels: {loop: "true"}}
                aggregationRule:
                  clusterRoleSelectors:
                  - matchLabels: {loop: "true"}
                """, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: loop-b, labels: {loop: "true", env: prod}}
                aggregationRule:
                  clusterRoleSelectors:
                  - matchLabels: {loop: "true"}
                  - matchExpressions: [{key: env, operator: In, values: [prod, staging]}]
                """, """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: base, labels: {env: staging}}
                rules:
                - apiGroups: [""]
                  resources: [configmaps]
                  verbs: [get]
                """,
                clusterRoleBinding("all", "everything", user("jo")),
                clusterRoleBinding("loop", "loop-a", user("kim")));

        assertThat(rbac.authorize("jo", List.of(), Attributes.namespaced("x", "get", "", "configmaps", "c")).allowed())
                .as("an empty selector selects every other ClusterRole").isTrue();
        assertThat(rbac.authorize("kim", List.of(), Attributes.namespaced("x", "get", "", "configmaps", "c"))
                .allowed()).as("loop-a gets base through loop-b's In selector, and the cycle ends").isTrue();
    }

    @Test
    void theShippedOrchestratorRoleReadsCredentialsEverywhereAndWritesNoSecret() {
        RbacAuthorizer rbac = RbacAuthorizer.fromYaml(
                Path.of("..", "deploy", "kubernetes", "base", "orchestrator", "rbac.yaml"));
        Identity orchestrator = Identity.serviceAccount("rotor", "orchestrator");

        assertThat(rbac.authorize(orchestrator, credential("shop", "watch", "")).allowed()).isTrue();
        assertThat(rbac.authorize(orchestrator, credential("shop", "get", "db")).reason())
                .startsWith("RBAC: allowed by ClusterRoleBinding \"rotor-orchestrator\" of ClusterRole "
                        + "\"rotor-orchestrator\" to ServiceAccount \"orchestrator/rotor\"");
        assertThat(rbac.authorize(orchestrator, Attributes.namespaced("shop", "update", "", "secrets", "db"))
                .allowed()).isFalse();
        assertThat(rbac.authorize(Identity.serviceAccount("shop", "orchestrator"), credential("shop", "get", "db"))
                .allowed()).as("same name, other namespace").isFalse();
    }

    private static boolean allowed(RbacAuthorizer rbac, Attributes attributes) {
        return rbac.authorize("gus", List.of(), attributes).allowed();
    }
}
