package io.rotor.orchestrator.access;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.event.RotationAwaitingOperator;
import io.rotor.contracts.event.RotationConfirmed;
import io.rotor.contracts.event.RotationRequested;
import io.rotor.orchestrator.registry.CredentialRegistry;
import io.rotor.orchestrator.support.Fixtures;
import io.rotor.orchestrator.support.KafkaProbe;
import io.rotor.testkit.kafka.KafkaBootstrapServers;
import io.rotor.testkit.kafka.KafkaTestResource;
import io.rotor.testkit.kubernetes.InjectKubernetesSandbox;
import io.rotor.testkit.kubernetes.KubernetesSandbox;
import io.rotor.testkit.kubernetes.KubernetesSandboxTestResource;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API with Kubernetes identities: bearer tokens the sandbox's API server vouches for (TokenReview) and the
 * ClusterRoles deploy/ ships, bound with the RoleBindings {@code kubectl create rolebinding} makes, decided by the
 * sandbox's RBAC (SubjectAccessReview). A viewer cannot rotate; one namespace's operator cannot confirm another's
 * rotation; what is recorded is who the API server says the caller is.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KubernetesSandboxTestResource.class)
class KubernetesAccessTest {

    static final String TEAM = Fixtures.NAMESPACE;
    static final String OTHER = "other-team";

    @KafkaBootstrapServers
    String bootstrap;

    @InjectKubernetesSandbox
    KubernetesSandbox sandbox;

    @Inject
    CredentialRegistry registry;

    KafkaProbe probe;

    @BeforeEach
    void identitiesAndBindings() {
        probe = KafkaProbe.on(bootstrap);
        sandbox.load(Path.of("..", "deploy", "kubernetes", "base", "access", "user-roles.yaml"));
        sandbox.identities().add("vera-token", "vera@example.com", "auditors")
                .add("rita-token", "rita@example.com")
                .add("olga-token", "olga@example.com")
                .add("otto-token", "otto@example.com")
                .addServiceAccount("deployer-token", "ci", "deployer");
        sandbox.loadYaml(binding("vera", TEAM, "rotor-viewer", "Group", "auditors", null)
                + binding("rita", TEAM, "rotor-rotator", "User", "rita@example.com", null)
                + binding("olga", TEAM, "rotor-operator", "User", "olga@example.com", null)
                + binding("otto", OTHER, "rotor-operator", "User", "otto@example.com", null)
                + binding("deployer", OTHER, "rotor-rotator", "ServiceAccount", "deployer", "ci"));
    }

    /** What {@code kubectl -n NS create rolebinding NAME --clusterrole=ROLE --user|--group|--serviceaccount} makes. */
    private static String binding(String name, String namespace, String role, String kind, String subject,
            String subjectNamespace) {
        return "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: " + name
                + "\n  namespace: " + namespace + "\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n"
                + "  kind: ClusterRole\n  name: " + role + "\nsubjects:\n- kind: " + kind + "\n  name: " + subject
                + "\n" + (subjectNamespace == null ? "  apiGroup: rbac.authorization.k8s.io\n"
                        : "  namespace: " + subjectNamespace + "\n");
    }

    private CredentialRef redis(String namespace) {
        String name = Fixtures.unique("redis");
        return Fixtures.create(sandbox, registry, namespace, name, Fixtures.redisAcl(namespace, name, ""));
    }

    private CredentialRef manual(String namespace) {
        String name = Fixtures.unique("configui");
        return Fixtures.create(sandbox, registry, namespace, name, Fixtures.configUi(namespace, name, "manual"));
    }

    @Test
    void aTokenTheApiServerDoesNotKnowIsRefused() {
        given().auth().oauth2("nobody-knows-this").get("/api/v1/credentials").then().statusCode(401);
        given().auth().oauth2("vera-token").get("/api/v1/whoami").then().statusCode(200)
                .body("name", equalTo("vera@example.com")).body("groups", hasItem("auditors"))
                .body("source", equalTo("KUBERNETES"));
    }

