package io.rotor.orchestrator.saga;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.event.RollbackRequested;
import io.rotor.contracts.event.RotateCredential;
import io.rotor.contracts.event.RotationCompleted;
import io.rotor.contracts.event.RotationRolledBack;
import io.rotor.contracts.event.RotationStalled;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.event.StepFailed;
import io.rotor.contracts.event.Topics;
import io.rotor.contracts.saga.SagaState;
import io.rotor.contracts.saga.Step;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SealedValue;
import io.rotor.contracts.sealing.SealingKeys;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.orchestrator.registry.CredentialRegistry;
import io.rotor.orchestrator.registry.KubernetesCredentialRegistry;
import io.rotor.orchestrator.support.Fixtures;
import io.rotor.orchestrator.support.KafkaProbe;
import io.rotor.orchestrator.support.MutableClock;
import io.rotor.orchestrator.worker.OwnerWorker;
import io.rotor.orchestrator.worker.OwnerWorkers;
import io.rotor.testkit.kafka.KafkaBootstrapServers;
import io.rotor.testkit.kafka.KafkaTestResource;
import io.rotor.testkit.kubernetes.InjectKubernetesSandbox;
import io.rotor.testkit.kubernetes.KubernetesSandbox;
import io.rotor.testkit.kubernetes.KubernetesSandboxTestResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue point 6: the saga driven by participants' events (published here as they would), resumed after a restart,
 * with deadlines, outcomes, status and Kubernetes Events on the ManagedCredential.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KubernetesSandboxTestResource.class)
class SagaLifecycleTest {

    static final String TOKEN = "test-token";

    @KafkaBootstrapServers
    String bootstrap;

    @InjectKubernetesSandbox
    KubernetesSandbox sandbox;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Inject
    CredentialRegistry registry;

    @Inject
    SealingKeys keys;

