package io.rotor.secret;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rotor.testkit.kafka.KafkaTestResource;
import io.rotor.testkit.kubernetes.KubernetesSandboxTestResource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KubernetesSandboxTestResource.class)
class ServiceHealthTest {

    @Test
    void reportsLiveWhenStarted() {
        given().when().get("/q/health/live")
                .then().statusCode(200).body("status", equalTo("UP"));
    }
}
