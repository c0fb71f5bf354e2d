package io.rotor.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.envelope.CloudEventCodec;
import io.rotor.contracts.envelope.CloudEventHeaders;
import io.rotor.contracts.envelope.EncodedEvent;
import io.rotor.contracts.event.RotationStarted;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.saga.Step;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.event.StepProducer;
import io.rotor.contracts.event.Topics;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.Keyring;
import io.rotor.contracts.sealing.Sealer;
import io.rotor.contracts.sealing.SealingException;
import io.rotor.contracts.sealing.SealingKeys;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.testkit.configui.FakeConfigUiPortal;
import io.rotor.testkit.keystone.FakeKeystone;
import io.rotor.testkit.keystone.Keystone;
import io.rotor.testkit.keystone.KeystoneAdmin;
import io.rotor.testkit.keystone.KeystoneServer;
import io.rotor.testkit.kubernetes.ApiCall;
import io.rotor.testkit.kubernetes.FakeWorkloadController;
import io.rotor.testkit.kubernetes.RotorCustomResources;
import io.rotor.testkit.rec.RedisEnterpriseFake;
import io.rotor.testkit.redis.AclUser;
import io.rotor.testkit.redis.RedisServerProcess;
import io.rotor.testkit.redis.RespClient;
import io.rotor.testkit.redis.RespReply;
import io.rotor.testkit.stack.KafkaMain;
import io.rotor.testkit.stack.ServiceSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Rotor as it runs for real: every service its own JVM from its packaged jar, a KRaft broker and the Kubernetes
 * sandbox in their own processes, a real redis-server and a stand-in for the Redis Enterprise REST API (with TLS from a
 * test CA). Each scenario asserts the end state on the platform (old fails, new works), in the Secrets and in the
 * workloads; the last one scans every log and every record on Rotor's topics for any plain value the run used.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndSystemTest {

    private static final Logger LOG = Logger.getLogger(EndToEndSystemTest.class);

    static final String NS = "shop";
    static final String REDIS_ADMIN = "Admin-Password-0001";
    static final String CACHE_OLD = "Old-cache-Password-0001";
    static final String BATCH_OLD = "Old-batch-Password-0002";
    static final String REC_USER = "admin@shop.example";
    static final String REC_OLD = "Old-Rec-Passw0rd!";

    static final String NOVA_OLD = "Old-Nova-Passw0rd-0003";
    static final String OWNER_PASSWORD = "Owner-Passw0rd-0004";
    static final String INITIAL_AC_SECRET = "Initial-App-Credential-Secret-0005";
    static final String CONFIGUI_OLD = "Old-Portal-Passw0rd-0006";
    static final String MLC_SERVER_SECRET = "Server-Secret-Stays-0007";
    static final String CONFIGUI_ADMIN = "administrator";

    static RedisServerProcess redis;
    static RedisEnterpriseFake rec;
    static Keystone keystone;
    static FakeConfigUiPortal portal;
    static KeystoneCalls keystoneCalls;
    static KeystoneAdmin.TestUser nova;
    static KeystoneAdmin.TestUser owner;
    static String initialAppCredential;
    static SystemStack system;
    /** Every plain value the run handled; none may show up in a log or a record. */
    static final Set<String> SECRETS = new HashSet<>(Set.of(REDIS_ADMIN, CACHE_OLD, BATCH_OLD, REC_OLD, NOVA_OLD,
            OWNER_PASSWORD, INITIAL_AC_SECRET, CONFIGUI_OLD, MLC_SERVER_SECRET));

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServerProcess.builder().defaultUserPassword(REDIS_ADMIN)
                .aclUser(AclUser.fullAccess("cache", CACHE_OLD))
                .aclUser(AclUser.fullAccess("batch", BATCH_OLD)).start();
        rec = RedisEnterpriseFake.builder().user(REC_USER, "admin", REC_OLD).start();
        portal = FakeConfigUiPortal.start(CONFIGUI_ADMIN, CONFIGUI_OLD);
        // A real Keystone in CI (-Dsystem.keystone=real); testkit's stateful stand-in on a machine with only a JDK.
        keystone = "real".equals(System.getProperty("system.keystone")) ? KeystoneServer.builder().start()
                : FakeKeystone.builder().realTime().start();
        SECRETS.add(keystone.adminPassword());
        // The users' bearer tokens are credentials too: no log or record may carry them.
        SECRETS.add(SystemStack.OPERATOR_TOKEN);
        SECRETS.add(SystemStack.VIEWER_TOKEN);
        KeystoneAdmin admin = KeystoneAdmin.of(keystone);
        keystoneCalls = new KeystoneCalls(keystone.url());
        nova = admin.createUserWithProject("nova", NOVA_OLD);
        owner = admin.createUserWithProject("ccm", OWNER_PASSWORD);
        initialAppCredential = keystoneCalls.createApplicationCredential(owner.id(), owner.name(), OWNER_PASSWORD,
                owner.name(), "initial", INITIAL_AC_SECRET);
        Scenario s = new Scenario()
                .add(Scenario.secret(NS, "redis-admin", "password: " + REDIS_ADMIN))
                // Redis ACL: the everyday case.
                .add(Scenario.secret(NS, "cache-redis", "password: " + CACHE_OLD, "cache-user"))
                .add(Scenario.deployment(NS, "shop-api", "cache-redis", ""))
                .add(aclCredential("cache-user", "cache", "cache-redis"))
                // Redis ACL whose first restart fails: the rotation must roll back.
                .add(Scenario.secret(NS, "batch-redis", "password: " + BATCH_OLD, "batch-user"))
                .add(Scenario.deployment(NS, "batch-worker", "batch-redis",
                        FakeWorkloadController.FAIL_ROLLOUTS_ANNOTATION + ": \"1\""))
                .add(aclCredential("batch-user", "batch", "batch-redis"))
                // Redis Enterprise cluster admin over TLS.
                .add(Scenario.secret(NS, "rec", "username: " + REC_USER + "\npassword: \"" + REC_OLD + "\"",
                        "rec-admin"))
                .add(Scenario.secret(NS, "rec-api-ca", "ca.crt: |\n" + Scenario.indent(rec.certificateAuthority()
                        .certificatePem(), "  ")))
                .add("""
                        apiVersion: apps/v1
                        kind: StatefulSet
                        metadata:
                          name: rec
                          namespace: shop
                          # As the Redis Enterprise operator makes it: the cluster's nodes, which Rotor never restarts.
                          ownerReferences:
                            - {apiVersion: app.redislabs.com/v1, kind: RedisEnterpriseCluster, name: rec,
                               uid: 5a1c0d2e-0000-4000-8000-000000000001, controller: true}
                        spec:
                          replicas: 3
                          serviceName: rec
                          selector: {matchLabels: {app: rec}}
                          template:
                            metadata: {labels: {app: rec}}
                            spec:
                              containers:
                                - name: node
                                  image: redislabs/redis:7.22
                                  volumeMounts: [{name: credentials, mountPath: /opt/redislabs/credentials}]
                              volumes: [{name: credentials, secret: {secretName: rec}}]
                        """)
                .add("""
                        apiVersion: rotor.io/v1alpha1
                        kind: ManagedCredential
                        metadata: {name: rec-admin, namespace: shop}
                        spec:
                          platform: redis-enterprise
                          strategy: dual-password
                          endpoint: {url: "%s", caSecretRef: {name: rec-api-ca, key: ca.crt}}
                          identity: {username: "%s"}
                          secrets: [{name: rec, format: keys, keys: {username: username, password: password}}]
                          # The shortest a REC spec may wait before the old password goes: the cluster's own pods
                          # read the Secret on the kubelet's refresh, never restarted by Rotor.
                          propagationDelay: PT2M
                        """.formatted(rec.url(), REC_USER))
                // Keystone password (replace): a clouds.yaml with two clouds and an openrc file.
                .add(Scenario.secret(NS, "openstack-clouds", """
                        clouds.yaml: |
                          clouds:
                            production:
                              auth:
                                auth_url: %1$s
                                username: %2$s
                                password: "%3$s"
                                user_domain_name: Default
                                project_name: %2$s
                                project_domain_name: Default
                              region_name: RegionOne
                            staging:
                              auth:
                                auth_url: https://keystone.staging.example:5000/v3
                                username: %2$s
                                password: staging-stays
                        """.formatted(keystone.url(), nova.name(), NOVA_OLD), "nova"))
                .add(Scenario.secret(NS, "nova-openrc", """
                        openrc: |
                          export OS_AUTH_URL=%1$s
                          export OS_USERNAME=%2$s
                          export OS_PASSWORD='%3$s'
                          export OS_USER_DOMAIN_NAME=Default
                        """.formatted(keystone.url(), nova.name(), NOVA_OLD), "nova"))
                .add(Scenario.deployment(NS, "nova-api", "nova-openrc", ""))
                .add("""
                        apiVersion: rotor.io/v1alpha1
                        kind: ManagedCredential
                        metadata: {name: nova, namespace: shop}
                        spec:
                          platform: openstack-keystone
                          strategy: replace
                          endpoint: {url: "%s"}
                          identity: {username: %s, domain: Default}
                          secrets:
                            - {name: openstack-clouds, format: clouds-yaml, cloud: production}
                            - {name: nova-openrc, format: openrc}
                        """.formatted(keystone.url(), nova.name()))
                // Keystone application credential (new-identity), managed with the owner's password login.
                .add(Scenario.secret(NS, "cloud-config", """
                        clouds.yaml: |
                          clouds:
                            openstack:
                              auth_type: v3applicationcredential
                              auth:
                                auth_url: %s
                                application_credential_id: %s
                                application_credential_secret: "%s"
                        """.formatted(keystone.url(), initialAppCredential, INITIAL_AC_SECRET), "occm"))
                .add(Scenario.secret(NS, "keystone-owner", """
                        clouds.yaml: |
                          clouds:
                            owner:
                              auth:
                                username: %1$s
                                password: "%2$s"
                                user_domain_name: Default
                                project_name: %1$s
                                project_domain_name: Default
                        """.formatted(owner.name(), OWNER_PASSWORD)))
                .add(Scenario.deployment(NS, "cloud-controller", "cloud-config", ""))
                .add("""
                        apiVersion: rotor.io/v1alpha1
                        kind: ManagedCredential
                        metadata: {name: occm, namespace: shop}
                        spec:
                          platform: openstack-keystone
                          strategy: new-identity
                          endpoint: {url: "%s"}
                          identity: {userId: %s}
                          secrets: [{name: cloud-config, format: clouds-yaml, cloud: openstack}]
                          keystone:
                            adminSecretRef: {name: keystone-owner, key: clouds.yaml}
                            adminCloud: owner
                            applicationCredential: {namePrefix: occm}
                          propagationDelay: PT3S
                        """.formatted(keystone.url(), owner.id()))
                // The API-management Config UI admin, rotated by hand in the portal and confirmed to Rotor; the
                // recipe's login steps let the rotator prove a confirmed password before anything is written.
                .add(Scenario.secret(NS, "configui-user-secrets", ".mlc_password: \"" + CONFIGUI_OLD
                        + "\"\n.mlc_server_secret: \"" + MLC_SERVER_SECRET + "\"", "configui-admin"))
                .add(Scenario.deployment(NS, "configui-deploy", "configui-user-secrets", ""))
                .add(configUiCredential("rollout"));
        List<String> namespaces = List.of(NS);
        system = SystemStack.start("end-to-end", namespaces, s.yaml(), List.of(SystemStack.orchestrator(namespaces),
                SystemStack.redisRotator(), SystemStack.openstackRotator(Map.of()), SystemStack.configuiRotator(),
                SystemStack.secretWriter(), SystemStack.podRestarter()));
        // The services' Kafka passwords are credentials too.
        SECRETS.addAll(system.stack.kafkaPasswords());
    }

    static String aclCredential(String name, String user, String secret) {
        return """
                apiVersion: rotor.io/v1alpha1
                kind: ManagedCredential
                metadata: {name: %s, namespace: shop}
                spec:
                  platform: redis-acl
                  strategy: dual-password
                  endpoint: {hosts: ["127.0.0.1:%d"]}
                  identity: {username: %s}
                  secrets: [{name: %s, format: keys, keys: {password: password}}]
                  redisAcl: {adminUsername: default, adminSecretRef: {name: redis-admin, key: password}}
                  propagationDelay: PT3S
                """.formatted(name, redis.port(), user, secret);
    }

    static String configUiCredential(String restartStrategy) {
        return """
                apiVersion: rotor.io/v1alpha1
                kind: ManagedCredential
                metadata: {name: configui-admin, namespace: shop}
                spec:
                  platform: configui
                  strategy: manual
                  identity: {username: %1$s}
                  secrets: [{name: configui-user-secrets, format: keys, keys: {password: .mlc_password}}]
                  consumers:
                    workloads: [{kind: Deployment, name: configui-deploy}]
                    restartStrategy: %2$s
                  configUi:
                    portalUrl: "%3$s"
                    adminUser: %1$s
                    recipe:
                      login:
                        - {name: login-page, method: GET, path: /login, expectStatus: [200],
                           extract: [{name: csrf, from: body, regex: 'name="_csrf" value="([0-9a-f]+)"'}]}
                        - {name: login, method: POST, path: /login, expectStatus: [302],
                           form: {username: "{{username}}", password: "{{password}}", _csrf: "{{csrf}}"},
                           failIfBodyContains: Invalid username or password}
                      change:
                        - {name: change-page, method: GET, path: /admin/password, expectStatus: [200],
                           extract: [{name: csrf, from: body, regex: 'name="_csrf" value="([0-9a-f]+)"'}]}
                        - {name: change, method: POST, path: /admin/password, expectStatus: [200],
                           form: {currentPassword: "{{currentPassword}}", newPassword: "{{newPassword}}",
                                  _csrf: "{{csrf}}"},
                           successIfBodyContains: Password changed}
                """.formatted(CONFIGUI_ADMIN, restartStrategy, portal.url());
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
        if (rec != null) {
            rec.close();
        }
        if (portal != null) {
            portal.close();
        }
        if (keystone != null) {
            keystone.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    @Order(1)
    void aDryRunPlansTheRotationAndChangesNothing() throws Exception {
        String before = secretValue("cache-redis", "password");

        Orchestrator.Answer answer = system.orchestrator.requestRotation(NS + "/cache-user", true);

        assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(200);
        JsonNode plan = answer.body().path("plan");
        assertThat(plan.path("secrets").toString()).contains("cache-redis").contains("password");
        assertThat(plan.path("workloads").toString()).contains("shop-api");
        assertThat(plan.path("platformCalls").toString()).containsIgnoringCase("ACL SETUSER");
        assertThat(secretValue("cache-redis", "password")).isEqualTo(before);
        assertThat(redisAccepts("cache", CACHE_OLD)).isTrue();
    }

    @Test
    @Order(2)
    void aRedisAclUserIsRotatedEverywhereAndTheOldPasswordRetired() throws Exception {
        long generationBefore = deployment("shop-api").getMetadata().getGeneration();

        JsonNode done = rotate(NS + "/cache-user");

        assertThat(done.path("summary").path("state").asText()).as(done.toString()).isEqualTo("COMPLETED");
        String written = secretValue("cache-redis", "password");
        SECRETS.add(written);
        assertThat(written).isNotEqualTo(CACHE_OLD);
        assertThat(redisAccepts("cache", written)).as("new password works").isTrue();
        assertThat(redisAccepts("cache", CACHE_OLD)).as("old password retired").isFalse();
        Deployment after = deployment("shop-api");
        assertThat(after.getMetadata().getGeneration()).isGreaterThan(generationBefore);
        assertThat(after.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsKey("kubectl.kubernetes.io/restartedAt");
        assertThat(done.path("stepDurations").has("OLD_REVOKED")).as(done.toString()).isTrue();
    }

    @Test
    @Order(3)
    void aRedisEnterpriseAdminIsRotatedOverTlsWithTwoPasswordsOverlapping() throws Exception {
        JsonNode done = rotate(NS + "/rec-admin");

        assertThat(done.path("summary").path("state").asText()).as(done.toString()).isEqualTo("COMPLETED");
        String written = secretValue("rec", "password");
        SECRETS.add(written);
        assertThat(secretValue("rec", "username")).isEqualTo(REC_USER);
        assertThat(rec.accepts(REC_USER, written)).as("new password works").isTrue();
        assertThat(rec.accepts(REC_USER, REC_OLD)).as("old password removed").isFalse();
        assertThat(rec.passwordCount(REC_USER)).isEqualTo(1);
        assertThat(rec.locked(REC_USER)).isFalse();
        var nodes = system.kube.apps().statefulSets().inNamespace(NS).withName("rec").get();
        assertThat(java.util.Objects.requireNonNullElse(nodes.getSpec().getTemplate().getMetadata()
                .getAnnotations(), Map.<String, String>of())).as("the cluster's own nodes are never restarted by "
                + "Rotor").doesNotContainKey("kubectl.kubernetes.io/restartedAt");
    }

    @Test
    @Order(4)
    void aRotationWhoseRolloutFailsRollsBackToTheOldPassword() throws Exception {
        JsonNode done = rotate(NS + "/batch-user");

        assertThat(done.path("summary").path("state").asText()).as(done.toString()).isEqualTo("ROLLED_BACK");
        assertThat(secretValue("batch-redis", "password")).as("the Secret holds the old value again").isEqualTo(BATCH_OLD);
        assertThat(redisAccepts("batch", BATCH_OLD)).as("old password still works").isTrue();
        assertThat(passwordCount("batch")).as("the new password was removed from Redis").isEqualTo(1);
        assertThat(done.path("timeline").toString()).contains("RollbackRequested").contains("SECRET_RESTORED")
                .contains("WORKLOADS_RESTORED").contains("NEW_REVOKED");
    }

    @Test
    @Order(6)
    void aKeystonePasswordIsReplacedInTheCloudsYamlAndTheOpenrcFile() throws Exception {
        JsonNode done = rotate(NS + "/nova");

        assertThat(done.path("summary").path("state").asText()).as(done.toString()).isEqualTo("COMPLETED");
        String clouds = secretValue("openstack-clouds", "clouds.yaml");
        String openrc = secretValue("nova-openrc", "openrc");
        String written = openrc.replaceAll("(?s).*OS_PASSWORD='([^']*)'.*", "$1");
        SECRETS.add(written);
        assertThat(written).isNotEqualTo(NOVA_OLD).hasSizeGreaterThanOrEqualTo(16);
        assertThat(clouds).contains("password: \"" + written + "\"").contains("password: staging-stays")
                .contains("region_name: RegionOne").doesNotContain(NOVA_OLD);
        assertThat(keystoneCalls.passwordWorks(nova.name(), written)).as("new password works").isTrue();
        assertThat(keystoneCalls.passwordWorks(nova.name(), NOVA_OLD)).as("old password refused").isFalse();
        assertThat(deployment("nova-api").getSpec().getTemplate().getMetadata().getAnnotations())
                .containsKey("kubectl.kubernetes.io/restartedAt");
    }

    @Test
    @Order(8)
    void anApplicationCredentialIsReplacedByANewOneWithoutDowntimeAndTheOldOneDeleted() throws Exception {
        JsonNode done = rotate(NS + "/occm");

        assertThat(done.path("summary").path("state").asText()).as(done.toString()).isEqualTo("COMPLETED");
        String clouds = secretValue("cloud-config", "clouds.yaml");
        String id = clouds.replaceAll("(?s).*application_credential_id: \"?([0-9a-f]+)\"?.*", "$1");
        String secret = clouds.replaceAll("(?s).*application_credential_secret: \"?([^\"\n]+)\"?.*", "$1");
        SECRETS.add(secret);
        assertThat(id).isNotEqualTo(initialAppCredential);
        assertThat(keystoneCalls.applicationCredentialWorks(id, secret)).as("new credential works").isTrue();
        assertThat(keystoneCalls.applicationCredentialWorks(initialAppCredential, INITIAL_AC_SECRET))
                .as("old credential deleted").isFalse();
        assertThat(done.path("stepDurations").has("OLD_REVOKED")).as(done.toString()).isTrue();
    }

    @Test
    @Order(5)
    void aRotationRequestedFromTheDashboardReachesCompletedOnScreen() throws Exception {
        ChromeDriver browser = Browser.start();
        try {
            // Signed in as a Kubernetes user the API server knows, bound as rotor-operator in the namespace.
            browser.get("http://127.0.0.1:" + SystemStack.ORCHESTRATOR_PORT + "/#token=" + SystemStack.OPERATOR_TOKEN);
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
            By row = By.cssSelector("#credentials tr[data-credential='shop/cache-user']");
            wait.until(ExpectedConditions.presenceOfElementLocated(row));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("live"), "live"));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), SystemStack.OPERATOR));

            browser.findElement(row).findElement(By.cssSelector("button.rotate")).click();

            wait.until(ExpectedConditions.textMatches(By.id("message"), Pattern.compile("STARTED: rotation \\w+")));
            String shortId = browser.findElement(By.id("message")).getText().replaceAll(".*rotation (\\w+).*", "$1");
            By recent = By.cssSelector("#recent tr[data-rotation^='" + shortId + "'] td.state");
            new WebDriverWait(browser, Duration.ofMinutes(3)).until(
                    ExpectedConditions.textToBePresentInElementLocated(recent, "COMPLETED"));
            // The summary row and the event list are fed by different SSE messages: either may be drawn first.
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("events"), "RotationCompleted"));

            Path shots = Path.of(System.getProperty("rotor.screenshots", "target/screenshots"));
            Files.createDirectories(shots);
            Files.write(shots.resolve("dashboard-rotation-completed.png"), browser.getScreenshotAs(OutputType.BYTES));
            SECRETS.add(secretValue("cache-redis", "password"));

            // The same page for someone bound only as rotor-viewer: the credential is there, its buttons are not
            // usable.
            browser.get("http://127.0.0.1:" + SystemStack.ORCHESTRATOR_PORT + "/#token=" + SystemStack.VIEWER_TOKEN);
            browser.navigate().refresh();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), SystemStack.VIEWER));
            wait.until(ExpectedConditions.presenceOfElementLocated(row));
            assertThat(browser.findElement(row).findElement(By.cssSelector("button.rotate")).isEnabled())
                    .as("Rotate for a viewer").isFalse();
            assertThat(browser.findElement(row).findElement(By.cssSelector("button.dry-run")).isEnabled())
                    .as("Dry run for a viewer").isFalse();
        } finally {
            browser.quit();
        }
    }

    @Test
    @Order(7)
    void aManualConfigUiRotationWaitsForItsOperatorRefusesAMistypedPasswordAndRollsOutTheConfirmedOne()
            throws Exception {
        String rotationId = requestAndAwaitOperator();
        JsonNode waiting = system.orchestrator.rotation(rotationId);
        assertThat(waiting.path("summary").path("operator").path("instructions").toString())
                .as(waiting.toString()).contains(portal.url().toString()).contains(CONFIGUI_ADMIN)
                .contains("configui-user-secrets");
        long generationBefore = deployment("configui-deploy").getMetadata().getGeneration();

        assertThat(system.orchestrator.confirmWithToken(rotationId, "Whatever-0008", "not-the-token").status())
                .isEqualTo(401);
        // Someone bound only as rotor-viewer sees the rotation and may not confirm it.
        assertThat(system.orchestrator.confirmWithToken(rotationId, "Whatever-0008", SystemStack.VIEWER_TOKEN)
                .status()).isEqualTo(403);
        // The operator changes the password in the Admin view, then mistypes it in the confirmation.
        String confirmed = "New-Portal-Passw0rd-0009";
        SECRETS.add(confirmed);
        SECRETS.add("Mistyped-Passw0rd-0010");
        portal.changePasswordInAdminView(confirmed);
        assertThat(system.orchestrator.confirm(rotationId, "Mistyped-Passw0rd-0010").status()).isEqualTo(202);
        JsonNode refused = awaitWaitingAgain(rotationId);
        assertThat(refused.path("lastError").asText()).as(refused.toString()).contains("does not log in");
        assertThat(secretValue("configui-user-secrets", ".mlc_password")).as("nothing written")
                .isEqualTo(CONFIGUI_OLD);

        assertThat(system.orchestrator.confirm(rotationId, confirmed).status()).isEqualTo(202);
        JsonNode done = system.orchestrator.awaitState(rotationId, Orchestrator.TERMINAL, Duration.ofMinutes(3));

        assertConfigUiRotated(done, confirmed);
        assertThat(done.path("timeline").toString()).as("the authenticated user, not the body's confirmedBy")
                .contains("confirmed by " + SystemStack.OPERATOR).doesNotContain("user:operator");
        assertThat(done.path("summary").path("requestedBy").asText()).isEqualTo(SystemStack.OPERATOR);
        Deployment after = deployment("configui-deploy");
        assertThat(after.getMetadata().getGeneration()).isGreaterThan(generationBefore);
        assertThat(after.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsKey("kubectl.kubernetes.io/restartedAt");
        assertThat(system.orchestrator.confirm(rotationId, confirmed).status()).as("confirming an ended rotation")
                .isEqualTo(409);
    }

    @Test
    @Order(9)
    void deletePodsReplacesEveryConfigUiPodWithoutTouchingTheDeployment() throws Exception {
        changeConfigUiRestartStrategy("delete-pods");
        Set<String> podsBefore = podNames("configui-deploy");
        long generationBefore = deployment("configui-deploy").getMetadata().getGeneration();

        String confirmed = confirmManualRotation("Delete-Pods-Passw0rd-0011");

        assertThat(podNames("configui-deploy")).hasSize(2).doesNotContainAnyElementsOf(podsBefore);
        assertThat(deployment("configui-deploy").getMetadata().getGeneration()).as("template untouched")
                .isEqualTo(generationBefore);
        assertThat(portal.passwordIs(confirmed)).isTrue();
    }

    @Test
    @Order(10)
    void scaleToZeroStopsEveryConfigUiPodThenReturnsToTwoReplicas() throws Exception {
        changeConfigUiRestartStrategy("scale-to-zero");
        Set<String> podsBefore = podNames("configui-deploy");
        long generationBefore = deployment("configui-deploy").getMetadata().getGeneration();

        confirmManualRotation("Scale-To-Zero-Passw0rd-0012");

        Deployment after = deployment("configui-deploy");
        assertThat(after.getSpec().getReplicas()).isEqualTo(2);
        assertThat(after.getStatus().getReadyReplicas()).isEqualTo(2);
        // Down to zero and back up: two changes of spec.replicas.
        assertThat(after.getMetadata().getGeneration()).isEqualTo(generationBefore + 2);
        assertThat(podNames("configui-deploy")).hasSize(2).doesNotContainAnyElementsOf(podsBefore);
    }

    @Test
    @Order(11)
    void aCancelledManualRotationChangesNothing() throws Exception {
        String before = secretValue("configui-user-secrets", ".mlc_password");
        String rotationId = requestAndAwaitOperator();

        Orchestrator.Answer cancelled = system.orchestrator.cancel(rotationId);

        assertThat(cancelled.status()).as(String.valueOf(cancelled.body())).isEqualTo(200);
        JsonNode done = system.orchestrator.awaitState(rotationId, Orchestrator.TERMINAL, Duration.ofMinutes(1));
        assertThat(done.path("summary").path("state").asText()).isEqualTo("CANCELLED");
        assertThat(secretValue("configui-user-secrets", ".mlc_password")).isEqualTo(before);
        assertThat(system.orchestrator.cancel(rotationId).status()).as("cancelling twice").isEqualTo(409);
    }

    private String requestAndAwaitOperator() throws Exception {
        Orchestrator.Answer answer = system.orchestrator.requestRotation(NS + "/configui-admin", false);
        assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(202);
        String rotationId = answer.body().path("rotationId").asText();
        system.orchestrator.awaitState(rotationId, Set.of("AWAITING_OPERATOR"), Duration.ofMinutes(1));
        return rotationId;
    }

    /** The rotation back in AWAITING_OPERATOR after a refused confirmation (its summary says unconfirmed). */
    private JsonNode awaitWaitingAgain(String rotationId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = system.orchestrator.rotation(rotationId);
            JsonNode summary = last.path("summary");
            if ("AWAITING_OPERATOR".equals(summary.path("state").asText()) && !last.path("lastError").isMissingNode()
                    && !last.path("lastError").isNull() && !summary.path("operator").path("confirmed").asBoolean()) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("rotation " + rotationId + " did not wait for its operator again: " + last);
    }

    private String confirmManualRotation(String password) throws Exception {
        SECRETS.add(password);
        String rotationId = requestAndAwaitOperator();
        portal.changePasswordInAdminView(password);
        assertThat(system.orchestrator.confirm(rotationId, password).status()).isEqualTo(202);
        assertConfigUiRotated(system.orchestrator.awaitState(rotationId, Orchestrator.TERMINAL,
                Duration.ofMinutes(3)), password);
        return password;
    }

    private void assertConfigUiRotated(JsonNode done, String confirmed) throws Exception {
        assertThat(done.path("summary").path("state").asText()).as(done.toString()).isEqualTo("COMPLETED");
        assertThat(secretValue("configui-user-secrets", ".mlc_password")).isEqualTo(confirmed);
        assertThat(secretValue("configui-user-secrets", ".mlc_server_secret")).isEqualTo(MLC_SERVER_SECRET);
        assertThat(done.path("stepDurations").has("WORKLOADS_RESTARTED")).as(done.toString()).isTrue();
        Deployment now = deployment("configui-deploy");
        assertThat(now.getStatus().getReadyReplicas()).isEqualTo(2);
    }

    /** As a user would edit the ManagedCredential; the orchestrator's informer sees the change. */
    private void changeConfigUiRestartStrategy(String restartStrategy) throws Exception {
        var credentials = system.kube.genericKubernetesResources("rotor.io/v1alpha1", "ManagedCredential")
                .inNamespace(NS);
        GenericKubernetesResource edited = Serialization.unmarshal(configUiCredential(restartStrategy),
                GenericKubernetesResource.class);
        edited.getMetadata().setResourceVersion(credentials.withName("configui-admin").get().getMetadata()
                .getResourceVersion());
        credentials.resource(edited).update();
        // The orchestrator reads the spec when a rotation starts: wait until a dry run plans with the edit.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String planned = null;
        while (!restartStrategy.equals(planned) && System.nanoTime() < deadline) {
            Orchestrator.Answer plan = system.orchestrator.requestRotation(NS + "/configui-admin", true);
            planned = plan.body() == null ? null : plan.body().path("plan").path("restartStrategy").asText();
            Thread.sleep(200);
        }
        assertThat(planned).as("the orchestrator's view of the edited credential").isEqualTo(restartStrategy);
    }

    private Set<String> podNames(String app) {
        return system.kube.pods().inNamespace(NS).withLabel("app", app).list().getItems().stream()
                .map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
    }

    /**
     * Least privilege, checked against behaviour: every API call a service made in these scenarios is allowed by its
     * ClusterRole in deploy/, and every permission a role grants beyond what the scenarios exercised is listed here
     * with the reason it is needed.
     */
    /**
     * An adversary with a copy of the log: every command and step of the cache-user rotations written again byte for
     * byte after they ended (which once put a retired password back), and the same records forged for a rotation
     * nobody started. Nothing changes on Redis, in the Secret or the Deployment, and each refusal is on rotor.dlq
     * naming the topic and the service that refused it.
     */
    @Test
    @Order(12)
    void replayedAndForgedCommandsAndStepsChangeNothingAndAreRefusedVisibly() throws Exception {
        RecordReplay adversary = new RecordReplay(system.stack);
        String key = NS + "/cache-user";
        List<ConsumerRecord<byte[], byte[]>> rotations = adversary.read(List.of(
                        Topics.commandsFor(Platform.REDIS_ACL), StepProducer.REDIS.topic(),
                        StepProducer.SECRET_WRITER.topic(), StepProducer.POD_RESTARTER.topic())).stream()
                .filter(r -> r.key() != null && key.equals(new String(r.key(), StandardCharsets.UTF_8))).toList();
        assertThat(rotations).as("the cache-user rotations' commands and steps").hasSizeGreaterThanOrEqualTo(5);
        Set<String> replayedIds = rotations.stream()
                .map(r -> RecordReplay.header(r, CloudEventHeaders.ROTATION_ID)).collect(Collectors.toSet());
        String forgedId = "forged-" + UUID.randomUUID();
        List<ConsumerRecord<byte[], byte[]>> forged = rotations.stream().map(r -> forge(r, forgedId)).toList();
        String current = secretValue("cache-redis", "password");
        String version = system.kube.secrets().inNamespace(NS).withName("cache-redis").get().getMetadata()
                .getResourceVersion();
        long generation = deployment("shop-api").getMetadata().getGeneration();

        adversary.replay(rotations);
        adversary.replay(forged);

        for (String rotationId : List.of(forgedId, replayedIds.iterator().next())) {
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(adversary.refusals(rotationId))
                    .as("refusals of %s", rotationId)
                    .anyMatch(r -> r.equals("NOT_CURRENT from rotor.commands.redis by rotor-redis-rotator"))
                    .anyMatch(r -> r.startsWith("NOT_CURRENT from rotor.steps.redis by "))
                    .anyMatch(r -> r.startsWith("NOT_CURRENT from rotor.steps.secret-writer by "))
                    .anyMatch(r -> r.equals("NOT_CURRENT from rotor.steps.pod-restarter by rotor-redis-rotator")));
        }
        assertThat(secretValue("cache-redis", "password")).isEqualTo(current);
        assertThat(system.kube.secrets().inNamespace(NS).withName("cache-redis").get().getMetadata()
                .getResourceVersion()).as("the Secret was not written").isEqualTo(version);
        assertThat(redisAccepts("cache", current)).as("the current password still works").isTrue();
        assertThat(passwordCount("cache")).as("no second password came back").isEqualTo(1);
        assertThat(redisAccepts("cache", CACHE_OLD)).as("the retired password stays retired").isFalse();
        assertThat(deployment("shop-api").getMetadata().getGeneration()).as("no restart").isEqualTo(generation);
    }

    /**
     * A ManagedCredential's author names an endpoint on a host the cluster's policy does not list: the credential is
     * invalid, a request for it is rejected with the policy as the reason, and nothing is sent anywhere.
     */
    @Test
    @Order(13)
    void aManagedCredentialNamingAHostOutsideTheEndpointPolicyIsRejectedWithTheReason() throws Exception {
        system.kube.resource(Serialization.unmarshal("""
                apiVersion: rotor.io/v1alpha1
                kind: ManagedCredential
                metadata: {name: elsewhere, namespace: shop}
                spec:
                  platform: redis-acl
                  strategy: dual-password
                  endpoint: {hosts: ["redis.attacker.example:6379"]}
                  identity: {username: cache}
                  secrets: [{name: cache-redis, format: keys, keys: {password: password}}]
                  redisAcl: {adminUsername: default, adminSecretRef: {name: redis-admin, key: password}}
                """, GenericKubernetesResource.class)).create();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Orchestrator.Answer answer = system.orchestrator.requestRotation(NS + "/elsewhere", false);
            assertThat(answer.status()).as(String.valueOf(answer.body())).isNotEqualTo(202);
            assertThat(answer.body().toString()).contains("policy").contains("redis.attacker.example");
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            GenericKubernetesResource stored = system.kube.genericKubernetesResources(
                    RotorCustomResources.managedCredentialContext()).inNamespace(NS).withName("elsewhere").get();
            assertThat(String.valueOf(stored.getAdditionalProperties().get("status"))).as("its status says why")
                    .contains("phase=Invalid").contains("redis.attacker.example").contains("endpoint policy");
        });
    }

    /** Rotor's own namespace holds its keyrings and Kafka users: a ManagedCredential there is never acted on. */
    @Test
    @Order(14)
    void aManagedCredentialInRotorsOwnNamespaceIsNeverWatched() throws Exception {
        system.kube.resource(Serialization.unmarshal("""
                apiVersion: rotor.io/v1alpha1
                kind: ManagedCredential
                metadata: {name: inside, namespace: rotor}
                spec:
                  platform: redis-acl
                  strategy: dual-password
                  endpoint: {hosts: ["127.0.0.1:6379"]}
                  identity: {username: cache}
                  secrets: [{name: rotor-sealing-redis, format: keys, keys: {password: password}}]
                """, GenericKubernetesResource.class)).create();

        Orchestrator.Answer answer = system.orchestrator.requestRotation("rotor/inside", false);

        assertThat(answer.status()).as(String.valueOf(answer.body())).isNotEqualTo(202);
        assertThat(answer.body().toString()).contains("not watched");
    }

    /**
     * Two thousand generated bad records on every topic a service reads (requests, commands, outcomes, every steps
     * topic), through the real broker into the five running services: random bytes, JSON that is not an object,
     * truncated and deeply nested bodies, unknown types, and real records of this run moved to a topic whose producer
     * may not write them. Afterwards every service is live, every consumer group has caught up (no lag left behind),
     * and a rotation completes.
     */
    @Test
    @Order(15)
    void noBadRecordOnAnyTopicStopsAServiceAndARotationStillCompletes() throws Exception {
        RecordReplay adversary = new RecordReplay(system.stack);
        List<String> topics = new ArrayList<>(List.of(Topics.REQUESTS, Topics.EVENTS));
        topics.addAll(Arrays.stream(Platform.values()).map(Topics::commandsFor).distinct().toList());
        topics.addAll(StepProducer.topics());
        List<ConsumerRecord<byte[], byte[]>> genuine = adversary.read(topics);
        long seed = Long.getLong("rotor.fuzz.seed", System.nanoTime());
        Random random = new Random(seed);
        List<ConsumerRecord<byte[], byte[]>> poison = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            String topic = topics.get(random.nextInt(topics.size()));
            ConsumerRecord<byte[], byte[]> model = genuine.get(random.nextInt(genuine.size()));
            byte[] value = switch (random.nextInt(6)) {
                case 0 -> {
                    byte[] b = new byte[random.nextInt(2048)];
                    random.nextBytes(b);
                    yield b;
                }
                case 1 -> "null".getBytes(StandardCharsets.UTF_8);
                case 2 -> ("[".repeat(3000) + "]".repeat(3000)).getBytes(StandardCharsets.UTF_8);
                case 3 -> java.util.Arrays.copyOf(model.value(), random.nextInt(Math.max(1, model.value().length)));
                default -> model.value();
            };
            RecordHeaders headers = new RecordHeaders(model.headers().toArray());
            if (random.nextInt(6) == 0) {
                headers.remove(CloudEventHeaders.TYPE);
                headers.add(CloudEventHeaders.TYPE, "io.rotor.unknown.v9".getBytes(StandardCharsets.UTF_8));
            }
            poison.add(new ConsumerRecord<>(topic, 0, 0, model.key(), value));
            poison.set(poison.size() - 1, withHeaders(poison.get(poison.size() - 1), headers));
        }
        LOG.infof("fuzz: %d bad records on %d topics, seed %d", poison.size(), topics.size(), seed);
        long start = System.nanoTime();

        adversary.replay(poison);

        JsonNode done = rotate(NS + "/cache-user");
        assertThat(done.path("summary").path("state").asText()).as(done.toString()).isEqualTo("COMPLETED");
        SECRETS.add(secretValue("cache-redis", "password"));
        LOG.infof("fuzz: a rotation completed %d ms after the first bad record",
                (System.nanoTime() - start) / 1_000_000);
        for (int port : List.of(SystemStack.ORCHESTRATOR_MANAGEMENT_PORT, 18081, 18082, 18083, 18084, 18085)) {
            HttpResponse<String> live = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/q/health/live")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(live.statusCode()).as("liveness on port %d: %s", port, live.body()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(lag()).as("consumer lag by group")
                .allSatisfy((group, lag) -> assertThat(lag).as(group).isZero()));
    }

    private static ConsumerRecord<byte[], byte[]> withHeaders(ConsumerRecord<byte[], byte[]> r, RecordHeaders h) {
        return new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(), r.timestampType(),
                r.serializedKeySize(), r.serializedValueSize(), r.key(), r.value(), h, Optional.empty());
    }

    /** What each of Rotor's committing consumer groups has not yet committed, summed over its partitions. */
    private static Map<String, Long> lag() throws Exception {
        Map<String, Object> p = system.stack.kafkaClientConfig(KafkaMain.SUPER_USER);
        Map<String, Long> lag = new TreeMap<>();
        try (Admin admin = Admin.create(p)) {
            for (var group : admin.listConsumerGroups().all().get()) {
                String id = group.groupId();
                if (!id.startsWith("rotor-") || id.startsWith("rotor-orchestrator-view-")) {
                    continue;
                }
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(id)
                        .partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                var ends = admin.listOffsets(latest).all().get();
                long behind = 0;
                for (var e : committed.entrySet()) {
                    if (e.getValue() != null) {
                        behind += ends.get(e.getKey()).offset() - e.getValue().offset();
                    }
                }
                lag.put(id, behind);
            }
        }
        assertThat(lag).as("Rotor's consumer groups").isNotEmpty();
        return lag;
    }

    /** The same record with another rotation id (in its data and its headers): a step nobody started. */
    private static ConsumerRecord<byte[], byte[]> forge(ConsumerRecord<byte[], byte[]> r, String rotationId) {
        String original = RecordReplay.header(r, CloudEventHeaders.ROTATION_ID);
        RecordHeaders headers = new RecordHeaders();
        r.headers().forEach(h -> headers.add(h.key(), CloudEventHeaders.ROTATION_ID.equals(h.key())
                ? rotationId.getBytes(StandardCharsets.UTF_8) : h.value()));
        byte[] value = RecordReplay.text(r).replace(original, rotationId).getBytes(StandardCharsets.UTF_8);
        return new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(), r.timestampType(),
                r.serializedKeySize(), value.length, r.key(), value, headers, Optional.empty());
    }

    /**
     * Each service's own Kafka credentials, checked by the running stack's broker with deploy's users and ACLs: a
     * service taken over is refused every topic but its own, and a step it does not produce, written to its own topic,
     * is refused by every reader and changes nothing.
     */
    @Test
    @Order(16)
    void aServiceTakenOverWritesOnlyItsOwnTopicAndNobodyActsOnAStepItMayNotProduce() throws Exception {
        RecordReplay adversary = new RecordReplay(system.stack);
        Map<String, List<String>> refused = new TreeMap<>();
        Map<String, List<String>> attempted = new TreeMap<>();
        List<String> users = new ArrayList<>(RecordReplay.STEP_WRITERS.values());
        users.add("orchestrator");
        for (String user : users) {
            List<ConsumerRecord<byte[], byte[]>> elsewhere = Topics.ALL.stream()
                    .filter(t -> !t.equals(Topics.DLQ) && !RecordReplay.writerOf(t).equals(user))
                    .map(t -> new ConsumerRecord<byte[], byte[]>(t, 0, 0, "shop/cache-user".getBytes(
                            StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8)))
                    .toList();
            attempted.put(user, elsewhere.stream().map(ConsumerRecord::topic).toList());
            refused.put(user, adversary.replayAs(user, elsewhere));
        }
        assertThat(refused).as("topics refused to each service's credentials").isEqualTo(attempted);
        assertThat(attempted.get("redis-rotator")).contains(Topics.EVENTS, StepProducer.SECRET_WRITER.topic(),
                Topics.STATE);

        // The original forgeries: a SECRET_WRITTEN (which would have the restarter roll workloads) and a
        // WORKLOADS_RESTARTED, each written by a rotator to the one topic it may write.
        List<ConsumerRecord<byte[], byte[]>> written = adversary.read(List.of(StepProducer.SECRET_WRITER.topic(),
                        StepProducer.POD_RESTARTER.topic())).stream()
                .filter(r -> r.key() != null && (NS + "/cache-user").equals(new String(r.key(), StandardCharsets.UTF_8)))
                .filter(r -> RecordReplay.text(r).startsWith("{")).toList();
        ConsumerRecord<byte[], byte[]> secretWritten = written.stream()
                .filter(r -> r.topic().equals(StepProducer.SECRET_WRITER.topic())).reduce((a, b) -> b).orElseThrow();
        ConsumerRecord<byte[], byte[]> restarted = written.stream()
                .filter(r -> r.topic().equals(StepProducer.POD_RESTARTER.topic())).reduce((a, b) -> b).orElseThrow();
        String version = system.kube.secrets().inNamespace(NS).withName("cache-redis").get().getMetadata()
                .getResourceVersion();
        long generation = deployment("shop-api").getMetadata().getGeneration();

        assertThat(adversary.replayAs("redis-rotator", List.of(moved(secretWritten, StepProducer.REDIS.topic()))))
                .isEmpty();
        assertThat(adversary.replayAs("configui-rotator", List.of(moved(restarted,
                StepProducer.CONFIGUI.topic())))).isEmpty();

        String secretWrittenId = RecordReplay.header(secretWritten, CloudEventHeaders.ROTATION_ID);
        String restartedId = RecordReplay.header(restarted, CloudEventHeaders.ROTATION_ID);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(adversary.refusals(secretWrittenId)).as("refusals of the moved SECRET_WRITTEN")
                    .anyMatch(r -> r.equals("WRONG_TOPIC from rotor.steps.redis by orchestrator"));
            assertThat(adversary.refusals(restartedId)).as("refusals of the moved WORKLOADS_RESTARTED")
                    .anyMatch(r -> r.equals("WRONG_TOPIC from rotor.steps.configui by orchestrator"));
        });
        assertThat(deployment("shop-api").getMetadata().getGeneration()).as("no restart").isEqualTo(generation);
        assertThat(system.kube.secrets().inNamespace(NS).withName("cache-redis").get().getMetadata()
                .getResourceVersion()).as("the Secret was not written").isEqualTo(version);
    }

    private static ConsumerRecord<byte[], byte[]> moved(ConsumerRecord<byte[], byte[]> r, String topic) {
        return new ConsumerRecord<>(topic, r.partition(), r.offset(), r.timestamp(), r.timestampType(),
                r.serializedKeySize(), r.serializedValueSize(), r.key(), r.value(), r.headers(), Optional.empty());
    }

    /**
     * The keyrings each rotator holds are the ones its Deployment mounts (its own platform's, nothing for the pod
     * restarter). With them, every new value the run sealed on the rotators' steps topics is opened the way a rotator
     * taken over would try: with its own key as the value's audience, and as its own audience. Only its own
     * platform's values open.
     */
    @Test
    @Order(17)
    void aRotatorTakenOverCannotOpenAnotherPlatformsValues() throws Exception {
        List<ServiceSpec> rotators = List.of(SystemStack.redisRotator(), SystemStack.openstackRotator(Map.of()),
                SystemStack.configuiRotator());
        for (ServiceSpec rotator : rotators) {
            try (Stream<Path> dirs = Files.list(system.stack.sealingDir(rotator))) {
                assertThat(dirs.map(d -> d.getFileName().toString()).toList()).as(rotator.name() + "'s keyrings")
                        .containsExactlyElementsOf(rotator.keyrings());
            }
        }
        assertThat(system.stack.sealingDir(SystemStack.podRestarter())).as("the restarter holds no keyring")
                .doesNotExist();
        CloudEventCodec codec = new CloudEventCodec("/system-test");
        List<StepCompleted> sealed = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : new RecordReplay(system.stack).read(List.of(
                StepProducer.REDIS.topic(), StepProducer.OPENSTACK.topic(), StepProducer.CONFIGUI.topic()))) {
            Map<String, byte[]> headers = new HashMap<>();
            r.headers().forEach(h -> headers.put(h.key(), h.value()));
            try {
                if (codec.decode(r.topic(), r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                        headers, r.value()).event() instanceof StepCompleted c && !c.material().isEmpty()) {
                    sealed.add(c);
                }
            } catch (RuntimeException poison) {
                // The fuzz test's records: not values anyone sealed.
            }
        }
        Map<String, Integer> opened = new TreeMap<>();
        List<String> breaches = new ArrayList<>();
        for (ServiceSpec rotator : rotators) {
            String own = rotator.keyrings().iterator().next();
            Keyring keyring = SealingKeys.fromDirectory(system.stack.sealingDir(rotator), rotator.keyrings())
                    .sealerFor(own).keyring();
            for (StepCompleted step : sealed) {
                String audience = SealingKeys.audienceOf(step.spec().platform());
                for (Sealer attempt : List.of(new Sealer(audience, keyring), new Sealer(own, keyring))) {
                    try {
                        CredentialMaterial.open(attempt, step.material(), step.rotationId(), step.credential(),
                                CredentialMaterial.Purpose.NEW);
                        if (audience.equals(own)) {
                            opened.merge(rotator.name(), 1, Integer::sum);
                        } else {
                            breaches.add(rotator.name() + " opened " + step.rotationId() + " of " + audience);
                        }
                    } catch (SealingException expected) {
                        // what a foreign value must do
                    }
                }
            }
        }
        assertThat(breaches).isEmpty();
        assertThat(opened).as("each rotator opens its own platform's values (the check can fail)")
                .containsOnlyKeys("redis-rotator", "openstack-rotator", "configui-rotator");
    }

    /**
     * A rotator taken over (the Config UI one, whose manual rotation waits for its operator, so it is in flight)
     * reports PLATFORM_UPDATED with a value it sealed itself and a spec that adds a Vault target on a host it listens
     * on and another credential's workload. The writer takes targets only from the ManagedCredential in the
     * Kubernetes API at the rotation's start: nothing reaches the listener, no Secret changes, no workload restarts.
     */
    @Test
    @Order(18)
    void aForgedStepNamingAnotherVaultAndWorkloadSendsNothingAndRestartsNothing() throws Exception {
        AtomicInteger vaultRequests = new AtomicInteger();
        HttpServer vault = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        vault.createContext("/", exchange -> {
            vaultRequests.incrementAndGet();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        vault.start();
        try {
            String before = secretValue("configui-user-secrets", ".mlc_password");
            long shopApi = deployment("shop-api").getMetadata().getGeneration();
            long configUi = deployment("configui-deploy").getMetadata().getGeneration();
            String rotationId = requestAndAwaitOperator();
            RecordReplay adversary = new RecordReplay(system.stack);
            CloudEventCodec codec = new CloudEventCodec("/rotor/rotor-configui-rotator");
            RotationStarted started = adversary.read(List.of(Topics.EVENTS)).stream()
                    .filter(r -> rotationId.equals(RecordReplay.header(r, CloudEventHeaders.ROTATION_ID)))
                    .map(r -> decode(codec, r)).filter(RotationStarted.class::isInstance)
                    .map(RotationStarted.class::cast).findFirst().orElseThrow();
            ObjectNode spec = codec.mapper().valueToTree(started.spec());
            spec.putObject("vault").put("address", "http://127.0.0.1:" + vault.getAddress().getPort())
                    .put("path", "secret/data/stolen").putObject("tokenSecretRef").put("name", "redis-admin")
                    .put("key", "password");
            spec.putObject("consumers").putArray("workloads").addObject().put("kind", "Deployment")
                    .put("name", "shop-api");
            ManagedCredentialSpec forged = codec.mapper().treeToValue(spec, ManagedCredentialSpec.class);
            String forgedPassword = "Forged-Portal-Passw0rd-0009";
            SECRETS.add(forgedPassword);
            Sealer configUiKey = SealingKeys.fromDirectory(system.stack.sealingDir(SystemStack.configuiRotator()),
                    Set.of("configui")).sealerFor("configui");
            StepCompleted step = new StepCompleted(rotationId, started.credential(), Step.PLATFORM_UPDATED, forged,
                    CredentialMaterial.password(SecretValue.of(forgedPassword)).seal(configUiKey, rotationId,
                            started.credential(), CredentialMaterial.Purpose.NEW),
                    Map.of(), Map.of(), Duration.ofSeconds(1));
            EncodedEvent encoded = codec.encode(step);
            RecordHeaders headers = new RecordHeaders();
            encoded.headers().forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));

            assertThat(adversary.replayAs("configui-rotator", List.of(new ConsumerRecord<>(encoded.topic(), 0, 0,
                    0L, TimestampType.CREATE_TIME, 0, 0, encoded.key().getBytes(StandardCharsets.UTF_8),
                    encoded.data(), headers, Optional.empty())))).isEmpty();

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(adversary.refusals(rotationId))
                    .as("refusals of the forged step")
                    .anyMatch(r -> r.equals("SPEC_MISMATCH from rotor.steps.configui by orchestrator"))
                    .anyMatch(r -> r.equals("SPEC_MISMATCH from rotor.steps.configui by rotor-k8s-secret-writer")));
            assertThat(system.orchestrator.rotation(rotationId).path("summary").path("state").asText())
                    .as("the saga did not move").isEqualTo("AWAITING_OPERATOR");
            assertThat(system.orchestrator.cancel(rotationId).status()).isEqualTo(200);
            system.orchestrator.awaitState(rotationId, Orchestrator.TERMINAL, Duration.ofMinutes(1));
            assertThat(vaultRequests).as("requests that reached the forged Vault").hasValue(0);
            assertThat(secretValue("configui-user-secrets", ".mlc_password")).isEqualTo(before);
            assertThat(deployment("shop-api").getMetadata().getGeneration()).isEqualTo(shopApi);
            assertThat(deployment("configui-deploy").getMetadata().getGeneration()).isEqualTo(configUi);
        } finally {
            vault.stop(0);
        }
    }

    /**
     * Bad records in {@code rotor.state} (written with the orchestrator's credentials, the only ones allowed there):
     * generated ones under made-up keys and credentials, and the latest record of {@code batch-user}. After a restart
     * the orchestrator is ready, a rotation of another credential completes, and {@code batch-user} is set aside —
     * its state may hold a rotation in flight — with a request for it rejected and the record on the DLQ, each
     * saying why.
     */
    @Test
    @Order(19)
    void unreadableSagaStateSetsOnlyItsCredentialAsideAfterARestart() throws Exception {
        RecordReplay adversary = new RecordReplay(system.stack);
        Random random = new Random(Long.getLong("rotor.fuzz.seed", System.nanoTime()));
        List<ConsumerRecord<byte[], byte[]>> poison = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String key = switch (random.nextInt(3)) {
                case 0 -> NS + "/ghost-" + random.nextInt(50);
                case 1 -> "no credential " + i;
                default -> NS + "/batch-user";
            };
            byte[] value = switch (random.nextInt(4)) {
                case 0 -> "null".getBytes(StandardCharsets.UTF_8);
                case 1 -> ("[".repeat(3000) + "]".repeat(3000)).getBytes(StandardCharsets.UTF_8);
                case 2 -> "{\"schema\":1,\"credential\":\"shop/cache-user\",\"partition\":7}"
                        .getBytes(StandardCharsets.UTF_8);
                default -> {
                    byte[] b = new byte[random.nextInt(512)];
                    random.nextBytes(b);
                    yield b;
                }
            };
            poison.add(new ConsumerRecord<>(Topics.STATE, 0, 0, key.getBytes(StandardCharsets.UTF_8), value));
        }
        // Whatever the generator chose last for batch-user, its latest record is unreadable.
        poison.add(new ConsumerRecord<>(Topics.STATE, 0, 0, (NS + "/batch-user").getBytes(StandardCharsets.UTF_8),
                "{}".getBytes(StandardCharsets.UTF_8)));
        // Keyed like every writer of rotor.state: the producer's default partitioner puts each on its key's partition.
        assertThat(adversary.replayAs("orchestrator", poison)).isEmpty();

        ServiceSpec orchestrator = SystemStack.orchestrator(List.of(NS));
        system.stack.service(orchestrator.name()).stop(Duration.ofSeconds(30));
        system.stack.startService(orchestrator);
        system.stack.awaitReady(orchestrator);

        JsonNode done = rotate(NS + "/cache-user");
        assertThat(done.path("summary").path("state").asText()).as(done.toString()).isEqualTo("COMPLETED");
        SECRETS.add(secretValue("cache-redis", "password"));
        Orchestrator.Answer refused = system.orchestrator.requestRotation(NS + "/batch-user", false);
        assertThat(refused.status()).as(String.valueOf(refused.body())).isEqualTo(409);
        assertThat(refused.body().toString()).contains("cannot be read").contains("forget-unreadable-state");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(adversary.refusals(NS + "/batch-user"))
                .anyMatch(r -> r.equals("STATE_UNREADABLE from rotor.state by orchestrator")));
    }

    private static RotorEvent decode(CloudEventCodec codec, ConsumerRecord<byte[], byte[]> r) {
        Map<String, byte[]> headers = new HashMap<>();
        r.headers().forEach(h -> headers.put(h.key(), h.value()));
        try {
            return codec.decode(r.topic(), new String(r.key(), StandardCharsets.UTF_8), headers, r.value()).event();
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Test
    @Order(90)
    void eachServiceMadeOnlyTheApiCallsItsRoleAllowsAndEveryGrantIsAccountedFor() throws Exception {
        Path base = Path.of(System.getProperty("rotor.repository", "..")).resolve("deploy/kubernetes/base");
        Map<String, List<String>> roles = Map.of(
                "orchestrator", List.of("orchestrator"),
                "redis-rotator", List.of("redis-rotator"),
                "openstack-rotator", List.of("openstack-rotator"),
                "configui-rotator", List.of("configui-rotator"),
                "k8s-secret-writer", List.of("secret-writer"),
                "pod-restarter", List.of("pod-restarter"));
        // Granted but not exercised by these scenarios, and why the code needs it.
        Set<String> notExercised = Set.of(
                "rotor-orchestrator: core events patch",           // a repeated Event is patched (count), not re-created
                "rotor-orchestrator: apps daemonsets get",         // dry run of a DaemonSet named in a spec
                "rotor-orchestrator: apps statefulsets get",       // dry run of a StatefulSet named in a spec
                "rotor-orchestrator: apps deployments get",        // dry run of a Deployment named in a spec
                "rotor-orchestrator: rotor.io managedcredentials/status get",
                "rotor-orchestrator: rotor.io managedcredentials/status update",
                "rotor-redis-rotator: app.redislabs.com redisenterpriseclusters get",   // new-identity
                "rotor-redis-rotator: app.redislabs.com redisenterpriseclusters patch", // new-identity
                "rotor-secret-writer: core secrets create",        // a Secret declared with create: true
                "rotor-secret-writer: core secrets delete",        // rollback of a created Secret, companion pruning
                "rotor-secret-writer: core secrets list",          // companion pruning
                "rotor-pod-restarter: apps deployments update",    // scale-to-zero
                "rotor-pod-restarter: apps statefulsets update",   // scale-to-zero
                "rotor-pod-restarter: apps daemonsets get",        // a DaemonSet consumer
                "rotor-pod-restarter: apps daemonsets patch",      // a DaemonSet consumer
                "rotor-pod-restarter: core pods list",             // delete-pods: the pods to delete
                "rotor-pod-restarter: apps statefulsets patch",    // rollout of a StatefulSet consumer
                "rotor-pod-restarter: apps statefulsets get",      // the same (the only StatefulSet here is a REC's
                                                                   // nodes, which are never restarted)
                "rotor-pod-restarter: apps replicasets list",      // delete-pods waits on the new ReplicaSet
                "rotor-pod-restarter: core pods delete");          // delete-pods
        Map<String, Set<ApiCall.Permission>> used = RbacCheck.used(system.stack.apiCallsFile());
        List<String> missing = new ArrayList<>();
        List<String> unaccounted = new ArrayList<>();
        roles.forEach((service, folders) -> {
            try {
                Set<ApiCall.Permission> granted = RbacCheck.granted(base, folders);
                Set<ApiCall.Permission> calls = used.getOrDefault(service, Set.of());
                calls.stream().filter(p -> !granted.contains(p)).forEach(p -> missing.add(service + ": " + p));
                for (String folder : folders) {
                    for (ApiCall.Permission p : RbacCheck.granted(base, List.of(folder))) {
                        String line = "rotor-" + folder + ": " + p;
                        if (!calls.contains(p) && !notExercised.contains(line)) {
                            unaccounted.add(line);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertThat(used).as("services told apart by token").containsKeys("orchestrator", "redis-rotator",
                "k8s-secret-writer", "pod-restarter");
        assertThat(missing).as("API calls the ClusterRole does not allow").isEmpty();
        assertThat(unaccounted).as("grants neither exercised nor explained").isEmpty();
    }

    @Test
    @Order(100)
    void noPlainValueAppearsInAnyLogOrRecord() throws Exception {
        assertThat(SECRETS).hasSizeGreaterThanOrEqualTo(6);
        for (Path log : system.stack.logs()) {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            for (String secret : SECRETS) {
                assertThat(text).as("log " + log.getFileName()).doesNotContain(secret);
            }
        }
        List<String> records = TopicScan.everything(new RecordReplay(system.stack), Topics.ALL);
        assertThat(records).as("records on Rotor's topics").hasSizeGreaterThan(20);
        for (String record : records) {
            for (String secret : SECRETS) {
                assertThat(record).doesNotContain(secret);
            }
        }
    }

    private JsonNode rotate(String credential) throws Exception {
        Orchestrator.Answer answer = system.orchestrator.requestRotation(credential, false);
        assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(202);
        return system.orchestrator.awaitState(answer.body().path("rotationId").asText(), Orchestrator.TERMINAL,
                Duration.ofMinutes(5));
    }

    private static boolean redisAccepts(String user, String password) {
        try (RespClient fresh = redis.connect()) {
            return fresh.auth(user, password);
        }
    }

    private static int passwordCount(String user) {
        try (RespClient admin = redis.connectAsDefaultUser()) {
            // ACL LIST: one line per user, "user <name> on #<sha256> #<sha256> ~* ..." — a '#' per password.
            RespReply.ArrayReply users = (RespReply.ArrayReply) admin.call("ACL", "LIST");
            return users.items().stream().map(RespReply::text).filter(l -> l.startsWith("user " + user + " "))
                    .mapToInt(l -> (int) l.chars().filter(c -> c == '#').count()).findFirst().orElse(-1);
        }
    }

    private Deployment deployment(String name) {
        return system.kube.apps().deployments().inNamespace(NS).withName(name).get();
    }

    private String secretValue(String name, String key) {
        Secret s = system.kube.secrets().inNamespace(NS).withName(name).get();
        return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
    }
}
