package io.rotor.orchestrator.access;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.event.RotationRequested;
import io.rotor.orchestrator.registry.CredentialRegistry;
import io.rotor.orchestrator.support.Fixtures;
import io.rotor.orchestrator.support.KafkaProbe;
import io.rotor.testkit.kafka.KafkaBootstrapServers;
import io.rotor.testkit.kafka.KafkaTestResource;
import io.rotor.testkit.kubernetes.InjectKubernetesSandbox;
import io.rotor.testkit.kubernetes.KubernetesSandbox;
import io.rotor.testkit.kubernetes.KubernetesSandboxTestResource;
import io.rotor.testkit.oidc.FakeOidcProvider;
import io.rotor.testkit.oidc.FakeOidcProviderTestResource;
import io.rotor.testkit.oidc.InjectOidcProvider;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With an OIDC issuer configured next to Kubernetes: the issuer's access tokens are verified by the OIDC extension
 * (signature, issuer, expiry) and their users authorized by RBAC under prefixed names; Kubernetes tokens and the
 * local token keep working; a forged or expired token gets nowhere.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KubernetesSandboxTestResource.class)
@WithTestResource(FakeOidcProviderTestResource.class)
class OidcAccessTest {

    @KafkaBootstrapServers
    String bootstrap;

    @InjectKubernetesSandbox
    KubernetesSandbox sandbox;

    @InjectOidcProvider
    FakeOidcProvider issuer;

    @Inject
    CredentialRegistry registry;

    KafkaProbe probe;

    @BeforeEach
    void bindings() {
        probe = KafkaProbe.on(bootstrap);
        sandbox.load(Path.of("..", "deploy", "kubernetes", "base", "access", "user-roles.yaml"));
        sandbox.identities().add("kube-token", "kube-user@example.com");
        sandbox.loadYaml("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: oidc-sre-rotate, namespace: %s}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: rotor-rotator}
                subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: "oidc:sre"}]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: kube-user-view, namespace: %s}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: rotor-viewer}
                subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: "kube-user@example.com"}]
                """.formatted(Fixtures.NAMESPACE, Fixtures.NAMESPACE));
    }

    private CredentialRef redis() {
        String name = Fixtures.unique("redis");
        return Fixtures.create(sandbox, registry, Fixtures.NAMESPACE, name,
                Fixtures.redisAcl(Fixtures.NAMESPACE, name, ""));
    }

    @Test
    void anIssuersUserIsKnownByItsPrefixedNameAndRotatesWhereItsGroupIsBound() {
        CredentialRef ref = redis();
        String alice = issuer.token("alice@example.com", List.of("sre"), Duration.ofMinutes(5));
        String bob = issuer.token("bob@example.com", List.of("system:masters"), Duration.ofMinutes(5));

        given().auth().oauth2(alice).get("/api/v1/whoami").then().statusCode(200)
                .body("name", equalTo("oidc:alice@example.com")).body("groups", hasItem("oidc:sre"))
                .body("source", equalTo("OIDC"));
        given().auth().oauth2(alice).contentType("application/json").body("{\"credential\":\"" + ref + "\"}")
                .post("/api/v1/rotations").then().statusCode(202);
        assertThat(probe.await(RotationRequested.class, ref).requestedBy()).isEqualTo("oidc:alice@example.com");
        // A group claim is prefixed too: "system:masters" in a token is "oidc:system:masters", bound to nothing.
        given().auth().oauth2(bob).contentType("application/json").body("{\"credential\":\"" + ref + "\"}")
                .post("/api/v1/rotations").then().statusCode(403);
    }

    @Test
    void forgedAndExpiredTokensAreRefusedAndTheOtherWaysInStillWork() {
        given().auth().oauth2(issuer.forgedToken("alice@example.com", List.of("sre"))).get("/api/v1/whoami")
                .then().statusCode(401);
        given().auth().oauth2(issuer.token("alice@example.com", List.of("sre"), Duration.ofMinutes(-5)))
                .get("/api/v1/whoami").then().statusCode(401);
        given().auth().oauth2("neither-kubernetes-nor-oidc").get("/api/v1/whoami").then().statusCode(401);

        given().auth().oauth2("kube-token").get("/api/v1/whoami").then().statusCode(200)
                .body("name", equalTo("kube-user@example.com")).body("source", equalTo("KUBERNETES"));
        given().auth().oauth2("test-token").get("/api/v1/whoami").then().statusCode(200)
                .body("source", equalTo("LOCAL_TOKEN"));
    }
}
