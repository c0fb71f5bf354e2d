package io.rotor.configui;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rotor.testkit.kafka.KafkaTestResource;
import io.rotor.testkit.kubernetes.KubernetesSandboxTestResource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KubernetesSandboxTestResource.class)
class ServiceHealthTest {

    @Test
    void reportsLiveWhenStarted() {
        given().when().get("/q/health/live")
                .then().statusCode(200).body("status", equalTo("UP"));
    }

    /** Ready means both of its dependencies answer: the Kafka channels and the Kubernetes API server. */
    @Test
    void reportsReadyWithKafkaAndTheKubernetesApiChecked() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'Kubernetes API' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'Kubernetes API' }.data.version", equalTo("v1.33.0-rotor-sandbox"))
                .body("checks.find { it.name.contains('Reactive Messaging') }.status", equalTo("UP"));
    }
}