    @Inject
    OwnerWorkers workers;

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
        OwnerWorker primary = workers.primary().orElseThrow();
        if (!primary.running()) {
            primary.start();
        }
    }

    @Test
    void aRotationDrivenThroughEveryStepCompletesWithStepDurationsStatusAndAnEvent() {
        CredentialRef ref = credential("happy");
        RotateCredential command = start(ref);

        platformUpdated(command);
        step(command, Step.SECRET_WRITTEN);
        step(command, Step.WORKLOADS_RESTARTED);
        step(command, Step.OLD_REVOKED);

        RotationCompleted done = probe.await(RotationCompleted.class, ref);
        assertThat(done.rotationId()).isEqualTo(command.rotationId());
        assertThat(done.stepDurations()).containsOnlyKeys(Step.PLATFORM_UPDATED, Step.SECRET_WRITTEN,
                Step.WORKLOADS_RESTARTED, Step.OLD_REVOKED);
        assertThat(done.total()).isPositive();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Map<String, Object> status = status(ref);
            assertThat(status).containsEntry("phase", "Idle").containsEntry("lastOutcome", "COMPLETED")
                    .containsEntry("lastRotationId", command.rotationId()).containsKey("lastSuccessTime")
                    .containsEntry("observedGeneration", 1);
            assertThat(events(ref)).extracting(Event::getReason)
                    .contains("RotationStarted", "RotationCompleted");
        });
        Event completed = events(ref).stream().filter(e -> e.getReason().equals("RotationCompleted")).findFirst()
                .orElseThrow();
        assertThat(completed.getType()).isEqualTo("Normal");
        assertThat(completed.getInvolvedObject().getKind()).isEqualTo("ManagedCredential");
        assertThat(completed.getMessage()).contains(command.rotationId());
    }

    /**
     * The metrics endpoint after an ended rotation and a refused record: the outcome counted and timed, its steps
     * timed, the read model's gauges, and every rotor_* name deploy/'s alerts and Grafana dashboard use.
     */
    @Test
    void anEndedRotationAndARefusedRecordShowOnTheMetricsEndpointUnderTheNamesDeployUses() throws Exception {
        CredentialRef ref = credential("metered");
        probe.publishRaw(Topics.REQUESTS, ref.asString(), Map.of(), "not a cloud event".getBytes(
                StandardCharsets.UTF_8));
        RotateCredential command = start(ref);
        platformUpdated(command);
        step(command, Step.SECRET_WRITTEN);
        step(command, Step.WORKLOADS_RESTARTED);
        step(command, Step.OLD_REVOKED);
        probe.await(RotationCompleted.class, ref);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<String> lines = given().get(metrics).then().statusCode(200).extract().asString().lines()
                    .toList();
            assertThat(metric(lines, "rotor_rotations_total", "outcome=\"completed\"", "platform=\"redis-acl\""))
                    .isGreaterThanOrEqualTo(1);
            assertThat(metric(lines, "rotor_rotation_duration_seconds_count", "outcome=\"completed\"",
                    "platform=\"redis-acl\"")).isGreaterThanOrEqualTo(1);
            assertThat(metric(lines, "rotor_rotation_duration_seconds_bucket", "outcome=\"completed\"",
                    "le=\"+Inf\"")).isGreaterThanOrEqualTo(1);
            assertThat(metric(lines, "rotor_step_duration_seconds_count", "step=\"OLD_REVOKED\"",
                    "platform=\"redis-acl\"")).isGreaterThanOrEqualTo(1);
            assertThat(metric(lines, "rotor_rotations_in_flight", "platform=\"redis-acl\"")).isGreaterThanOrEqualTo(0);
            assertThat(metric(lines, "rotor_rotations_stalled", "platform=\"redis-acl\"")).isGreaterThanOrEqualTo(0);
            assertThat(metric(lines, "rotor_credential_age_seconds", "credential=\"" + ref + "\""))
                    .isGreaterThanOrEqualTo(0);
            assertThat(metric(lines, "rotor_credential_overdue", "credential=\"" + ref + "\"")).isZero();
            assertThat(metric(lines, "rotor_dlq_records_total", "service=\"orchestrator\"",
                    "reason=\"NOT_A_CLOUDEVENT\"")).isGreaterThanOrEqualTo(1);

            Path monitoring = Path.of("..", "deploy", "kubernetes", "base", "monitoring");
            Set<String> used = new TreeSet<>();
            try (var files = Files.list(monitoring)) {
                for (Path f : files.toList()) {
                    Matcher m = Pattern.compile("rotor_[a-z_]+").matcher(Files.readString(f));
                    while (m.find()) {
                        used.add(m.group());
                    }
                }
            }
            assertThat(used).as("names in " + monitoring).hasSizeGreaterThanOrEqualTo(8);
            assertThat(used).allSatisfy(name -> assertThat(lines).as(name + " on /q/metrics")
                    .anyMatch(l -> l.startsWith(name + "{") || l.startsWith(name + " ")));
        });
    }

    /** The value of the first sample of {@code name} whose labels include all of {@code labels}; fails if none. */
    private static double metric(List<String> lines, String name, String... labels) {
        return lines.stream().filter(l -> l.startsWith(name + "{") && Arrays.stream(labels).allMatch(l::contains))
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + name + " with " + Arrays.toString(labels)));
    }

    @Test
    void aRestartedOrchestratorResumesTheRotationExactlyWhereItWas() throws Exception {
        CredentialRef ref = credential("restart");
        RotateCredential command = start(ref);
        OwnerWorker primary = workers.primary().orElseThrow();
        platformUpdated(command);
        await().until(() -> primary.saga(ref).map(s -> s.active().state() == SagaState.PLATFORM_UPDATED)
                .orElse(false));

        primary.stop();
        assertThat(primary.saga(ref)).as("in-memory state is gone with the stopped member").isEmpty();
        step(command, Step.SECRET_WRITTEN);
        primary.start();
        assertThat(primary.awaitAssignment(Duration.ofSeconds(30))).isTrue();
        // Steps travel on one topic per producer, so a later one may overtake an earlier one; wait for this one to be
        // read, so that the timeline below has every step's own report.
        await().until(() -> primary.saga(ref).map(s -> s.active().state() == SagaState.SECRET_WRITTEN)
                .orElse(false));
        step(command, Step.WORKLOADS_RESTARTED);
        step(command, Step.OLD_REVOKED);

        RotationCompleted done = probe.await(RotationCompleted.class, ref);
        assertThat(done.stepDurations()).containsOnlyKeys(Step.PLATFORM_UPDATED, Step.SECRET_WRITTEN,
                Step.WORKLOADS_RESTARTED, Step.OLD_REVOKED);
        assertThat(probe.events(RotateCredential.class, ref)).hasSize(1);
        assertThat(probe.events(io.rotor.contracts.event.RotationStarted.class, ref)).hasSize(1);
        assertThat(probe.events(RotationCompleted.class, ref)).hasSize(1);
    }

    @Test
    void aStepThatMissesItsDeadlineIsReportedStalledOnceAndTheRotationStillMovesOn() {
        CredentialRef ref = credential("slow");
        RotateCredential command = start(ref);
        OwnerWorker owner = ownerOf(ref);

        // Redis ACL changes are given two minutes by default.
        clock.advance(Duration.ofMinutes(3));
        RotationStalled stalled = probe.await(RotationStalled.class, ref);
        assertThat(stalled.state()).isEqualTo(SagaState.STARTED);
        assertThat(stalled.awaitedStep()).isEqualTo(Step.PLATFORM_UPDATED);
        long ticks = owner.ticks();
        await().until(() -> owner.ticks() > ticks + 3);
        assertThat(probe.events(RotationStalled.class, ref)).hasSize(1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(events(ref))
                .anySatisfy(e -> {
                    assertThat(e.getReason()).isEqualTo("RotationStalled");
                    assertThat(e.getType()).isEqualTo("Warning");
                }));

        platformUpdated(command);
        await().until(() -> owner.saga(ref).map(s -> s.active().state() == SagaState.PLATFORM_UPDATED)
                .orElse(false));
        assertThat(probe.events(RotationStalled.class, ref)).hasSize(1);
    }

    @Test
    void aSecretWriteThatFailsForGoodRollsBackAndEndsRolledBack() {
        CredentialRef ref = credential("rollback");
        RotateCredential command = start(ref);
        Map<String, SealedValue> previous = platformUpdated(command);

        probe.publish(new StepFailed(command.rotationId(), ref, Step.SECRET_WRITTEN, "forbidden",
                "secrets \"x\" is forbidden: cannot update", false, 1, command.spec().platform()));
        RollbackRequested rollback = probe.await(RollbackRequested.class, ref);
        assertThat(rollback.material()).isEqualTo(command.material());
        assertThat(rollback.previous()).isEqualTo(previous);
        assertThat(rollback.step()).isEqualTo(Step.SECRET_WRITTEN);

        step(command, Step.SECRET_RESTORED);
        step(command, Step.WORKLOADS_RESTORED);
        step(command, Step.NEW_REVOKED);
        RotationRolledBack rolledBack = probe.await(RotationRolledBack.class, ref);
        assertThat(rolledBack.errorCode()).isEqualTo("forbidden");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(status(ref)).containsEntry("lastOutcome", "ROLLED_BACK").doesNotContainKey("lastSuccessTime");
            assertThat(events(ref)).extracting(Event::getReason).contains("RotationRollingBack",
                    "RotationRolledBack");
        });
    }

    private CredentialRef credential(String prefix) {
        String name = Fixtures.unique(prefix);
        return Fixtures.create(sandbox, registry, Fixtures.NAMESPACE, name,
                Fixtures.redisAcl(Fixtures.NAMESPACE, name, ""));
    }

    private RotateCredential start(CredentialRef ref) {
        given().auth().oauth2(TOKEN).contentType("application/json")
                .body("{\"credential\":\"" + ref + "\",\"reason\":\"test\"}").post("/api/v1/rotations")
                .then().statusCode(202);
        return probe.await(RotateCredential.class, ref);
    }

    /** As the rotator reports it: the new value forwarded, the old one sealed as PREVIOUS. */
    private Map<String, SealedValue> platformUpdated(RotateCredential command) {
        Map<String, SealedValue> previous = CredentialMaterial.password(SecretValue.of("old-password")).seal(keys.sealerFor(command.spec().platform()),
                command.rotationId(), command.credential(), CredentialMaterial.Purpose.PREVIOUS);
        probe.publish(new StepCompleted(command.rotationId(), command.credential(), Step.PLATFORM_UPDATED,
                command.spec(), command.material(), previous, Map.of("nodes", "2"), Duration.ofMillis(120)));
        return previous;
    }

    private void step(RotateCredential command, Step step) {
        ManagedCredentialSpec spec = command.spec();
        probe.publish(new StepCompleted(command.rotationId(), command.credential(), step, spec,
                step.rollback() ? null : command.material(), null, Map.of(), Duration.ofMillis(50)));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> status(CredentialRef ref) {
        GenericKubernetesResource r = sandbox.client().genericKubernetesResources(
                KubernetesCredentialRegistry.context()).inNamespace(ref.namespace()).withName(ref.name()).get();
        Object status = r.getAdditionalProperties().get("status");
        return status == null ? Map.of() : (Map<String, Object>) status;
    }

    private List<Event> events(CredentialRef ref) {
        return sandbox.client().v1().events().inNamespace(ref.namespace()).list().getItems().stream()
                .filter(e -> ref.name().equals(e.getInvolvedObject().getName())).toList();
    }

    /** The member owning a credential, once the group has settled (another test may just have stopped a member). */
    private OwnerWorker ownerOf(CredentialRef ref) {
        await().atMost(Duration.ofSeconds(30)).until(() -> workers.ownerOf(ref).isPresent());
        return workers.ownerOf(ref).orElseThrow();
    }
}
