package io.rotor.orchestrator.query;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.event.RotateCredential;
import io.rotor.contracts.event.RotationCompleted;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.saga.Step;
import io.rotor.orchestrator.registry.CredentialRegistry;
import io.rotor.orchestrator.support.Fixtures;
import io.rotor.orchestrator.support.KafkaProbe;
import io.rotor.testkit.kafka.KafkaBootstrapServers;
import io.rotor.testkit.kafka.KafkaTestResource;
import io.rotor.testkit.kubernetes.InjectKubernetesSandbox;
import io.rotor.testkit.kubernetes.KubernetesSandbox;
import io.rotor.testkit.kubernetes.KubernetesSandboxTestResource;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue point 8: rotations with timelines, credentials, live events, and the OpenAPI document. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KubernetesSandboxTestResource.class)
class QueryApiTest {

    static final String TOKEN = "test-token";

    @KafkaBootstrapServers
    String bootstrap;

    @InjectKubernetesSandbox
    KubernetesSandbox sandbox;

    @Inject
    CredentialRegistry registry;

    @TestHTTPResource("/api/v1/rotations/stream")
    URI streamUri;

    KafkaProbe probe;

    @BeforeEach
    void probe() {
        probe = KafkaProbe.on(bootstrap);
    }

    @Test
    void aRotationIsListedFilteredPagedAndShownWithItsTimelineButNeverItsSecret() {
        CredentialRef ref = credential("listed", "");
        RotateCredential command = start(ref, "q-1");
        for (Step step : command.spec().strategy().steps()) {
            probe.publish(new StepCompleted(command.rotationId(), ref, step, command.spec(),
                    command.material(), null, Map.of(), Duration.ofMillis(5)));
        }
        probe.await(RotationCompleted.class, ref);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().auth().oauth2(TOKEN)
                .get("/api/v1/rotations/" + command.rotationId()).then().statusCode(200)
                .body("summary.state", equalTo("COMPLETED")));

        given().auth().oauth2(TOKEN).queryParam("credential", ref.asString()).get("/api/v1/rotations")
                .then().statusCode(200).body("total", equalTo(1))
                .body("items[0].rotationId", equalTo(command.rotationId()))
                .body("items[0].platform", equalTo("redis-acl"))
                .body("items[0].requestId", equalTo("q-1"));
        given().auth().oauth2(TOKEN).queryParam("state", "completed").queryParam("size", 500)
                .get("/api/v1/rotations").then().statusCode(200)
                .body("items.rotationId", hasItem(command.rotationId()));
        given().auth().oauth2(TOKEN).queryParam("requestId", "q-1").queryParam("credential", ref.asString())
                .get("/api/v1/rotations").then().body("total", equalTo(1));
        given().auth().oauth2(TOKEN).queryParam("size", 1).get("/api/v1/rotations").then().statusCode(200)
                .body("items.size()", equalTo(1)).body("size", equalTo(1));
        given().auth().oauth2(TOKEN).queryParam("size", 100000).get("/api/v1/rotations").then().statusCode(400);

        String body = given().auth().oauth2(TOKEN).get("/api/v1/rotations/" + command.rotationId())
                .then().statusCode(200).extract().asString();
        JsonPath detail = JsonPath.from(body);
        assertThat(detail.getList("timeline.event", String.class)).containsExactly("RotationStarted",
                "StepCompleted", "StepCompleted", "StepCompleted", "StepCompleted", "RotationCompleted");
        assertThat(detail.getList("timeline.step", String.class)).contains("PLATFORM_UPDATED", "OLD_REVOKED");
        assertThat(detail.getMap("stepDurations")).containsOnlyKeys("PLATFORM_UPDATED", "SECRET_WRITTEN",
                "WORKLOADS_RESTARTED", "OLD_REVOKED");
        assertThat(body).doesNotContain("ciphertext").doesNotContain(command.material().get("password").nonce());

        given().auth().oauth2(TOKEN).get("/api/v1/rotations/no-such-rotation").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void credentialsShowTheirLastOutcomeAgeAndNextDue() {
        CredentialRef scheduled = credential("dated", "  schedule: {interval: P30D}\n");
        String brokenName = Fixtures.unique("broken");
        Fixtures.create(sandbox, registry, Fixtures.NAMESPACE, brokenName, Fixtures.redisAcl(Fixtures.NAMESPACE,
                brokenName, "  schedule: {cron: \"61 * * * *\"}\n"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonPath all = given().auth().oauth2(TOKEN).queryParam("namespace", Fixtures.NAMESPACE)
                    .get("/api/v1/credentials").then().statusCode(200).extract().jsonPath();
            Map<String, Object> dated = all.getMap("find { it.credential == '" + scheduled + "' }");
            assertThat(dated).containsEntry("valid", true).containsEntry("phase", "Idle")
                    .containsEntry("schedule", "every PT720H").containsKey("nextDue").containsKey("age");
            Map<String, Object> broken = all.getMap("find { it.credential == 'rotor-test/" + brokenName + "' }");
            assertThat(broken).containsEntry("valid", false);
            assertThat(broken.get("problems").toString()).contains("spec.schedule.cron");
        });
    }

    @Test
    void dashboardsGetRotationEventsLiveOverServerSentEvents() throws Exception {
        CredentialRef ref = credential("live", "");
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(streamUri + "?credential=" + ref))
                .header("Authorization", "Bearer " + TOKEN).header("Accept", "text/event-stream").build();
        var response = client.sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        response.thenAccept(r -> {
            try (Stream<String> body = r.body()) {
                body.forEach(lines::add);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(response::isDone);
        assertThat(response.get().statusCode()).isEqualTo(200);

        RotateCredential command = start(ref, "live-1");

        await().atMost(Duration.ofSeconds(20)).until(() -> lines.stream().anyMatch(l -> l.contains("RotationStarted")
                && l.contains(command.rotationId())));
        assertThat(lines).filteredOn(l -> l.startsWith("data:")).allMatch(l -> l.contains(ref.asString()))
                .noneMatch(l -> l.contains("ciphertext"));
        response.cancel(true);
    }

    @Test
    void theOpenApiDocumentDescribesTheApiAndItsBearerTokenToCallersWhoMayUseIt() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(401);
        given().auth().oauth2(TOKEN).queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/api/v1/rotations'.post", notNullValue())
                .body("paths.'/api/v1/rotations/{id}'.get", notNullValue())
                .body("paths.'/api/v1/credentials'.get", notNullValue())
                .body("components.securitySchemes.bearer.scheme", equalTo("bearer"));
    }

    private CredentialRef credential(String prefix, String extra) {
        String name = Fixtures.unique(prefix);
        return Fixtures.create(sandbox, registry, Fixtures.NAMESPACE, name,
                Fixtures.redisAcl(Fixtures.NAMESPACE, name, extra));
    }

    private RotateCredential start(CredentialRef ref, String requestId) {
        given().auth().oauth2(TOKEN).contentType("application/json")
                .body("{\"credential\":\"" + ref + "\",\"requestId\":\"" + requestId + "\"}")
                .post("/api/v1/rotations").then().statusCode(202);
        return probe.await(RotateCredential.class, ref);
    }
}
