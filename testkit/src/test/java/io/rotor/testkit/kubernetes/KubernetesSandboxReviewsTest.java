package io.rotor.testkit.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatus;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * TokenReviews and SubjectAccessReviews through a real fabric8 client, as the orchestrator's REST API will send them:
 * who is this bearer token, and may that user do this verb on this ManagedCredential. The RBAC objects are the
 * shape {@code kubectl create rolebinding|clusterrolebinding} gives. One sandbox for the class: each test has its own
 * users, groups, namespaces and role names.
 */
class KubernetesSandboxReviewsTest {

    private static final List<ApiCall> CALLS = new CopyOnWriteArrayList<>();

    @RegisterExtension
    static final KubernetesSandboxExtension K8S = KubernetesSandboxExtension.with(b -> b
            .withManagedCredentialCrd()
            .withoutController()
            .recordCalls(CALLS::add));

    /** Roles as an installation would ship them for the REST API; the viewer and rotator aggregate to operator. */
    private static final String ROLES = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: %1$s-viewer
              labels: {%1$s/aggregate-to-operator: "true"}
            rules:
            - apiGroups: [rotor.io]
              resources: [managedcredentials]
              verbs: [get, list, watch]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: %1$s-rotator
              labels: {%1$s/aggregate-to-operator: "true"}
            rules:
            - apiGroups: [rotor.io]
              resources: [managedcredentials]
              verbs: [rotate, confirm]
            """;

    @Test
    void tokenReviewsAnswerFromTheIdentityTable() {
        SandboxIdentities identities = K8S.sandbox().identities();
        identities.add("alice-token", Identity.user("alice", "rotor-viewers").withUid("u-1"))
                .addServiceAccount("ci-token", "team-a", "ci");

        TokenReview alice = tokenReview("alice-token", "rotor-orchestrator");
        assertThat(alice.getKind()).isEqualTo("TokenReview");
        assertThat(alice.getApiVersion()).isEqualTo("authentication.k8s.io/v1");
        assertThat(alice.getSpec().getToken()).as("spec echoed").isEqualTo("alice-token");
        assertThat(alice.getStatus().getAuthenticated()).isTrue();
        assertThat(alice.getStatus().getUser().getUsername()).isEqualTo("alice");
        assertThat(alice.getStatus().getUser().getUid()).isEqualTo("u-1");
        assertThat(alice.getStatus().getUser().getGroups()).containsExactly("rotor-viewers", "system:authenticated");
        assertThat(alice.getStatus().getAudiences()).containsExactly("rotor-orchestrator");
        assertThat(alice.getStatus().getError()).isNull();

        TokenReviewStatus ci = tokenReview("ci-token", null).getStatus();
        assertThat(ci.getUser().getUsername()).isEqualTo("system:serviceaccount:team-a:ci");
        assertThat(ci.getUser().getGroups()).containsExactly("system:serviceaccounts",
                "system:serviceaccounts:team-a", "system:authenticated");
        assertThat(ci.getAudiences()).as("none asked, none echoed").isEmpty();

        TokenReviewStatus unknown = tokenReview("nobody-token", "rotor-orchestrator").getStatus();
        assertThat(unknown.getAuthenticated()).as("false is omitted, as a real API server omits it").isNull();
        assertThat(unknown.getError()).isEqualTo("invalid bearer token");
        assertThat(unknown.getUser().getUsername()).isNull();
        assertThat(unknown.getAudiences()).isEmpty();

        assertThat(identities.remove("alice-token")).get().extracting(Identity::username).isEqualTo("alice");
        assertThat(tokenReview("alice-token", null).getStatus().getAuthenticated()).isNull();

        assertThatThrownBy(() -> tokenReview("", null)).isInstanceOfSatisfying(KubernetesClientException.class,
                e -> assertThat(e.getCode()).isEqualTo(400));
    }

    @Test
    void aViewerMayReadButNotRotate() {
        K8S.sandbox().loadYaml(ROLES.formatted("view") + "---\n"
                // kubectl create rolebinding alice-view --clusterrole=view-viewer --user=alice -n view-a
                + roleBinding("alice-view", "view-a", "view-viewer", user("alice")));

        SubjectAccessReviewStatus get = review("alice", List.of("system:authenticated"), "view-a", "get", "db");
        assertThat(get.getAllowed()).isTrue();
        assertThat(get.getDenied()).isNull();
        assertThat(get.getReason()).isEqualTo(
                "RBAC: allowed by RoleBinding \"alice-view/view-a\" of ClusterRole \"view-viewer\" to User \"alice\"");

        SubjectAccessReviewStatus rotate = review("alice", List.of("system:authenticated"), "view-a", "rotate", "db");
        assertThat(rotate.getAllowed()).isFalse();
        assertThat(rotate.getDenied()).as("RBAC never denies").isNull();
        assertThat(rotate.getReason()).isNull();

        assertThat(review("alice", List.of(), "view-b", "get", "db").getAllowed()).isFalse();
        assertThat(review("alice", List.of(), "", "list", "").getAllowed())
                .as("a cluster-scoped review only looks at ClusterRoleBindings").isFalse();
    }

    @Test
    void oneNamespacesOperatorCannotConfirmAnothersRotation() {
        K8S.sandbox().loadYaml(ROLES.formatted("ops") + "---\n"
                // kubectl create rolebinding operators --clusterrole=ops-rotator --group=ops-a-operators -n ops-a
                + roleBinding("operators", "ops-a", "ops-rotator", group("ops-a-operators")) + "---\n"
                + roleBinding("operators", "ops-b", "ops-rotator", group("ops-b-operators")));

        List<String> teamA = List.of("ops-a-operators", "system:authenticated");
        assertThat(review("bob", teamA, "ops-a", "rotate", "db").getAllowed()).isTrue();
        assertThat(review("bob", teamA, "ops-a", "confirm", "db").getReason()).isEqualTo(
                "RBAC: allowed by RoleBinding \"operators/ops-a\" of ClusterRole \"ops-rotator\" "
                        + "to Group \"ops-a-operators\"");
        assertThat(review("bob", teamA, "ops-b", "confirm", "db").getAllowed()).isFalse();
        assertThat(review("bob", teamA, "ops-b", "rotate", "db").getAllowed()).isFalse();
        assertThat(review("bob", List.of("ops-b-operators"), "ops-b", "confirm", "db").getAllowed()).isTrue();
    }

    @Test
    void aClusterRoleBindingGrantsInEveryNamespaceAndClusterWide() {
        K8S.sandbox().loadYaml(ROLES.formatted("crb") + "---\n"
                // kubectl create clusterrolebinding crb-auditors --clusterrole=crb-viewer --group=crb-auditors
                + """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: crb-auditors}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: crb-viewer}
                subjects:
                - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: crb-auditors}
                """);

        for (String namespace : List.of("crb-a", "crb-b", "")) {
            SubjectAccessReviewStatus list = review("carol", List.of("crb-auditors"), namespace, "list", "");
            assertThat(list.getAllowed()).as(namespace).isTrue();
            assertThat(list.getReason()).isEqualTo("RBAC: allowed by ClusterRoleBinding \"crb-auditors\" of "
                    + "ClusterRole \"crb-viewer\" to Group \"crb-auditors\"");
        }
        assertThat(review("carol", List.of("crb-auditors"), "crb-a", "rotate", "db").getAllowed()).isFalse();
    }

    @Test
    void aServiceAccountTokenIsReviewedThenAuthorizedInItsNamespace() {
        K8S.sandbox().identities().addServiceAccount("deployer-token", "sa-a", "deployer");
        K8S.sandbox().loadYaml(ROLES.formatted("sa") + "---\n"
                // kubectl create rolebinding deployer --clusterrole=sa-rotator --serviceaccount=sa-a:deployer -n sa-a
                + roleBinding("deployer", "sa-a", "sa-rotator",
                        "- {kind: ServiceAccount, name: deployer, namespace: sa-a}"));

        // What the orchestrator does: TokenReview for the caller, then a SubjectAccessReview for what it asks.
        TokenReviewStatus who = tokenReview("deployer-token", null).getStatus();
        String user = who.getUser().getUsername();
        List<String> groups = who.getUser().getGroups();

        SubjectAccessReviewStatus rotate = review(user, groups, "sa-a", "rotate", "db");
        assertThat(rotate.getAllowed()).isTrue();
        assertThat(rotate.getReason()).isEqualTo("RBAC: allowed by RoleBinding \"deployer/sa-a\" of ClusterRole "
                + "\"sa-rotator\" to ServiceAccount \"deployer/sa-a\"");
        assertThat(review(user, groups, "sa-b", "rotate", "db").getAllowed()).isFalse();
        assertThat(review("system:serviceaccount:sa-b:deployer", List.of(), "sa-a", "rotate", "db").getAllowed())
                .isFalse();
    }

    @Test
    void resourceNamesRestrictARuleToTheNamedCredentials() {
        K8S.sandbox().loadYaml("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: rotate-db, namespace: names-a}
                rules:
                - apiGroups: [rotor.io]
                  resources: [managedcredentials]
                  resourceNames: [db-password]
                  verbs: [get, rotate]
                ---
                """ + roleBinding("dana-db", "names-a", "Role", "rotate-db", user("dana")));

        assertThat(review("dana", List.of(), "names-a", "rotate", "db-password").getReason())
                .isEqualTo("RBAC: allowed by RoleBinding \"dana-db/names-a\" of Role \"rotate-db\" to User \"dana\"");
        assertThat(review("dana", List.of(), "names-a", "rotate", "cache-password").getAllowed()).isFalse();
        assertThat(review("dana", List.of(), "names-a", "list", "").getAllowed()).isFalse();
    }

    @Test
    void anAggregatedRoleGainsTheRulesOfRolesCreatedLater() {
        KubernetesClient client = K8S.client();
        K8S.sandbox().loadYaml("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: agg-operator}
                aggregationRule:
                  clusterRoleSelectors:
                  - matchLabels: {agg/aggregate-to-operator: "true"}
                rules: []
                ---
                """ + roleBinding("erin-ops", "agg-a", "agg-operator", user("erin")));
        assertThat(review("erin", List.of(), "agg-a", "get", "db").getAllowed()).isFalse();

        K8S.sandbox().loadYaml(ROLES.formatted("agg"));

        assertThat(review("erin", List.of(), "agg-a", "get", "db").getAllowed()).isTrue();
        assertThat(review("erin", List.of(), "agg-a", "confirm", "db").getReason()).isEqualTo(
                "RBAC: allowed by RoleBinding \"erin-ops/agg-a\" of ClusterRole \"agg-operator\" to User \"erin\"");
        assertThat(review("erin", List.of(), "agg-b", "confirm", "db").getAllowed()).isFalse();

        client.rbac().clusterRoles().withName("agg-rotator").delete();
        assertThat(review("erin", List.of(), "agg-a", "confirm", "db").getAllowed())
                .as("every review reads the roles stored now").isFalse();
    }

    @Test
    void reviewsAreRecordedWithTheCallersTokenAndNeverStored() {
        K8S.sandbox().identities().add("frank-token", "frank");
        try (KubernetesClient orchestrator = new KubernetesClientBuilder().withConfig(
                new ConfigBuilder(K8S.sandbox().clientConfig()).withOauthToken("orchestrator").build()).build()) {
            // Named, so the stock mock (which refuses objects without metadata) would have stored them.
            TokenReview named = orchestrator.authentication().v1().tokenReviews().create(new TokenReviewBuilder()
                    .withNewMetadata().withName("frank-review").endMetadata()
                    .withNewSpec().withToken("frank-token").endSpec().build());
            assertThat(named.getStatus().getUser().getUsername()).isEqualTo("frank");
            SubjectAccessReview access = sar("frank", List.of(), "rec-a", "get", "db");
            access.setMetadata(new ObjectMetaBuilder().withName("frank-access").build());
            assertThat(orchestrator.authorization().v1().subjectAccessReview().create(access).getStatus().getAllowed())
                    .isFalse();
        }

        assertThat(CALLS).filteredOn(call -> "orchestrator".equals(call.token()))
                .extracting(call -> call.permission().orElseThrow())
                .containsExactly(
                        new ApiCall.Permission("authentication.k8s.io", "tokenreviews", "create"),
                        new ApiCall.Permission("authorization.k8s.io", "subjectaccessreviews", "create"));
        assertThat(K8S.client().genericKubernetesResources(clusterScoped("authentication.k8s.io", "tokenreviews",
                "TokenReview")).list().getItems()).isEmpty();
        assertThat(K8S.client().genericKubernetesResources(clusterScoped("authorization.k8s.io",
                "subjectaccessreviews", "SubjectAccessReview")).list().getItems()).isEmpty();
    }

    private static ResourceDefinitionContext clusterScoped(String group, String plural, String kind) {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion("v1").withPlural(plural)
                .withKind(kind).withNamespaced(false).build();
    }

    @Test
    void aSubjectAccessReviewWithoutUserOrAttributesIsInvalid() {
        assertThatThrownBy(() -> K8S.client().authorization().v1().subjectAccessReview().create(
                sar(null, List.of(), "x", "get", "db")))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getMessage()).contains("at least one of user or group must be specified");
                });
        assertThatThrownBy(() -> K8S.client().authorization().v1().subjectAccessReview().create(
                new SubjectAccessReviewBuilder().withNewSpec().withUser("x").endSpec().build()))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
    }

    private static TokenReview tokenReview(String token, String audience) {
        TokenReviewBuilder review = new TokenReviewBuilder().withNewSpec().withToken(token).endSpec();
        if (audience != null) {
            review.editSpec().withAudiences(audience).endSpec();
        }
        return K8S.client().authentication().v1().tokenReviews().create(review.build());
    }

    private static SubjectAccessReviewStatus review(String user, List<String> groups, String namespace, String verb,
            String name) {
        SubjectAccessReview answer = K8S.client().authorization().v1().subjectAccessReview()
                .create(sar(user, groups, namespace, verb, name));
        assertThat(answer.getKind()).isEqualTo("SubjectAccessReview");
        assertThat(answer.getSpec().getResourceAttributes().getVerb()).as("spec echoed").isEqualTo(verb);
        return answer.getStatus();
    }

    /** What the orchestrator asks: may {@code user} do {@code verb} on ManagedCredential {@code namespace/name}. */
    private static SubjectAccessReview sar(String user, List<String> groups, String namespace, String verb,
            String name) {
        return new SubjectAccessReviewBuilder().withNewSpec()
                .withUser(user).withGroups(groups)
                .withNewResourceAttributes()
                .withNamespace(namespace.isEmpty() ? null : namespace)
                .withVerb(verb).withGroup("rotor.io").withResource("managedcredentials")
                .withName(name.isEmpty() ? null : name)
                .endResourceAttributes()
                .endSpec().build();
    }

    private static String roleBinding(String name, String namespace, String clusterRole, String subject) {
        return roleBinding(name, namespace, "ClusterRole", clusterRole, subject);
    }

    private static String roleBinding(String name, String namespace, String roleKind, String role, String subject) {
        return """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: %s, namespace: %s}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: %s, name: %s}
                subjects:
                %s
                """.formatted(name, namespace, roleKind, role, subject);
    }

    private static String user(String name) {
        return "- {apiGroup: rbac.authorization.k8s.io, kind: User, name: " + name + "}";
    }

    private static String group(String name) {
        return "- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: " + name + "}";
    }
}
