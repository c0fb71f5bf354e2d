package io.rotor.orchestrator.plan;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.event.RotateCredential;
import io.rotor.contracts.event.RotationPlanned;
import io.rotor.contracts.event.RotationStarted;
import io.rotor.orchestrator.registry.CredentialRegistry;
import io.rotor.orchestrator.support.Fixtures;
import io.rotor.orchestrator.support.KafkaProbe;
import io.rotor.testkit.kafka.KafkaBootstrapServers;
import io.rotor.testkit.kafka.KafkaTestResource;
import io.rotor.testkit.kubernetes.InjectKubernetesSandbox;
import io.rotor.testkit.kubernetes.KubernetesSandbox;
import io.rotor.testkit.kubernetes.KubernetesSandboxTestResource;
import io.rotor.testkit.kubernetes.WorkloadRef;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue point 5: a dry run says what would change, and changes nothing. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KubernetesSandboxTestResource.class)
class DryRunTest {

    static final String TOKEN = "test-token";

    @KafkaBootstrapServers
    String bootstrap;

    @InjectKubernetesSandbox
    KubernetesSandbox sandbox;

    @Inject
    CredentialRegistry registry;

    @Test
    void aDryRunListsCallsSecretsAndConsumersAndChangesNothing() {
        KafkaProbe probe = KafkaProbe.on(bootstrap);
        String name = Fixtures.unique("plan");
        String secret = name + "-secret";
        sandbox.loadYaml("""
                apiVersion: v1
                kind: Secret
                metadata: {name: %1$s}
                stringData: {password: current}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %2$s-web}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: %2$s-web}}
                  template:
                    metadata: {labels: {app: %2$s-web}}
                    spec:
                      containers:
                        - name: web
                          image: web:1
                          env:
                            - name: REDIS_PASSWORD
                              valueFrom: {secretKeyRef: {name: %1$s, key: password}}
                ---
                apiVersion: apps/v1
                kind: StatefulSet
                metadata:
                  name: %2$s-worker
                  annotations: {rotor.io/restart-on: "other, %2$s"}
                spec:
                  replicas: 1
                  serviceName: %2$s-worker
                  selector: {matchLabels: {app: %2$s-worker}}
                  template:
                    metadata: {labels: {app: %2$s-worker}}
                    spec:
                      containers: [{name: worker, image: worker:1}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %2$s-unrelated}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: %2$s-unrelated}}
                  template:
                    metadata: {labels: {app: %2$s-unrelated}}
                    spec:
                      containers: [{name: x, image: x:1}]
                """.formatted(secret, name));
        String extraSecret = "    - {name: " + name + "-missing, format: template, key: url, template: \"redis://"
                + "{{password}}@redis\"}\n";
        String yaml = Fixtures.redisAcl(Fixtures.NAMESPACE, name, "").replace(
                "    - {name: " + secret + ", format: keys, keys: {password: password}}\n",
                "    - {name: " + secret + ", format: keys, keys: {password: password}}\n" + extraSecret);
        CredentialRef ref = Fixtures.create(sandbox, registry, Fixtures.NAMESPACE, name, yaml);
        String secretVersion = sandbox.client().secrets().withName(secret).get().getMetadata().getResourceVersion();

        JsonPath plan = given().auth().oauth2(TOKEN).contentType("application/json")
                .body("{\"credential\":\"" + ref + "\",\"dryRun\":true,\"requestId\":\"plan-1\"}")
                .post("/api/v1/rotations").then().statusCode(200).extract().jsonPath();

        assertThat(plan.getString("status")).isEqualTo("PLANNED");
        assertThat(plan.getList("plan.platformCalls", String.class)).anyMatch(c -> c.startsWith("ACL SETUSER cache"))
                .noneMatch(c -> c.contains("current"));
        List<Map<String, Object>> secrets = plan.getList("plan.secrets");
        assertThat(secrets).containsExactly(
                Map.of("name", secret, "keys", List.of("password"), "exists", true),
                Map.of("name", name + "-missing", "keys", List.of("url"), "exists", false));
        assertThat(plan.getList("plan.workloads")).containsExactly(
                Map.of("kind", "Deployment", "name", name + "-web"),
                Map.of("kind", "StatefulSet", "name", name + "-worker"));
        assertThat(plan.getString("plan.restartStrategy")).isEqualTo("rollout");
        assertThat(plan.getString("plan.propagationDelay")).isEqualTo("PT30S");

        RotationPlanned planned = probe.await(RotationPlanned.class, ref);
        assertThat(planned.requestId()).isEqualTo("plan-1");
        assertThat(planned.plan().workloads()).hasSize(2);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                probe.events(RotationStarted.class, ref).isEmpty() && probe.events(RotateCredential.class, ref)
                        .isEmpty());
        assertThat(sandbox.client().secrets().withName(secret).get().getMetadata().getResourceVersion())
                .isEqualTo(secretVersion);
        assertThat(sandbox.controller().restartCount(WorkloadRef.deployment(Fixtures.NAMESPACE, name + "-web")))
                .isZero();
    }
}
