package io.rotor.orchestrator.intake;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.event.RotateCredential;
import io.rotor.contracts.event.RotationCoalesced;
import io.rotor.contracts.event.RotationRequested;
import io.rotor.contracts.event.RotationStarted;
import io.rotor.contracts.event.Topics;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SealingException;
import io.rotor.contracts.sealing.SealingKeys;
import io.rotor.orchestrator.registry.CredentialRegistry;
import io.rotor.orchestrator.support.Fixtures;
import io.rotor.orchestrator.support.KafkaProbe;
import io.rotor.orchestrator.support.Seen;
import io.rotor.orchestrator.worker.OwnerWorker;
import io.rotor.orchestrator.worker.OwnerWorkers;
import io.rotor.testkit.kafka.KafkaBootstrapServers;
import io.rotor.testkit.kafka.KafkaTestResource;
import io.rotor.testkit.kubernetes.InjectKubernetesSandbox;
import io.rotor.testkit.kubernetes.KubernetesSandbox;
import io.rotor.testkit.kubernetes.KubernetesSandboxTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue points 3 and 4: a rotation starts with its new value sealed in an acknowledged record, once. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KubernetesSandboxTestResource.class)
class RotationStartTest {

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
    OwnerWorkers workers;

    KafkaProbe probe;
    OwnerWorker second;

    @BeforeEach
    void probe() {
        probe = KafkaProbe.on(bootstrap);
    }

    @AfterEach
    void stopSecond() {
        if (second != null) {
            second.stop();
        }
    }

