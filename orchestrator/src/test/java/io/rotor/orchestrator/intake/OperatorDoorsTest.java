package io.rotor.orchestrator.intake;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.event.RejectionReason;
import io.rotor.contracts.event.RotateCredential;
import io.rotor.contracts.event.RotationAwaitingOperator;
import io.rotor.contracts.event.RotationCancelled;
import io.rotor.contracts.event.RotationConfirmed;
import io.rotor.contracts.event.RotationRejected;
import io.rotor.contracts.event.RotationStalled;
import io.rotor.contracts.event.Topics;
import io.rotor.contracts.saga.SagaState;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SealingKeys;
import io.rotor.orchestrator.registry.CredentialRegistry;
import io.rotor.orchestrator.support.Fixtures;
import io.rotor.orchestrator.support.KafkaProbe;
import io.rotor.orchestrator.support.MutableClock;
import io.rotor.orchestrator.support.Seen;
import io.rotor.testkit.kafka.KafkaBootstrapServers;
import io.rotor.testkit.kafka.KafkaTestResource;
import io.rotor.testkit.kubernetes.InjectKubernetesSandbox;
import io.rotor.testkit.kubernetes.KubernetesSandbox;
import io.rotor.testkit.kubernetes.KubernetesSandboxTestResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 9: the operator's doors to a manual rotation, against a real broker and the Kubernetes sandbox. The REST door
 * seals the password on arrival; the topic door refuses a plain password; a rotation past its deadline stalls
 * visibly and can still be cancelled (or confirmed).
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KubernetesSandboxTestResource.class)
class OperatorDoorsTest {

    static final String TOKEN = "test-token";

    @KafkaBootstrapServers
    String bootstrap;

    @InjectKubernetesSandbox
    KubernetesSandbox sandbox;

    @Inject
    CredentialRegistry registry;

    @Inject
    SealingKeys keys;

    @Inject
    MutableClock clock;

    KafkaProbe probe;

    @BeforeEach
    void probe() {
        probe = KafkaProbe.on(bootstrap);
    }

    @AfterEach
    void restore() {
        clock.reset();
    }

    @Test
    void aManualRotationIsConfirmedThroughRestWithThePasswordSealedAtTheDoorAndNeverEchoed() {
        CredentialRef ref = manualCredential();
        String rotationId = startAndAwaitOperator(ref);
        String chosen = "Operator-Chosen-" + UUID.randomUUID();
        String body = "{\"password\":\"" + chosen + "\",\"confirmedBy\":\"user:alice\",\"requestId\":\"ok-"
                + rotationId + "\"}";

        given().contentType("application/json").body(body).post("/api/v1/rotations/" + rotationId + "/confirm")
                .then().statusCode(401).header("WWW-Authenticate", containsString("Bearer"));
        given().auth().oauth2("not-the-token").contentType("application/json").body(body)
                .post("/api/v1/rotations/" + rotationId + "/confirm")
                .then().statusCode(401);
        assertThat(probe.events(RotationConfirmed.class, ref)).as("nothing reached the topic").isEmpty();

        Response confirmed = given().auth().oauth2(TOKEN).contentType("application/json").body(body)
                .post("/api/v1/rotations/" + rotationId + "/confirm");

        confirmed.then().statusCode(202).header("Location", org.hamcrest.Matchers.endsWith("/api/v1/rotations/" + rotationId))
                .body("status", equalTo("CONFIRMED")).body("rotationId", equalTo(rotationId));
        assertThat(confirmed.asString()).doesNotContain(chosen);
        RotateCredential command = probe.await(RotateCredential.class, ref);
        assertThat(CredentialMaterial.open(keys.sealerFor(command.spec().platform()), command.material(), rotationId, ref,
                CredentialMaterial.Purpose.NEW).require(CredentialField.PASSWORD).reveal()).isEqualTo(chosen);
        assertThat(probe.await(RotationConfirmed.class, ref).confirmedBy()).as("the authenticated caller, not the "
                + "body's confirmedBy").isEqualTo("local:operator");
        assertThat(probe.all()).filteredOn(s -> ref.asString().equals(s.key())).extracting(Seen::text)
                .isNotEmpty().noneMatch(t -> t.contains(chosen));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().auth().oauth2(TOKEN)
                .get("/api/v1/rotations/" + rotationId).then().statusCode(200)
                .body("summary.operator.confirmed", equalTo(true))
                .body("summary.operator.confirmedBy", equalTo("local:operator")));

