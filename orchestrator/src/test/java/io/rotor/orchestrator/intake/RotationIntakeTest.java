package io.rotor.orchestrator.intake;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.event.ConflictPolicy;
import io.rotor.contracts.event.RejectionReason;
import io.rotor.contracts.event.RotateCredential;
import io.rotor.contracts.event.RotationCoalesced;
import io.rotor.contracts.event.RotationRejected;
import io.rotor.contracts.event.RotationRequested;
import io.rotor.contracts.event.RotationStarted;
import io.rotor.contracts.event.Topics;
import io.rotor.orchestrator.registry.CredentialRegistry;
import io.rotor.orchestrator.support.Fixtures;
import io.rotor.orchestrator.support.KafkaProbe;
import io.rotor.orchestrator.support.Seen;
import io.rotor.testkit.kafka.KafkaBootstrapServers;
import io.rotor.testkit.kafka.KafkaTestResource;
import io.rotor.testkit.kubernetes.InjectKubernetesSandbox;
import io.rotor.testkit.kubernetes.KubernetesSandbox;
import io.rotor.testkit.kubernetes.KubernetesSandboxTestResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Both doors, their answers and their refusals, against a real broker and the Kubernetes sandbox. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KubernetesSandboxTestResource.class)
class RotationIntakeTest {

    static final String TOKEN = "test-token";

    @KafkaBootstrapServers
    String bootstrap;

    @InjectKubernetesSandbox
    KubernetesSandbox sandbox;

    @Inject
    CredentialRegistry registry;

    KafkaProbe probe;

    @BeforeEach
    void probe() {
        probe = KafkaProbe.on(bootstrap);
    }

    @Test
    void restRefusesCallsWithoutTheRightBearerToken() {
        String body = "{\"credential\":\"rotor-test/anything\"}";
        given().contentType("application/json").body(body).post("/api/v1/rotations")
                .then().statusCode(401).header("WWW-Authenticate", containsString("Bearer"));
        given().contentType("application/json").header("Authorization", "Bearer wrong").body(body)
                .post("/api/v1/rotations")
                .then().statusCode(401).header("WWW-Authenticate", containsString("Bearer"));
        given().header("Authorization", "Bearer wrong").get("/api/v1/rotations").then().statusCode(401);
        given().header("Authorization", "Basic dGVzdC10b2tlbjo=").get("/api/v1/rotations").then().statusCode(401);
    }

    @Test
    void restAnswersAMalformedBodyWithTheFieldsThatAreWrong() {
        given().auth().oauth2(TOKEN).contentType("application/json").body("{\"credential\": 42, \"dryRun\": \"x\"")
                .post("/api/v1/rotations")
                .then().statusCode(400).contentType("application/problem+json")
                .body("reason", equalTo("INVALID_REQUEST"));
        given().auth().oauth2(TOKEN).contentType("application/json")
                .body("{\"credential\": \"no-slash\", \"colour\": \"blue\"}")
                .post("/api/v1/rotations")
                .then().statusCode(400).body("violations.field", hasItem("colour"));
        given().auth().oauth2(TOKEN).contentType("application/json").body("{\"credential\": \"Bad/Name\"}")
                .post("/api/v1/rotations")
                .then().statusCode(400).body("violations.field", hasItem("credential.namespace"));
    }

    @Test
    void anUnknownCredentialIsRejectedOnBothDoors() {
        String name = Fixtures.unique("ghost");
        given().auth().oauth2(TOKEN).contentType("application/json")
                .body("{\"credential\":\"rotor-test/" + name + "\",\"requestId\":\"rest-1\"}")
                .post("/api/v1/rotations")
                .then().statusCode(404).contentType("application/problem+json")
                .body("reason", equalTo("UNKNOWN_CREDENTIAL"))
                .body("detail", containsString("no ManagedCredential " + name));

        CredentialRef ref = new CredentialRef(Fixtures.NAMESPACE, name);
        probe.publish(new RotationRequested("topic-1", ref, "test", false, "user:test", null));
        RotationRejected rejected = probe.await(RotationRejected.class, ref, r -> r.requestId().equals("topic-1"));
        assertThat(rejected.reason()).isEqualTo(RejectionReason.UNKNOWN_CREDENTIAL);

        given().auth().oauth2(TOKEN).contentType("application/json")
                .body("{\"credential\":\"elsewhere/" + name + "\"}").post("/api/v1/rotations")
                .then().statusCode(404).body("detail", containsString("namespace elsewhere is not watched"));
    }

    @Test
    void credentialsInEveryWatchedNamespaceAreKnown() {
        String name = Fixtures.unique("team");
        Fixtures.create(sandbox, registry, "other-team", name, Fixtures.redisAcl("other-team", name, ""));

        given().auth().oauth2(TOKEN).contentType("application/json")
                .body("{\"credential\":\"other-team/" + name + "\"}").post("/api/v1/rotations")
                .then().statusCode(202).body("status", equalTo("STARTED"));
    }

    @Test
    void aCredentialWithAnInvalidSpecIsRejectedWithItsProblems() {
        String name = Fixtures.unique("broken");
        // Redis ACLs are per node: a redis-acl credential without hosts cannot be rotated.
        String yaml = Fixtures.redisAcl(Fixtures.NAMESPACE, name, "").replace(
                "  endpoint: {hosts: [\"redis-0.redis:6379\", \"redis-1.redis:6379\"]}\n", "");
        Fixtures.create(sandbox, registry, Fixtures.NAMESPACE, name, yaml);

        given().auth().oauth2(TOKEN).contentType("application/json")
                .body("{\"credential\":\"rotor-test/" + name + "\"}").post("/api/v1/rotations")
                .then().statusCode(422).body("reason", equalTo("INVALID_SPEC"))
                .body("detail", containsString("spec.endpoint.hosts: must list every Redis node"));
    }