    @Test
    void theNewValueIsGeneratedByPolicySealedAndInRotationStartedBeforeTheCommandGoesOut() {
        CredentialRef ref = credential("start");

        String rotationId = post(ref, "first", null).statusCode(202).body("status", equalTo("STARTED"))
                .extract().path("rotationId");

        RotateCredential command = probe.await(RotateCredential.class, ref);
        RotationStarted started = probe.await(RotationStarted.class, ref);
        assertThat(command.rotationId()).isEqualTo(rotationId).isEqualTo(started.rotationId());
        assertThat(command.material()).isEqualTo(started.material()).containsOnlyKeys("password");
        assertThat(command.spec()).isEqualTo(started.spec());

        Seen startedRecord = probe.records(RotationStarted.class, ref).get(0);
        Seen commandRecord = probe.records(RotateCredential.class, ref).get(0);
        assertThat(commandRecord.topic()).isEqualTo(Topics.COMMANDS_REDIS);
        assertThat(commandRecord.timestamp()).isAfterOrEqualTo(startedRecord.timestamp());

        String password = CredentialMaterial.open(keys.sealerFor(command.spec().platform()), command.material(), rotationId, ref,
                CredentialMaterial.Purpose.NEW).require(CredentialField.PASSWORD).reveal();
        assertThat(password).hasSize(40).doesNotContain("@", ":", "/");
        assertThat(startedRecord.text()).contains("ciphertext").doesNotContain(password);
        assertThat(commandRecord.text()).doesNotContain(password);
        // Bound to this rotation: the same sealed value does not open for another one.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CredentialMaterial.open(keys.sealerFor(command.spec().platform()), command.material(),
                "another-rotation", ref, CredentialMaterial.Purpose.NEW)).isInstanceOf(SealingException.class);
    }

    @Test
    void twoRequestsForOneCredentialGiveOneRotation() {
        CredentialRef ref = credential("pair");

        String first = post(ref, "a", null).statusCode(202).extract().path("rotationId");
        String joined = post(ref, "b", null).statusCode(202).body("status", equalTo("COALESCED"))
                .extract().path("rotationId");
        post(ref, "c", "REJECT").statusCode(409).contentType("application/problem+json")
                .body("reason", equalTo("ROTATION_IN_FLIGHT")).body("rotationId", equalTo(first));

        assertThat(joined).isEqualTo(first);
        assertThat(probe.events(RotationStarted.class, ref)).hasSize(1);
        assertThat(probe.events(RotateCredential.class, ref)).hasSize(1);
    }

    @Test
    void withTwoOrchestratorMembersEachCredentialStillRotatesOnceWhateverDoorTheRequestsTake() throws Exception {
        OwnerWorker primary = workers.primary().orElseThrow();
        second = workers.create("replica-2");
        second.start();
        assertThat(second.awaitAssignment(Duration.ofSeconds(30))).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> !second.ownedPartitions().isEmpty()
                && !primary.ownedPartitions().isEmpty());
        Set<Integer> overlap = new HashSet<>(primary.ownedPartitions());
        overlap.retainAll(second.ownedPartitions());
        assertThat(overlap).as("no partition has two owners").isEmpty();

        // Three credentials on each member's partitions: names alone would leave all six to one member now and then.
        List<CredentialRef> refs = new ArrayList<>();
        int onPrimary = 0;
        int onSecond = 0;
        for (int i = 0; onPrimary < 3 || onSecond < 3; i++) {
            CredentialRef candidate = new CredentialRef(Fixtures.NAMESPACE, Fixtures.unique("duo" + i));
            boolean take = primary.owns(candidate) ? onPrimary++ < 3 : second.owns(candidate) && onSecond++ < 3;
            if (take) {
                refs.add(Fixtures.create(sandbox, registry, Fixtures.NAMESPACE, candidate.name(),
                        Fixtures.redisAcl(Fixtures.NAMESPACE, candidate.name(), "")));
            }
        }
        for (CredentialRef ref : refs) {
            probe.publish(new RotationRequested("topic-" + ref.name(), ref, "topic door", false, "user:test", null));
            post(ref, "rest-" + ref.name(), null).statusCode(202);
            probe.publish(new RotationRequested("again-" + ref.name(), ref, "topic door", false, "user:test", null));
        }

        for (CredentialRef ref : refs) {
            await().atMost(Duration.ofSeconds(30)).until(() -> probe.events(RotationCoalesced.class, ref).size() == 2);
            assertThat(probe.events(RotationStarted.class, ref)).as("starts of %s", ref).hasSize(1);
            assertThat(probe.events(RotateCredential.class, ref)).as("commands of %s", ref).hasSize(1);
        }
        assertThat(refs).anyMatch(second::owns).anyMatch(primary::owns);
    }

    /** What a replica that lost its partition but did not know yet (a zombie) could write: it never reaches a rotator. */
    @Test
    void aRotationStartedByAStaleReplicaWhileOneIsInFlightNeverReachesThePlatform() {
        CredentialRef ref = credential("zombie");
        post(ref, "real", null).statusCode(202);
        RotateCredential command = probe.await(RotateCredential.class, ref);

        probe.publish(new RotationStarted("zombie-rotation", ref, "stale", "user:test", "stale replica",
                command.spec(), command.material(), 1, command.specDigest()));

        probe.await(io.rotor.contracts.event.RotationCancelled.class, ref,
                c -> c.rotationId().equals("zombie-rotation"));
        assertThat(probe.events(RotationCoalesced.class, ref)).anyMatch(c -> c.requestId().equals("stale")
                && c.rotationId().equals(command.rotationId()));
        assertThat(probe.events(RotateCredential.class, ref)).singleElement()
                .satisfies(c -> assertThat(c.rotationId()).isEqualTo(command.rotationId()));
    }

    private CredentialRef credential(String prefix) {
        String name = Fixtures.unique(prefix);
        return Fixtures.create(sandbox, registry, Fixtures.NAMESPACE, name,
                Fixtures.redisAcl(Fixtures.NAMESPACE, name, ""));
    }

    private io.restassured.response.ValidatableResponse post(CredentialRef ref, String requestId, String onConflict) {
        String body = "{\"credential\":\"" + ref + "\",\"requestId\":\"" + requestId + "\",\"reason\":\"test\""
                + (onConflict == null ? "" : ",\"onConflict\":\"" + onConflict + "\"") + "}";
        return given().auth().oauth2(TOKEN).contentType("application/json").body(body).post("/api/v1/rotations")
                .then();
    }
}