        given().auth().oauth2(TOKEN).contentType("application/json").body(body)
                .post("/api/v1/rotations/" + rotationId + "/confirm")
                .then().statusCode(202).body("status", equalTo("CONFIRMED"));
        given().auth().oauth2(TOKEN).contentType("application/json")
                .body("{\"password\":\"Second-Guess-1\",\"confirmedBy\":\"user:bob\"}")
                .post("/api/v1/rotations/" + rotationId + "/confirm")
                .then().statusCode(409).contentType("application/problem+json")
                .body("reason", equalTo("ROTATION_NOT_WAITING")).body("detail", containsString("already confirmed"))
                .body(not(containsString("Second-Guess-1")));
        given().auth().oauth2(TOKEN).contentType("application/json").post("/api/v1/rotations/" + rotationId + "/cancel")
                .then().statusCode(409).body("reason", equalTo("ROTATION_NOT_WAITING"));
        assertThat(probe.events(RotateCredential.class, ref)).hasSize(1);
    }

    @Test
    void theConfirmDoorRefusesWhatCannotSucceedWithAClearProblemAndNeverThePassword() {
        String secret = "Never-Echo-" + UUID.randomUUID();
        given().auth().oauth2(TOKEN).contentType("application/json").body("{\"password\":\"" + secret + "\"}")
                .post("/api/v1/rotations/no-such-rotation/confirm")
                .then().statusCode(404).body("reason", equalTo("NOT_FOUND"))
                .body(not(containsString(secret)));

        CredentialRef manual = manualCredential();
        String waiting = startAndAwaitOperator(manual);
        given().auth().oauth2(TOKEN).contentType("application/json")
                .body("{\"password\":\"" + secret + "\",\"colour\":\"blue\"}")
                .post("/api/v1/rotations/" + waiting + "/confirm")
                .then().statusCode(400).body("violations.field", org.hamcrest.Matchers.hasItem("colour"))
                .body(not(containsString(secret)));
        given().auth().oauth2(TOKEN).contentType("application/json").body("{\"password\":\"\"}")
                .post("/api/v1/rotations/" + waiting + "/confirm")
                .then().statusCode(400).body("violations.field", org.hamcrest.Matchers.hasItem("password"));
        given().auth().oauth2(TOKEN).contentType("application/json").body("{\"password\":\"" + secret)
                .post("/api/v1/rotations/" + waiting + "/confirm")
                .then().statusCode(400).body(not(containsString(secret)));

        String name = Fixtures.unique("acl");
        CredentialRef acl = Fixtures.create(sandbox, registry, Fixtures.NAMESPACE, name,
                Fixtures.redisAcl(Fixtures.NAMESPACE, name, ""));
        String automatic = start(acl);
        probe.await(RotateCredential.class, acl);
        awaitState(automatic, "STARTED");
        given().auth().oauth2(TOKEN).contentType("application/json").body("{\"password\":\"" + secret + "\"}")
                .post("/api/v1/rotations/" + automatic + "/confirm")
                .then().statusCode(409).body("reason", equalTo("ROTATION_NOT_WAITING"))
                .body("detail", containsString("strategy dual-password")).body(not(containsString(secret)));
        assertThat(probe.all()).extracting(Seen::text).noneMatch(t -> t != null && t.contains(secret));
    }

    @Test
    void aPlainConfirmationOnTheTopicIsRefusedAndTheRotationKeepsWaiting() {
        CredentialRef ref = manualCredential();
        String rotationId = startAndAwaitOperator(ref);
        String body = "{\"requestId\":\"plain-1\",\"rotationId\":\"" + rotationId + "\",\"credential\":\"" + ref
                + "\",\"password\":\"Typed-On-The-Topic-1\",\"confirmedBy\":\"user:alice\"}";

        probe.publishRaw(Topics.REQUESTS, ref.asString(), Map.of("ce_specversion", "1.0", "ce_id", "c-1",
                "ce_source", "/test/operator", "ce_type", "io.rotor.operator.confirmation.v1", "ce_subject",
                ref.asString(), "content-type", "application/json"), body.getBytes(StandardCharsets.UTF_8));

        RotationRejected rejected = probe.await(RotationRejected.class, ref, r -> r.requestId().equals("plain-1"));
        assertThat(rejected.reason()).isEqualTo(RejectionReason.NOT_AUTHORIZED);
        assertThat(rejected.message()).contains("Treat that password as exposed")
                .doesNotContain("Typed-On-The-Topic-1");
        assertThat(probe.events(RotateCredential.class, ref)).isEmpty();
        given().auth().oauth2(TOKEN).get("/api/v1/rotations/" + rotationId).then()
                .body("summary.state", equalTo("AWAITING_OPERATOR"))
                .body("summary.operator.confirmed", equalTo(false));
    }

    @Test
    void aRotationLeftWaitingPastItsDeadlineStallsVisiblyAndCancellingItChangesNothing() {
        CredentialRef ref = manualCredential();
        String rotationId = startAndAwaitOperator(ref);

        clock.advance(Duration.ofHours(25));

        RotationStalled stalled = probe.await(RotationStalled.class, ref);
        assertThat(stalled.state()).isEqualTo(SagaState.AWAITING_OPERATOR);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().auth().oauth2(TOKEN)
                .get("/api/v1/rotations/" + rotationId).then().body("summary.stalled", equalTo(true)));

        given().auth().oauth2(TOKEN).contentType("application/json")
                .body("{\"reason\":\"nobody changed it\",\"requestedBy\":\"user:alice\",\"requestId\":\"cancel-"
                        + rotationId + "\"}")
                .post("/api/v1/rotations/" + rotationId + "/cancel")
                .then().statusCode(200).body("status", equalTo("CANCELLED"));

        RotationCancelled cancelled = probe.await(RotationCancelled.class, ref);
        assertThat(cancelled.requestId()).isEqualTo("cancel-" + rotationId);
        assertThat(cancelled.cancelledBy()).isEqualTo("local:operator");
        assertThat(cancelled.reason()).isEqualTo("nobody changed it (caller's note: on behalf of user:alice)");
        assertThat(probe.events(RotateCredential.class, ref)).as("nothing was sent to the rotator").isEmpty();
        awaitState(rotationId, "CANCELLED");
        given().auth().oauth2(TOKEN).contentType("application/json").post("/api/v1/rotations/" + rotationId + "/cancel")
                .then().statusCode(409).body("detail", containsString("has ended (CANCELLED)"));
    }

    @Test
    void aConfirmationAfterTheDeadlineIsStillTakenBecauseThePortalMayAlreadyHaveTheNewPassword() {
        CredentialRef ref = manualCredential();
        String rotationId = startAndAwaitOperator(ref);
        clock.advance(Duration.ofHours(25));
        probe.await(RotationStalled.class, ref);

        given().auth().oauth2(TOKEN).contentType("application/json").body("{\"password\":\"Late-But-Real-1\"}")
                .post("/api/v1/rotations/" + rotationId + "/confirm")
                .then().statusCode(202).body("status", equalTo("CONFIRMED"));
        assertThat(probe.await(RotateCredential.class, ref).rotationId()).isEqualTo(rotationId);
    }

    private CredentialRef manualCredential() {
        String name = Fixtures.unique("configui");
        return Fixtures.create(sandbox, registry, Fixtures.NAMESPACE, name,
                Fixtures.configUi(Fixtures.NAMESPACE, name, "manual"));
    }

    private String start(CredentialRef ref) {
        return given().auth().oauth2(TOKEN).contentType("application/json")
                .body("{\"credential\":\"" + ref + "\",\"requestedBy\":\"user:alice\"}").post("/api/v1/rotations")
                .then().statusCode(202).extract().path("rotationId");
    }

    private String startAndAwaitOperator(CredentialRef ref) {
        String rotationId = start(ref);
        RotationAwaitingOperator waiting = probe.await(RotationAwaitingOperator.class, ref);
        assertThat(waiting.rotationId()).isEqualTo(rotationId);
        awaitState(rotationId, "AWAITING_OPERATOR");
        return rotationId;
    }

    private void awaitState(String rotationId, String state) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().auth().oauth2(TOKEN)
                .get("/api/v1/rotations/" + rotationId).then().statusCode(200).body("summary.state", equalTo(state)));
    }
}
