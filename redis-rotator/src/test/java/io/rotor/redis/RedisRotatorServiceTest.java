package io.rotor.redis;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.Endpoint;
import io.rotor.contracts.credential.Identity;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.ManagedCredentials;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.RedisAclOptions;
import io.rotor.contracts.credential.SecretFormat;
import io.rotor.contracts.credential.SecretKeyRef;
import io.rotor.contracts.credential.SecretTarget;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.envelope.CloudEventCodec;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.event.StepFailed;
import io.rotor.contracts.saga.Step;
import io.rotor.kit.timer.ManualTimers;
import io.rotor.testkit.kafka.KafkaBootstrapServers;
import io.rotor.testkit.kafka.KafkaTestResource;
import io.rotor.testkit.kubernetes.InjectKubernetesSandbox;
import io.rotor.testkit.kubernetes.KubernetesSandbox;
import io.rotor.testkit.kubernetes.KubernetesSandboxTestResource;
import io.rotor.testkit.rec.RedisEnterpriseFake;
import io.rotor.testkit.redis.RedisServerProcess;
import io.rotor.testkit.redis.RespClient;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service as deployed: the orchestrator's starts on rotor.events, commands and the pod restarter's steps through a
 * real broker, Secrets from the Kubernetes sandbox, a real
 * redis-server and the Redis Enterprise fake behind TLS. Only the clock is the test's.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@WithTestResource(value = KubernetesSandboxTestResource.class, initArgs = {
    @ResourceArg(name = KubernetesSandboxTestResource.NAMESPACE, value = "shop"),
    @ResourceArg(name = KubernetesSandboxTestResource.CONTROLLER, value = "false")})
class RedisRotatorServiceTest {

    private static final String NS = "shop";
    private static RedisServerProcess redis;
    private static RedisEnterpriseFake rec;

    @KafkaBootstrapServers
    String bootstrapServers;

    @InjectKubernetesSandbox
    KubernetesSandbox sandbox;

    @Inject
    ManualTimers timers;

    private EventLog events;

    @BeforeAll
    static void platforms() {
        redis = RedisServerProcess.builder().defaultUserPassword("admin-pw").withAclFile().start();
        rec = RedisEnterpriseFake.builder().start();
    }

    @AfterAll
    static void stopPlatforms() {
        redis.close();
        rec.close();
    }

    @BeforeEach
    void log() {
        events = new EventLog(bootstrapServers, new CloudEventCodec("/test/participants", timers.clock(),
                () -> UUID.randomUUID().toString()));
    }

    @AfterEach
    void closeLog() {
        events.close();
    }

