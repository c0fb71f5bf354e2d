package io.rotor.orchestrator.intake;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.event.RotateCredential;
import io.rotor.contracts.event.RotationRequested;
import io.rotor.contracts.event.RotationStarted;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Figures, not assertions on time: how long the REST door takes to answer a start, how long from RotationStarted to
 * the command, and how fast a burst of topic requests is answered. Printed to the test log.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KubernetesSandboxTestResource.class)
class StartLatencyBenchmarkTest {

    private static final Logger LOG = Logger.getLogger(StartLatencyBenchmarkTest.class);
    static final int CREDENTIALS = 30;

    @KafkaBootstrapServers
    String bootstrap;

    @InjectKubernetesSandbox
    KubernetesSandbox sandbox;

    @Inject
    CredentialRegistry registry;

    @Test
    void printsStartLatencies() {
        KafkaProbe probe = KafkaProbe.on(bootstrap);
        List<CredentialRef> viaRest = credentials("bench-rest");
        List<CredentialRef> viaTopic = credentials("bench-topic");

        List<Long> restMillis = new ArrayList<>();
        for (CredentialRef ref : viaRest) {
            long t0 = System.nanoTime();
            given().auth().oauth2("test-token").contentType("application/json")
                    .body("{\"credential\":\"" + ref + "\"}").post("/api/v1/rotations").then().statusCode(202);
            restMillis.add((System.nanoTime() - t0) / 1_000_000);
        }

        long burstStart = System.nanoTime();
        for (CredentialRef ref : viaTopic) {
            probe.publish(new RotationRequested("burst", ref, "bench", false, "user:bench", null));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> viaTopic.stream()
                .allMatch(ref -> !probe.events(RotateCredential.class, ref).isEmpty()));
        long burstMillis = (System.nanoTime() - burstStart) / 1_000_000;

        List<Long> startToCommand = new ArrayList<>();
        for (CredentialRef ref : viaRest) {
            await().until(() -> !probe.records(RotateCredential.class, ref).isEmpty());
            Seen started = probe.records(RotationStarted.class, ref).get(0);
            Seen command = probe.records(RotateCredential.class, ref).get(0);
            startToCommand.add(Duration.between(started.timestamp(), command.timestamp()).toMillis());
        }
        LOG.infof("BENCH REST POST -> 202 STARTED, %d sequential starts: p50 %d ms, p95 %d ms, max %d ms",
                CREDENTIALS, pct(restMillis, 50), pct(restMillis, 95), Collections.max(restMillis));
        LOG.infof("BENCH RotationStarted -> RotateCredential (record timestamps): p50 %d ms, p95 %d ms, max %d ms",
                pct(startToCommand, 50), pct(startToCommand, 95), Collections.max(startToCommand));
        LOG.infof("BENCH burst of %d topic requests -> all commands out: %d ms (%.1f starts/s)", CREDENTIALS,
                burstMillis, CREDENTIALS * 1000.0 / Math.max(1, burstMillis));
        assertThat(restMillis).hasSize(CREDENTIALS);
    }

    private List<CredentialRef> credentials(String prefix) {
        List<CredentialRef> refs = new ArrayList<>();
        for (int i = 0; i < CREDENTIALS; i++) {
            String name = Fixtures.unique(prefix);
            sandbox.loadYaml(Fixtures.redisAcl(Fixtures.NAMESPACE, name, ""));
            refs.add(new CredentialRef(Fixtures.NAMESPACE, name));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> refs.stream().allMatch(r -> registry.find(r).isPresent()));
        return refs;
    }

    private static long pct(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