    @Test
    void aViewerSeesItsNamespaceOnlyAndMayNeitherRotateNorDryRun() {
        CredentialRef mine = redis(TEAM);
        CredentialRef theirs = redis(OTHER);

        given().auth().oauth2("vera-token").get("/api/v1/credentials").then().statusCode(200)
                .body("credential", hasItem(mine.asString())).body("credential", not(hasItem(theirs.asString())))
                .body("find { it.credential == '" + mine + "' }.actions", equalTo(List.of()));
        for (boolean dryRun : new boolean[] {false, true}) {
            given().auth().oauth2("vera-token").contentType("application/json")
                    .body("{\"credential\":\"" + mine + "\",\"dryRun\":" + dryRun + "}").post("/api/v1/rotations")
                    .then().statusCode(403).body("reason", equalTo("FORBIDDEN"))
                    .body("detail", containsString("rotor-rotator"));
        }
        assertThat(probe.events(RotationRequested.class, mine)).as("nothing was requested").isEmpty();
    }

    @Test
    void aRotatorRotatesInItsNamespaceAsItselfAndNowhereElse() {
        CredentialRef mine = redis(TEAM);
        CredentialRef theirs = redis(OTHER);

        given().auth().oauth2("rita-token").get("/api/v1/credentials").then().statusCode(200)
                .body("find { it.credential == '" + mine + "' }.actions", equalTo(List.of("rotate")));
        given().auth().oauth2("rita-token").contentType("application/json")
                .body("{\"credential\":\"" + mine + "\",\"reason\":\"quarterly\",\"requestedBy\":\"the-boss\"}")
                .post("/api/v1/rotations").then().statusCode(202);
        RotationRequested requested = probe.await(RotationRequested.class, mine);
        assertThat(requested.requestedBy()).isEqualTo("rita@example.com");
        assertThat(requested.reason()).isEqualTo("quarterly (caller's note: on behalf of the-boss)");

        given().auth().oauth2("rita-token").contentType("application/json")
                .body("{\"credential\":\"" + theirs + "\"}").post("/api/v1/rotations").then().statusCode(403);
        // A CI job's ServiceAccount, bound in the other namespace.
        given().auth().oauth2("deployer-token").contentType("application/json")
                .body("{\"credential\":\"" + theirs + "\"}").post("/api/v1/rotations").then().statusCode(202);
        assertThat(probe.await(RotationRequested.class, theirs).requestedBy())
                .isEqualTo("system:serviceaccount:ci:deployer");
    }

    @Test
    void oneNamespacesOperatorCannotConfirmOrCancelAnothersRotationButItsOwnOperatorCan() {
        CredentialRef ref = manual(TEAM);
        String rotationId = given().auth().oauth2("olga-token").contentType("application/json")
                .body("{\"credential\":\"" + ref + "\"}").post("/api/v1/rotations").then().statusCode(202)
                .extract().path("rotationId");
        probe.await(RotationAwaitingOperator.class, ref);
        String confirm = "{\"password\":\"Chosen-In-The-Portal-1\"}";

        // Operator elsewhere: this rotation is not even visible to them.
        given().auth().oauth2("otto-token").contentType("application/json").body(confirm)
                .post("/api/v1/rotations/" + rotationId + "/confirm").then().statusCode(404);
        given().auth().oauth2("otto-token").contentType("application/json").body("{}")
                .post("/api/v1/rotations/" + rotationId + "/cancel").then().statusCode(404);
        given().auth().oauth2("otto-token").get("/api/v1/rotations/" + rotationId).then().statusCode(404);
        // A viewer of this namespace sees it and still may not confirm it.
        given().auth().oauth2("vera-token").get("/api/v1/rotations/" + rotationId).then().statusCode(200);
        given().auth().oauth2("vera-token").contentType("application/json").body(confirm)
                .post("/api/v1/rotations/" + rotationId + "/confirm").then().statusCode(403)
                .body("detail", containsString("rotor-operator"));
        given().auth().oauth2("rita-token").contentType("application/json").body("{}")
                .post("/api/v1/rotations/" + rotationId + "/cancel").then().statusCode(403);
        assertThat(probe.events(RotationConfirmed.class, ref)).isEmpty();

        given().auth().oauth2("olga-token").contentType("application/json").body(confirm)
                .post("/api/v1/rotations/" + rotationId + "/confirm").then().statusCode(202);
        assertThat(probe.await(RotationConfirmed.class, ref).confirmedBy()).isEqualTo("olga@example.com");
    }
}
