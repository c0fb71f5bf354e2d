package io.rotor.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentials;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.SecretFormat;
import io.rotor.contracts.credential.SecretTarget;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.event.StepFailed;
import io.rotor.contracts.saga.Step;
import io.rotor.kit.secret.SecretData;
import io.rotor.testing.MutableClock;
import io.rotor.testing.Rotations;
import io.rotor.testing.WriterConfigs;
import io.rotor.testkit.kubernetes.KubernetesSandboxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The writer against the Kubernetes sandbox's API server: formats, optimistic concurrency, previous versions. */
class SecretWriterMockTest {

    @RegisterExtension
    static final KubernetesSandboxExtension K8S = KubernetesSandboxExtension.with(b -> b.withoutController());

    private final MutableClock clock = MutableClock.startingNow();
    private final String ns = K8S.sandbox().namespace();
    private final String id = UUID.randomUUID().toString().substring(0, 8);
    private final CredentialRef credential = new CredentialRef(ns, "cred-" + id);

    private TestWriter writer(KubernetesClient client) {
        return TestWriter.of(client, WriterConfigs.fast(), clock);
    }

    private TestWriter writer() {
        return writer(K8S.client());
    }

    @Test
    void writesEveryFormatAndAnswersSecretWrittenWithTheNewResourceVersions() {
        secret("rec-" + id, Map.of("username", "admin@example.com", "password", "old"));
        secret("configui-" + id, Map.of(".mlc_password", "old", ".mlc_server_secret", "not-rotated"));
        secret("clouds-" + id, Map.of("clouds.yaml", CloudsYamlFixture.THREE_CLOUDS));
        secret("openrc-" + id, Map.of("openrc", "export OS_USERNAME=svc\nexport OS_PASSWORD=old\n"));
        secret("tpl-" + id, Map.of("config", "user=svc\npass=old\n"));
        ManagedCredentialSpec spec = Rotations.spec(Platform.OPENSTACK_KEYSTONE, Strategy.REPLACE, List.of(
                Rotations.keys("rec-" + id, Map.of("password", "password")),
                Rotations.keys("configui-" + id, Map.of("password", ".mlc_password")),
                new SecretTarget("clouds-" + id, SecretFormat.CLOUDS_YAML, null, null, "prod", null, null),
                new SecretTarget("openrc-" + id, SecretFormat.OPENRC, null, null, null, null, null),
                new SecretTarget("tpl-" + id, SecretFormat.TEMPLATE, null, null, null, "user=svc\npass={{password}}\n", null)));
        String rotation = Rotations.newRotationId();

        StepCompleted event = Rotations.platformUpdated(rotation, credential, spec,
                Map.of(CredentialField.PASSWORD, "n3w'pa$$"), Map.of(CredentialField.PASSWORD, "old"));

        RotorEvent answer = writer().write(event);

        assertThat(answer).isInstanceOf(StepCompleted.class);
        StepCompleted done = (StepCompleted) answer;
        assertThat(done.step()).isEqualTo(Step.SECRET_WRITTEN);
        assertThat(data("rec-" + id)).containsEntry("username", "admin@example.com").containsEntry("password", "n3w'pa$$");
        assertThat(data("configui-" + id)).containsEntry(".mlc_password", "n3w'pa$$")
                .containsEntry(".mlc_server_secret", "not-rotated");
        assertThat(data("clouds-" + id).get("clouds.yaml")).isEqualTo(CloudsYamlFixture.THREE_CLOUDS
                .replace("password: 'old-prod-secret'", "password: \"n3w'pa$$\""));
        assertThat(data("openrc-" + id).get("openrc")).isEqualTo("export OS_USERNAME=svc\nexport OS_PASSWORD='n3w'\\''pa$$'\n");
        assertThat(data("tpl-" + id).get("config")).isEqualTo("user=svc\npass=n3w'pa$$\n");
        for (String name : List.of("rec-", "configui-", "clouds-", "openrc-", "tpl-")) {
            Secret s = get(name + id);
            assertThat(done.details()).containsEntry("secret/" + name + id, s.getMetadata().getResourceVersion())
                    .containsEntry("secret/" + name + id + ".outcome", "written");
            assertThat(s.getMetadata().getAnnotations())
                    .containsEntry(ManagedCredentials.ROTATION_ANNOTATION, rotation)
                    .containsEntry(ManagedCredentials.ROTATED_AT_ANNOTATION, clock.instant().toString())
                    .containsEntry(ManagedCredentials.PREVIOUS_ANNOTATION, PreviousVersions.companionName(name + id, rotation));
        }
        assertThat(done.spec()).isEqualTo(spec);
        assertThat(done.material()).isEqualTo(event.material());
        assertThat(done.previous()).isEqualTo(event.previous());
        assertThat(done.details()).containsEntry("writtenAt", clock.instant().toString());
    }

