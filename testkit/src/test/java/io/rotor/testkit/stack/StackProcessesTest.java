package io.rotor.testkit.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.rotor.contracts.event.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stack's pieces as separate processes, as the system tests and the local stack run them. */
class StackProcessesTest {

    @TempDir
    Path dir;

    @Test
    void kafkaRunsAsItsOwnProcessWithRotorsTopicsAndItsDataInTheGivenFolder() throws Exception {
        Path data = dir.resolve("kafka");
        try (ChildProcess kafka = ChildProcess.javaMain("kafka", KafkaMain.class,
                List.of("--data", data.toString()), Map.of(), dir.resolve("kafka.log"))) {
            String bootstrap = kafka.awaitLogLine(Pattern.compile(KafkaMain.READY + "(\\S+)"), Duration.ofSeconds(90));

            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            try (Admin admin = Admin.create(p)) {
                assertThat(admin.listTopics().names().get()).containsAll(Topics.ALL);
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(Topics.EVENTS, "ns/cred", "hello")).get();
            }
            p.put(ConsumerConfig.GROUP_ID_CONFIG, "stack-test");
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(Topics.EVENTS));
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                    return records.count() > 0 && records.iterator().next().value().equals("hello");
                });
            }
            assertThat(data.resolve("meta.properties")).exists();
            kafka.stop(Duration.ofSeconds(30));
            assertThat(kafka.isAlive()).isFalse();
        }
        // Kept after exit, for someone who wants to look at what the stack wrote.
        assertThat(Files.list(data).count()).isPositive();
    }

    @Test
    void theSandboxRunsAsItsOwnProcessWithTheControllerLoadedResourcesAndIdentities() throws Exception {
        Path yaml = dir.resolve("app.yaml");
        Files.writeString(yaml, """
                apiVersion: v1
                kind: Secret
                metadata: {name: app-secret, namespace: demo}
                stringData: {password: initial}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: credential-viewer}
                rules:
                - apiGroups: [rotor.io]
                  resources: [managedcredentials]
                  verbs: [get]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: viewers, namespace: demo}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: credential-viewer}
                subjects:
                - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: demo-viewers}
                """);
        try (ChildProcess sandbox = ChildProcess.javaMain("sandbox", SandboxMain.class,
                List.of("--namespace", "rotor", "--namespace", "demo", "--load", yaml.toString(),
                        "--identity", "alice-token=alice:demo-viewers,team:a",
                        "--service-account", "ci-token=demo/ci"), Map.of(),
                dir.resolve("sandbox.log"))) {
            String url = sandbox.awaitLogLine(Pattern.compile(SandboxMain.READY + "(\\S+)"), Duration.ofSeconds(90));
            Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url).withHttp2Disable(true).build();
            try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
                assertThat(client.secrets().inNamespace("demo").withName("app-secret").get()).isNotNull();
                UserInfo alice = client.authentication().v1().tokenReviews().create(new TokenReviewBuilder()
                        .withNewSpec().withToken("alice-token").endSpec().build()).getStatus().getUser();
                assertThat(alice.getUsername()).isEqualTo("alice");
                assertThat(alice.getGroups()).containsExactly("demo-viewers", "team:a", "system:authenticated");
                assertThat(client.authentication().v1().tokenReviews().create(new TokenReviewBuilder()
                        .withNewSpec().withToken("ci-token").endSpec().build()).getStatus().getUser().getUsername())
                        .isEqualTo("system:serviceaccount:demo:ci");
                assertThat(client.authorization().v1().subjectAccessReview().create(new SubjectAccessReviewBuilder()
                        .withNewSpec().withUser(alice.getUsername()).withGroups(alice.getGroups())
                        .withNewResourceAttributes().withNamespace("demo").withVerb("get").withGroup("rotor.io")
                        .withResource("managedcredentials").withName("db").endResourceAttributes().endSpec()
                        .build()).getStatus().getAllowed()).isTrue();
                client.apps().deployments().inNamespace("demo").resource(deployment()).create();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    Deployment d = client.apps().deployments().inNamespace("demo").withName("app").get();
                    return d.getStatus() != null && Integer.valueOf(2).equals(d.getStatus().getReadyReplicas());
                });
            }
        }
    }

    private static Deployment deployment() {
        return new DeploymentBuilder()
                .withNewMetadata().withName("app").withNamespace("demo").endMetadata()
                .withNewSpec().withReplicas(2)
                .withNewSelector().addToMatchLabels("app", "app").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "app").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("app:1").endContainer().endSpec()
                .endTemplate().endSpec().build();
    }
}
