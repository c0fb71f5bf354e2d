package io.rotor.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
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
import io.rotor.contracts.envelope.DecodedEvent;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.saga.Step;
import io.rotor.testkit.kafka.KafkaBootstrapServers;
import io.rotor.testkit.kafka.WithKafka;
import io.rotor.testkit.kubernetes.KubernetesSandboxExtension;
import io.rotor.testkit.redis.AclUser;
import io.rotor.testkit.redis.RedisServerProcess;
import io.rotor.testkit.redis.RespClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Kill the rotator (SIGKILL) while it waits out a propagation delay; start it again; the old password is revoked at
 * the right time — not before the delay counted from the event, not lost — and once. The packaged service runs as
 * its own process against a real broker, the Kubernetes sandbox and a real redis-server; time is real here, so the
 * delay is short.
 */
@WithKafka
class RotatorKilledDuringPropagationWaitIT {

    private static final String NS = "shop";
    private static final Duration DELAY = Duration.ofSeconds(15);

    @RegisterExtension
    static final KubernetesSandboxExtension K8S = KubernetesSandboxExtension.with(b -> b.namespace(NS)
            .withoutController());

    @KafkaBootstrapServers
    String bootstrapServers;

    private RedisServerProcess redis;
    private EventLog events;
    private Path log;

    @BeforeEach
    void start() throws Exception {
        // Failsafe (verify) runs this against the packaged service and names it; a surefire run picked by a -Dtest
        // pattern has no package yet, and skips it rather than failing for that.
        Assumptions.assumeTrue(System.getProperty(RotatorProcess.APP) != null,
                "runs under failsafe, against the packaged service (" + RotatorProcess.APP + " is not set)");
        redis = RedisServerProcess.builder().defaultUserPassword("admin-pw")
                .aclUser(AclUser.fullAccess("app", "old-pw")).start();
        events = new EventLog(bootstrapServers, new CloudEventCodec("/test/participants"));
        log = Files.createTempFile("redis-rotator-", ".log");
        secret("app-redis", Map.of("password", "old-pw"), "app");
        secret("redis-admin", Map.of("password", "admin-pw"), null);
    }

    @AfterEach
    void stop() {
        if (events != null) {
            events.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aRotatorKilledDuringTheWaitRevokesAfterRestartAtTheRightTimeAndOnce() {
        ManagedCredentialSpec spec = new ManagedCredentialSpec(Platform.REDIS_ACL, Strategy.DUAL_PASSWORD,
                new Endpoint(null, List.of(redis.host() + ":" + redis.port()), null, null, null),
                new Identity("app", null, null),
                List.of(new SecretTarget("app-redis", SecretFormat.KEYS, Map.of("password", "password"), null, null,
                        null, null)),
                null, null, DELAY, null, null, null, null, null,
                new RedisAclOptions(null, new SecretKeyRef("redis-admin", "password")));
        CredentialRef ref = CredentialRef.parse(NS + "/app");

        RotatorProcess first = RotatorProcess.start(properties(), Map.of(), log);
        StepCompleted updated;
        Instant restartedAt;
        try {
            events.publish(StartedRotations.started("kill-1", ref, spec));
            events.publish(RuntimeHarness.command("kill-1", ref, spec, "new-pw"));
            updated = events.await("kill-1", Step.PLATFORM_UPDATED, StepCompleted.class, Duration.ofSeconds(60));
            restartedAt = Instant.now();
            events.publish(RuntimeHarness.restarted(updated));
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> first.logContains("OLD_REVOKED after the propagation delay"));
        } finally {
            first.kill();
        }
        assertThat(auth("old-pw")).as("old password right after the kill").isTrue();

        Instant secondLaunched = Instant.now();
        try (RotatorProcess second = RotatorProcess.start(properties(), Map.of(), log)) {
            if (Instant.now().isBefore(restartedAt.plus(DELAY).minusSeconds(1))) {
                assertThat(auth("old-pw")).as("old password after the restart, before the delay is over").isTrue();
            }
            events.await("kill-1", Step.OLD_REVOKED, StepCompleted.class, Duration.ofSeconds(60));
            Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> events.all("kill-1", Step.OLD_REVOKED, StepCompleted.class).size() == 1);
        }

        DecodedEvent revoked = events.all("kill-1", Step.OLD_REVOKED, StepCompleted.class).get(0);
        // Not before the delay counted from the event; and counted from the event, not again from the restart.
        assertThat(revoked.time()).isAfterOrEqualTo(restartedAt.plus(DELAY).minusMillis(500))
                .isBefore(secondLaunched.plus(DELAY));
        assertThat(auth("old-pw")).isFalse();
        assertThat(auth("new-pw")).isTrue();
    }

    private Map<String, String> properties() {
        return Map.of(
                "kafka.bootstrap.servers", bootstrapServers,
                "quarkus.kubernetes-client.api-server-url", K8S.sandbox().apiServerUrl(),
                "quarkus.kubernetes-client.namespace", NS,
                "quarkus.kubernetes-client.trust-certs", "true",
                // The broker notices the killed consumer after this long (Kafka's default is 45 s) and only then hands
                // its partitions to the restarted one.
                "mp.messaging.incoming.rotor-events.session.timeout.ms", "6000",
                "mp.messaging.incoming.rotor-commands.session.timeout.ms", "6000",
                // The redis audience's keyring inline (on a cluster: a Secret mounted under rotor.sealing.dir), and
                // the tests' endpoint policy.
                "rotor.sealing.keys.redis", RuntimeHarness.KEYRING,
                "rotor.policy.file", Path.of("src/test/resources/endpoint-policy.yaml").toAbsolutePath().toString());
    }

    private boolean auth(String password) {
        try (RespClient client = redis.connect()) {
            return client.auth("app", password);
        }
    }

    /** @param credential the credential whose value the Secret holds (its opt-in label), or null for none */
    private void secret(String name, Map<String, String> data, String credential) {
        Map<String, String> encoded = new java.util.HashMap<>();
        data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        Map<String, String> labels = credential == null ? Map.of()
                : Map.of(ManagedCredentials.CREDENTIAL_LABEL, credential);
        K8S.client().secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(name)
                .withNamespace(NS).withLabels(labels).endMetadata().withData(encoded).build())
                .createOr(r -> r.update());
    }
}