    @Test
    void thePreviousVersionIsAnImmutableCopyOwnedByTheSecret() {
        Secret original = secret("app-" + id, Map.of("password", "old", "other", "kept"));
        String rotation = Rotations.newRotationId();

        writer().write(passwordRotation(rotation, "new", Rotations.keys("app-" + id, Map.of("password", "password"))));

        Secret companion = get(PreviousVersions.companionName("app-" + id, rotation));
        assertThat(SecretData.of(companion)).satisfies(d -> {
            assertThat(new String(d.get("password"), StandardCharsets.UTF_8)).isEqualTo("old");
            assertThat(new String(d.get("other"), StandardCharsets.UTF_8)).isEqualTo("kept");
        });
        assertThat(companion.getImmutable()).isTrue();
        assertThat(companion.getType()).isEqualTo("Opaque");
        assertThat(companion.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("Secret");
            assertThat(o.getName()).isEqualTo("app-" + id);
            assertThat(o.getUid()).isEqualTo(original.getMetadata().getUid());
        });
        assertThat(companion.getMetadata().getAnnotations()).containsEntry(ManagedCredentials.ROTATION_ANNOTATION, rotation);
    }

    @Test
    void aRedeliveredEventWritesNothingTwice() {
        secret("app-" + id, Map.of("password", "old"));
        StepCompleted event = passwordRotation(Rotations.newRotationId(), "new",
                Rotations.keys("app-" + id, Map.of("password", "password")));
        StepCompleted first = (StepCompleted) writer().write(event);
        String version = get("app-" + id).getMetadata().getResourceVersion();

        StepCompleted second = (StepCompleted) writer().write(event);

        assertThat(get("app-" + id).getMetadata().getResourceVersion()).isEqualTo(version);
        assertThat(second.details()).containsEntry("secret/app-" + id + ".outcome", "unchanged")
                .containsEntry("secret/app-" + id, version)
                .containsEntry("secret/app-" + id + ".previous", first.details().get("secret/app-" + id + ".previous"));
    }

    @Test
    void aConcurrentEditCausesARetryNotALostUpdate() {
        secret("app-" + id, Map.of("password", "old"));
        AtomicInteger edits = new AtomicInteger();
        // Between the writer's read and its update, someone else adds a key: the update must fail with 409.
        try (KubernetesClient racing = clientEditingBeforeUpdates("app-" + id, 1, edits)) {
            StepCompleted done = (StepCompleted) writer(racing).write(passwordRotation(Rotations.newRotationId(), "new",
                    Rotations.keys("app-" + id, Map.of("password", "password"))));

            assertThat(done.details()).containsEntry("secret/app-" + id + ".outcome", "written");
        }
        assertThat(edits).hasValue(1);
        assertThat(data("app-" + id)).containsEntry("password", "new").containsEntry("edited-1", "by someone else");
    }

    @Test
    void conflictsBeyondTheBudgetFailRatherThanOverwrite() {
        secret("app-" + id, Map.of("password", "old"));
        AtomicInteger edits = new AtomicInteger();
        try (KubernetesClient racing = clientEditingBeforeUpdates("app-" + id, Integer.MAX_VALUE, edits)) {
            TestWriter writer = TestWriter.of(racing, WriterConfigs.fast(3, 3), clock);

            RotorEvent answer = writer.write(passwordRotation(Rotations.newRotationId(), "new",
                    Rotations.keys("app-" + id, Map.of("password", "password"))));

            assertThat(answer).isInstanceOfSatisfying(StepFailed.class, f -> {
                assertThat(f.errorCode()).isEqualTo("conflict_persists");
                assertThat(f.retriable()).isFalse();
                assertThat(f.message()).contains("app-" + id).doesNotContain("new");
            });
        }
        assertThat(edits).hasValue(3);
        assertThat(data("app-" + id)).containsEntry("password", "old").containsKeys("edited-1", "edited-2", "edited-3");
    }

    @Test
    void aMissingSecretFailsClearlyUnlessTheSpecSaysCreate() {
        RotorEvent refused = writer().write(passwordRotation(Rotations.newRotationId(), "new",
                Rotations.keys("absent-" + id, Map.of("password", "password"))));

        assertThat(refused).isInstanceOfSatisfying(StepFailed.class, f -> {
            assertThat(f.step()).isEqualTo(Step.SECRET_WRITTEN);
            assertThat(f.errorCode()).isEqualTo("secret_not_found");
            assertThat(f.message()).contains(ns + "/absent-" + id).contains("create: true");
        });

        String rotation = Rotations.newRotationId();
        StepCompleted created = (StepCompleted) writer().write(passwordRotation(rotation, "new",
                Rotations.keysCreated("absent-" + id, Map.of("password", "password"))));

        assertThat(created.details()).containsEntry("secret/absent-" + id + ".outcome", "created");
        assertThat(data("absent-" + id)).containsExactly(Map.entry("password", "new"));
        assertThat(get("absent-" + id).getMetadata().getAnnotations())
                .containsEntry(SecretTargetWriter.CREATED_FOR_ANNOTATION, rotation);
    }

    @Test
    void aFailureNamesWhatWasWrittenBeforeIt() {
        secret("first-" + id, Map.of("password", "old"));

        RotorEvent answer = writer().write(passwordRotation(Rotations.newRotationId(), "new",
                Rotations.keys("first-" + id, Map.of("password", "password")),
                Rotations.keys("missing-" + id, Map.of("password", "password"))));

        assertThat(answer).isInstanceOfSatisfying(StepFailed.class,
                f -> assertThat(f.message()).contains("done before the failure: [first-" + id + "]"));
    }

    @Test
    void anImmutableSecretIsAClearFailure() {
        K8S.client().secrets().resource(new SecretBuilder().withNewMetadata().withName("frozen-" + id)
                .addToLabels(ManagedCredentials.CREDENTIAL_LABEL, credential.name()).endMetadata()
                .withImmutable(true).addToStringData("password", "old").build()).create();

        RotorEvent answer = writer().write(passwordRotation(Rotations.newRotationId(), "new",
                Rotations.keys("frozen-" + id, Map.of("password", "password"))));

        assertThat(answer).isInstanceOfSatisfying(StepFailed.class, f -> {
            assertThat(f.errorCode()).isEqualTo("secret_immutable");
            assertThat(f.message()).contains("frozen-" + id);
        });
    }

    @Test
    void aFormatProblemIsAPermanentFailureNamingTheSecretAndCloud() {
        secret("clouds-" + id, Map.of("clouds.yaml", CloudsYamlFixture.THREE_CLOUDS));

        RotorEvent answer = writer().write(passwordRotation(Rotations.newRotationId(), "new",
                new SecretTarget("clouds-" + id, SecretFormat.CLOUDS_YAML, null, null, "qa", null, null)));

        assertThat(answer).isInstanceOfSatisfying(StepFailed.class, f -> {
            assertThat(f.errorCode()).isEqualTo("secret_format");
            assertThat(f.message()).contains("clouds-" + id).contains("no cloud 'qa'").doesNotContain("old-prod-secret");
        });
        assertThat(data("clouds-" + id).get("clouds.yaml")).isEqualTo(CloudsYamlFixture.THREE_CLOUDS);
    }

    @Test
    void aValueSealedForAnotherRotationIsRefused() {
        secret("app-" + id, Map.of("password", "old"));
        StepCompleted genuine = passwordRotation(Rotations.newRotationId(), "new",
                Rotations.keys("app-" + id, Map.of("password", "password")));
        StepCompleted replayed = new StepCompleted(Rotations.newRotationId(), credential, Step.PLATFORM_UPDATED,
                genuine.spec(), genuine.material(), null, Map.of(), Duration.ZERO);

        RotorEvent answer = writer().write(replayed);

        assertThat(answer).isInstanceOfSatisfying(StepFailed.class,
                f -> assertThat(f.errorCode()).isEqualTo("sealing_failed"));
        assertThat(data("app-" + id)).containsEntry("password", "old");
    }

    @Test
    void onlyTheNewestPreviousVersionsAreKept() {
        secret("app-" + id, Map.of("password", "v0"));
        TestWriter writer = TestWriter.of(K8S.client(), WriterConfigs.fast(2, 10), clock);
        for (int i = 1; i <= 4; i++) {
            clock.advance(Duration.ofMinutes(1));
            writer.write(passwordRotation(Rotations.newRotationId(), "v" + i,
                    Rotations.keys("app-" + id, Map.of("password", "password"))));
        }

        List<Secret> companions = K8S.client().secrets().withLabel(PreviousVersions.PREVIOUS_OF_LABEL, "app-" + id)
                .list().getItems();

        assertThat(companions).extracting(s -> new String(SecretData.of(s).get("password"), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder("v2", "v3");
    }

    @Test
    void rollbackRestoresWhatTheRotationChangedAndKeepsEverythingElse() {
        secret("app-" + id, Map.of("password", "old", "other", "x"));
        secret("untouched-" + id, Map.of("password", "someone's"));
        String rotation = Rotations.newRotationId();
        SecretTarget app = Rotations.keys("app-" + id, Map.of("password", "password"));
        SecretTarget created = Rotations.keysCreated("created-" + id, Map.of("password", "password"));
        SecretTarget untouched = Rotations.keys("untouched-" + id, Map.of("password", "password"));
        StepCompleted forward = passwordRotation(rotation, "new", app, created);
        writer().write(forward);
        // After the write, someone changes a key the rotation does not own: the rollback must keep it.
        Secret edited = get("app-" + id);
        edited.getData().put("other", "eQ==");
        K8S.client().secrets().resource(edited).update();
        StepCompleted withThird = new StepCompleted(rotation, credential, Step.PLATFORM_UPDATED,
                Rotations.redisAcl(List.of(app, created, untouched)), forward.material(), null, Map.of(), Duration.ZERO);

        RotorEvent answer = writer().restore(Rotations.rollback(withThird, Step.WORKLOADS_RESTARTED));

        assertThat(answer).isInstanceOfSatisfying(StepCompleted.class, done -> {
            assertThat(done.step()).isEqualTo(Step.SECRET_RESTORED);
            assertThat(done.details()).containsEntry("secret/app-" + id + ".outcome", "restored")
                    .containsEntry("secret/created-" + id + ".outcome", "deleted")
                    .containsEntry("secret/untouched-" + id + ".outcome", "not_written_by_rotation");
        });
        assertThat(data("app-" + id)).containsEntry("password", "old").containsEntry("other", "y");
        assertThat(get("created-" + id)).isNull();
        assertThat(data("untouched-" + id)).containsEntry("password", "someone's");

        String version = get("app-" + id).getMetadata().getResourceVersion();
        StepCompleted again = (StepCompleted) writer().restore(Rotations.rollback(withThird, Step.WORKLOADS_RESTARTED));
        assertThat(get("app-" + id).getMetadata().getResourceVersion()).isEqualTo(version);
        assertThat(again.details()).containsEntry("secret/app-" + id + ".outcome", "restored");
    }

    @Test
    void rollbackLeavesASecretAloneThatALaterRotationWrote() {
        secret("app-" + id, Map.of("password", "old"));
        SecretTarget app = Rotations.keys("app-" + id, Map.of("password", "password"));
        StepCompleted first = passwordRotation(Rotations.newRotationId(), "first", app);
        writer().write(first);
        writer().write(passwordRotation(Rotations.newRotationId(), "second", app));

        StepCompleted answer = (StepCompleted) writer().restore(Rotations.rollback(first, Step.WORKLOADS_RESTARTED));

        assertThat(answer.details()).containsEntry("secret/app-" + id + ".outcome", "not_written_by_rotation");
        assertThat(data("app-" + id)).containsEntry("password", "second");
    }

    private StepCompleted passwordRotation(String rotation, String password, SecretTarget... targets) {
        return Rotations.platformUpdated(rotation, credential, Rotations.redisAcl(List.of(targets)),
                Map.of(CredentialField.PASSWORD, password), Map.of(CredentialField.PASSWORD, "old"));
    }

    /** A client whose update requests to one Secret are preceded by someone else's edit of it, up to n times. */
    private KubernetesClient clientEditingBeforeUpdates(String secret, int times, AtomicInteger edits) {
        return new KubernetesClientBuilder().withConfig(K8S.sandbox().clientConfig())
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("concurrent-edit", new Interceptor() {
                    @Override
                    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                        if ("PUT".equals(request.method()) && request.uri().getPath().endsWith("/secrets/" + secret)
                                && edits.get() < times) {
                            int n = edits.incrementAndGet();
                            Secret current = K8S.client().secrets().withName(secret).get();
                            current.getData().put("edited-" + n, "Ynkgc29tZW9uZSBlbHNl");
                            K8S.client().secrets().resource(current).update();
                        }
                    }
                }))
                .build();
    }

    private Secret secret(String name, Map<String, String> stringData) {
        return K8S.client().secrets().resource(new SecretBuilder().withNewMetadata().withName(name)
                .addToLabels(ManagedCredentials.CREDENTIAL_LABEL, credential.name()).endMetadata()
                .withType("Opaque").withStringData(stringData).build()).create();
    }

    private Secret get(String name) {
        return K8S.client().secrets().withName(name).get();
    }

    private Map<String, String> data(String name) {
        Map<String, String> text = new java.util.TreeMap<>();
        SecretData.of(get(name)).forEach((k, v) -> text.put(k, new String(v, StandardCharsets.UTF_8)));
        return text;
    }
}