    @Test
    void aPlatformWithoutARotatorIsRejected() {
        String name = Fixtures.unique("keystone");
        Fixtures.create(sandbox, registry, Fixtures.NAMESPACE, name, Fixtures.keystone(Fixtures.NAMESPACE, name));

        given().auth().oauth2(TOKEN).contentType("application/json")
                .body("{\"credential\":\"rotor-test/" + name + "\"}").post("/api/v1/rotations")
                .then().statusCode(422).body("reason", equalTo("NO_ROTATOR"))
                .body("detail", containsString("'openstack' rotator"));
    }

    @Test
    void aRepeatedRequestIdGetsTheOriginalAnswerAndNoSecondRotation() {
        String name = Fixtures.unique("cache");
        CredentialRef ref = Fixtures.create(sandbox, registry, Fixtures.NAMESPACE, name,
                Fixtures.redisAcl(Fixtures.NAMESPACE, name, ""));
        String body = "{\"credential\":\"rotor-test/" + name + "\",\"requestId\":\"deploy-42\",\"reason\":\"test\"}";

        String first = given().auth().oauth2(TOKEN).contentType("application/json").body(body)
                .post("/api/v1/rotations")
                .then().statusCode(202).header("Location", containsString("/api/v1/rotations/"))
                .body("status", equalTo("STARTED")).body("rotationId", notNullValue())
                .extract().path("rotationId");
        String again = given().auth().oauth2(TOKEN).contentType("application/json").body(body)
                .post("/api/v1/rotations")
                .then().statusCode(202).extract().path("rotationId");
        probe.publish(new RotationRequested("deploy-42", ref, "test", false, "user:test", ConflictPolicy.REJECT));
        await().until(() -> probe.events(RotationCoalesced.class, ref).size() == 2);

        assertThat(again).isEqualTo(first);
        assertThat(probe.events(RotationCoalesced.class, ref)).allMatch(c -> c.rotationId().equals(first));
        assertThat(probe.events(RotationStarted.class, ref)).hasSize(1);
        assertThat(probe.events(RotateCredential.class, ref)).hasSize(1);
    }

    /** Issue point 9: a mix of good and bad records; every good one answered, every bad one in the DLQ. */
    @Test
    void badRecordsOnTheRequestsTopicGoToTheDlqAndEveryGoodOneIsStillAnswered() {
        String run = Fixtures.unique("mix");
        List<String> goodIds = new ArrayList<>();
        List<String> badKeys = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            CredentialRef ref = new CredentialRef(Fixtures.NAMESPACE, run + "-" + i);
            String id = run + "-good-" + i;
            goodIds.add(id);
            probe.publish(new RotationRequested(id, ref, "mix", false, "user:test", null));
            String key = ref.asString();
            badKeys.add(key);
            switch (i) {
                case 0 -> probe.publishRaw(Topics.REQUESTS, key, ceHeaders("io.rotor.rotation.requested.v1", key),
                        "{not json".getBytes(StandardCharsets.UTF_8));
                case 1 -> probe.publishRaw(Topics.REQUESTS, key, ceHeaders("io.rotor.no.such.type.v1", key),
                        "{}".getBytes(StandardCharsets.UTF_8));
                case 2 -> probe.publishRaw(Topics.REQUESTS, key, ceHeaders("io.rotor.rotation.requested.v1", key),
                        ("{\"requestId\":\"x\",\"credential\":\"" + key + "\",\"requestedBy\":\"u\",\"reason\":\""
                                + "a".repeat(70 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8));
                case 3 -> probe.publishRaw(Topics.REQUESTS, key, ceHeaders("io.rotor.rotation.requested.v1", key),
                        ("{\"credential\":\"" + key + "\",\"dryRun\":false}").getBytes(StandardCharsets.UTF_8));
                default -> probe.publishRaw(Topics.REQUESTS, key, ceHeaders("io.rotor.step.completed.v1", key),
                        "{}".getBytes(StandardCharsets.UTF_8));
            }
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> goodIds.stream().allMatch(id -> probe.all().stream()
                .anyMatch(s -> s.event() instanceof RotationRejected r && r.requestId().equals(id))));
        List<Seen> dead = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            dead.clear();
            probe.all().stream().filter(s -> s.topic().equals(Topics.DLQ) && badKeys.contains(s.key()))
                    .forEach(dead::add);
            return dead.size() == 5;
        });
        assertThat(dead).extracting(s -> s.header("rotor-dlq-reason")).containsExactlyInAnyOrder("MALFORMED_JSON",
                "UNKNOWN_TYPE", "OVERSIZED", "INVALID_FIELDS", "WRONG_TOPIC");
        assertThat(dead).allSatisfy(s -> assertThat(s.header("rotor-dlq-topic")).isEqualTo(Topics.REQUESTS));
        assertThat(dead.stream().filter(s -> "INVALID_FIELDS".equals(s.header("rotor-dlq-reason"))).findFirst()
                .orElseThrow().header("rotor-dlq-detail")).contains("requestId: is required");
    }

    private static Map<String, String> ceHeaders(String type, String subject) {
        return Map.of("ce_specversion", "1.0", "ce_id", java.util.UUID.randomUUID().toString(), "ce_source",
                "/test/bad", "ce_type", type, "ce_subject", subject, "content-type", "application/json");
    }
}
