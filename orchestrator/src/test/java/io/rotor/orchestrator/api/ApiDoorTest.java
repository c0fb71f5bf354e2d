package io.rotor.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rotor.testkit.kafka.KafkaTestResource;
import io.rotor.testkit.kubernetes.KubernetesSandboxTestResource;
import java.net.URL;
import org.junit.jupiter.api.Test;

/**
 * What surrounds the API's handlers: health and metrics only on the management port, JSON bodies only and small
 * ones, and the headers that keep the dashboard from being framed, leaking its address or running injected script.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KubernetesSandboxTestResource.class)
class ApiDoorTest {

    static final String TOKEN = "test-token";

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void healthAndMetricsAreServedOnTheManagementPortAndNotOnTheApiPort() {
        // (A management URL is relative to the management root, /q.)
        given().get(ready).then().statusCode(200);
        given().get(metrics).then().statusCode(200).body(containsString("rotor_"));
        given().auth().oauth2(TOKEN).get("/q/health/ready").then().statusCode(404);
        given().auth().oauth2(TOKEN).get("/q/metrics").then().statusCode(404);
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedWith415BeforeAnyHandlerReadsIt() {
        String body = "{\"credential\":\"rotor-test/anything\"}";
        given().auth().oauth2(TOKEN).contentType("text/plain").body(body).post("/api/v1/rotations")
                .then().statusCode(415);
        given().auth().oauth2(TOKEN).contentType("application/x-www-form-urlencoded").body("credential=a/b")
                .post("/api/v1/rotations").then().statusCode(415);
        given().auth().oauth2(TOKEN).contentType("multipart/form-data; boundary=x")
                .body("--x--".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .post("/api/v1/rotations/r1/cancel").then().statusCode(415);
        // No Content-Type at all: a bare POST (what a form or a curl without -H sends) is refused the same way.
        given().auth().oauth2(TOKEN).post("/api/v1/rotations/r1/cancel").then().statusCode(415)
                .body("reason", equalTo("UNSUPPORTED_MEDIA_TYPE"));
    }

    @Test
    void aBodyLargerThanTheApiNeedsIsRefused() {
        String huge = "{\"credential\":\"rotor-test/anything\",\"reason\":\"" + "x".repeat(20_000) + "\"}";
        given().auth().oauth2(TOKEN).contentType("application/json").body(huge).post("/api/v1/rotations")
                .then().statusCode(413);
    }

    @Test
    void theDashboardIsServedWithHeadersThatForbidFramingInlineScriptAndReferrers() {
        given().get("/").then().statusCode(200)
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("Content-Security-Policy", containsString("script-src 'self';"))
                .header("Referrer-Policy", equalTo("no-referrer"))
                .header("X-Content-Type-Options", equalTo("nosniff"))
                .body(containsString("<script src=\"dashboard.js\"></script>"))
                .body(org.hamcrest.Matchers.not(containsString("<script>")));
    }
}