    @Test
    void reportsLiveAndReadyWhenStarted() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void anAclUserIsRotatedThroughKafkaAndItsOldPasswordRetiredAfterTheDelay() {
        String user = "app" + suffix();
        try (RespClient admin = redis.connectAsDefaultUser()) {
            admin.callText("ACL", "SETUSER", user, "on", ">old-pw", "~*", "+@all");
            admin.callText("ACL", "SAVE");
        }
        secret(user + "-redis", Map.of("password", "old-pw"), user);
        secret("redis-admin", Map.of("password", "admin-pw"), null);
        ManagedCredentialSpec spec = new ManagedCredentialSpec(Platform.REDIS_ACL, Strategy.DUAL_PASSWORD,
                new Endpoint(null, List.of(redis.host() + ":" + redis.port()), null, null, null),
                new Identity(user, null, null),
                List.of(new SecretTarget(user + "-redis", SecretFormat.KEYS, Map.of("password", "password"), null,
                        null, null, null)),
                null, null, Duration.ofSeconds(30), null, null, null, null, null,
                new RedisAclOptions(null, new SecretKeyRef("redis-admin", "password")));
        CredentialRef ref = CredentialRef.parse(NS + "/" + user);
        String rotation = "acl-" + suffix();

        events.publish(StartedRotations.started(rotation, ref, spec));
        events.publish(RuntimeHarness.command(rotation, ref, spec, "new-pw"));
        StepCompleted updated = events.await(rotation, Step.PLATFORM_UPDATED, StepCompleted.class, Duration.ofSeconds(30));
        assertThat(auth(user, "old-pw")).isTrue();
        assertThat(auth(user, "new-pw")).isTrue();

        events.publish(RuntimeHarness.restarted(updated));
        StepCompleted revoked = advanceUntil(rotation, Duration.ofSeconds(30));

        assertThat(revoked.duration()).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
        assertThat(auth(user, "old-pw")).isFalse();
        assertThat(auth(user, "new-pw")).isTrue();
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("rotor_rotator_steps_seconds_count{outcome=\"changed\",platform=\"redis-acl\","
                        + "step=\"OLD_REVOKED\"}"));
    }

    @Test
    void aRedisEnterpriseAdminIsRotatedOverTlsThroughKafka() {
        String admin = "admin" + suffix() + "@example.com";
        rec.addUser(admin, "admin", "Old-pw-1!");
        secret("rec-ca", Map.of("ca.crt", rec.certificateAuthority().certificatePem()), null);
        String secretName = "rec" + suffix();
        secret(secretName, Map.of("username", admin, "password", "Old-pw-1!"), secretName);
        ManagedCredentialSpec spec = recSpec(admin, secretName);
        CredentialRef ref = CredentialRef.parse(NS + "/" + secretName);
        String rotation = "rec-" + suffix();

        events.publish(StartedRotations.started(rotation, ref, spec));
        events.publish(RuntimeHarness.command(rotation, ref, spec, "New-pw-2!"));
        StepCompleted updated = events.await(rotation, Step.PLATFORM_UPDATED, StepCompleted.class, Duration.ofSeconds(30));
        assertThat(rec.accepts(admin, "Old-pw-1!")).isTrue();
        assertThat(rec.accepts(admin, "New-pw-2!")).isTrue();

        events.publish(RuntimeHarness.restarted(updated));
        advanceUntil(rotation, Duration.ofMinutes(5));

        assertThat(rec.accepts(admin, "Old-pw-1!")).isFalse();
        assertThat(rec.accepts(admin, "New-pw-2!")).isTrue();
    }

    @Test
    void aStalePasswordInTheSecretFailsAfterOneLoginWithAClearMessage() {
        String admin = "stale" + suffix() + "@example.com";
        rec.addUser(admin, "admin", "Old-pw-1!");
        secret("rec-ca", Map.of("ca.crt", rec.certificateAuthority().certificatePem()), null);
        String secretName = "rec" + suffix();
        secret(secretName, Map.of("username", admin, "password", "Stale-pw-0!"), secretName);
        String rotation = "stale-" + suffix();
        CredentialRef ref = CredentialRef.parse(NS + "/" + secretName);
        ManagedCredentialSpec spec = recSpec(admin, secretName);

        events.publish(StartedRotations.started(rotation, ref, spec));
        events.publish(RuntimeHarness.command(rotation, ref, spec, "New-pw-2!"));
        StepFailed failed = events.await(rotation, Step.PLATFORM_UPDATED, StepFailed.class, Duration.ofSeconds(30));

        assertThat(failed.errorCode()).isEqualTo("current_password_rejected");
        assertThat(failed.retriable()).isFalse();
        assertThat(rec.failedLoginsTotal(admin)).isEqualTo(1);
    }

    private ManagedCredentialSpec recSpec(String admin, String secretName) {
        return new ManagedCredentialSpec(Platform.REDIS_ENTERPRISE, Strategy.DUAL_PASSWORD,
                new Endpoint(rec.url(), null, new SecretKeyRef("rec-ca", "ca.crt"), null, null),
                new Identity(admin, null, null),
                List.of(new SecretTarget(secretName, SecretFormat.KEYS,
                        Map.of("username", "username", "password", "password"), null, null, null, null)),
                null, null, null, null, null, null, null, null);
    }

    /** Moves the clock a little at a time until the old value is revoked, so the wait is really waited for. */
    private StepCompleted advanceUntil(String rotation, Duration delay) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> timers.pending() > 0);
        timers.advance(delay.minusSeconds(1));
        assertThat(events.all(rotation, Step.OLD_REVOKED, StepCompleted.class)).isEmpty();
        timers.advance(Duration.ofSeconds(1));
        return events.await(rotation, Step.OLD_REVOKED, StepCompleted.class, Duration.ofSeconds(30));
    }

    private boolean auth(String user, String password) {
        try (RespClient client = redis.connect()) {
            return client.auth(user, password);
        }
    }

    /** @param credential the credential whose value the Secret holds (its opt-in label), or null for none */
    private void secret(String name, Map<String, String> data, String credential) {
        Map<String, String> encoded = new java.util.HashMap<>();
        data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        Map<String, String> labels = credential == null ? Map.of()
                : Map.of(ManagedCredentials.CREDENTIAL_LABEL, credential);
        sandbox.client().secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(name)
                .withNamespace(NS).withLabels(labels).endMetadata().withData(encoded).build())
                .createOr(r -> r.update());
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 6);
    }

}
