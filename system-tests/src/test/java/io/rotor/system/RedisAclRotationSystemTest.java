package io.rotor.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.rotor.contracts.event.Topics;
import io.rotor.testkit.redis.AclUser;
import io.rotor.testkit.redis.RedisServerProcess;
import io.rotor.testkit.redis.RespClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Redis OSS ACL user rotated end to end by the real services as separate processes: the orchestrator, the Redis
 * rotator and the secret writer / pod restarter, against a real redis-server and the Kubernetes sandbox.
 */
class RedisAclRotationSystemTest {

    static final String OLD = "Old-app-Password-0001";
    static final String ADMIN = "Admin-Password-0001";

    static RedisServerProcess redis;
    static SystemStack system;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServerProcess.builder().defaultUserPassword(ADMIN).aclUser(AclUser.fullAccess("app", OLD)).start();
        String resources = """
                apiVersion: v1
                kind: Secret
                metadata: {name: app-redis, namespace: shop}
                stringData: {password: %s}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: redis-admin, namespace: shop}
                stringData: {password: %s}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: shop-api, namespace: shop}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: shop-api}}
                  template:
                    metadata: {labels: {app: shop-api}}
                    spec:
                      containers:
                        - name: api
                          image: shop-api:1
                          env:
                            - name: REDIS_PASSWORD
                              valueFrom: {secretKeyRef: {name: app-redis, key: password}}
                ---
                apiVersion: rotor.io/v1alpha1
                kind: ManagedCredential
                metadata: {name: cache-user, namespace: shop}
                spec:
                  platform: redis-acl
                  strategy: dual-password
                  endpoint: {hosts: ["127.0.0.1:%d"]}
                  identity: {username: app}
                  secrets:
                    - {name: app-redis, format: keys, keys: {password: password}}
                  redisAcl:
                    adminUsername: default
                    adminSecretRef: {name: redis-admin, key: password}
                  propagationDelay: PT3S
                """.formatted(OLD, ADMIN, redis.port());
        List<String> namespaces = List.of("shop");
        system = SystemStack.start("redis-acl", namespaces, resources, List.of(SystemStack.orchestrator(namespaces),
                SystemStack.redisRotator(), SystemStack.secretWriter()));
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void theUsersPasswordIsRotatedEverywhereAndTheOldOneRetired() throws Exception {
        long generationBefore = deployment().getMetadata().getGeneration();

        Orchestrator.Answer answer = system.orchestrator.requestRotation("shop/cache-user", false);
        assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(202);
        String rotationId = answer.body().path("rotationId").asText();

        JsonNode done = system.orchestrator.awaitState(rotationId, Orchestrator.TERMINAL, Duration.ofMinutes(3));
        assertThat(done.path("summary").path("state").asText()).as(done.toString()).isEqualTo("COMPLETED");

        String written = secretValue("app-redis", "password");
        assertThat(written).isNotEqualTo(OLD).hasSizeGreaterThanOrEqualTo(16);
        try (RespClient fresh = redis.connect()) {
            assertThat(fresh.auth("app", written)).as("new password works").isTrue();
        }
        try (RespClient fresh = redis.connect()) {
            assertThat(fresh.auth("app", OLD)).as("old password retired").isFalse();
        }
        Deployment after = deployment();
        assertThat(after.getMetadata().getGeneration()).as("the Deployment was restarted").isGreaterThan(generationBefore);
        assertThat(after.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsKey("kubectl.kubernetes.io/restartedAt");
        assertThat(done.path("stepDurations").has("OLD_REVOKED")).as(done.toString()).isTrue();

        assertNoPlainSecretAnywhere(Set.of(written, OLD, ADMIN));
    }

    private void assertNoPlainSecretAnywhere(Set<String> secrets) throws Exception {
        for (Path log : system.stack.logs()) {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            for (String secret : secrets) {
                assertThat(text).as("log " + log.getFileName()).doesNotContain(secret);
            }
        }
        List<String> records = TopicScan.everything(system.stack.bootstrapServers(), Topics.ALL);
        assertThat(records).as("records on Rotor's topics").isNotEmpty();
        for (String record : records) {
            for (String secret : secrets) {
                assertThat(record).doesNotContain(secret);
            }
        }
    }

    private Deployment deployment() {
        return system.kube.apps().deployments().inNamespace("shop").withName("shop-api").get();
    }

    private String secretValue(String name, String key) {
        Secret s = system.kube.secrets().inNamespace("shop").withName(name).get();
        return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
    }
}
