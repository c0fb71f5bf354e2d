package io.rotor.openstack.rotation;

import static io.rotor.openstack.rotation.KeystoneFixtures.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.Identity;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.SpecDigest;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.envelope.CloudEventCodec;
import io.rotor.contracts.envelope.DecodedEvent;
import io.rotor.contracts.event.CommandAction;
import io.rotor.contracts.event.EventType;
import io.rotor.contracts.event.RotateCredential;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.event.StepFailed;
import io.rotor.contracts.saga.Step;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.CredentialMaterial.Purpose;
import io.rotor.contracts.sealing.Sealer;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.kit.messaging.EventPublisher;
import io.rotor.kit.messaging.InboundProcessor;
import io.rotor.kit.messaging.InboundRecord;
import io.rotor.kit.participant.ParticipantMetrics;
import io.rotor.kit.participant.ParticipantRuntime;
import io.rotor.kit.participant.ParticipantSettings;
import io.rotor.kit.retry.LoginBudget;
import io.rotor.openstack.InMemorySecretLookup;
import io.rotor.openstack.LayoutCurrentValueReader;
import io.rotor.openstack.StartedRotations;
import io.rotor.openstack.TestTrust;
import io.rotor.openstack.keystone.DomainSelector;
import io.rotor.openstack.keystone.KeystoneClient;
import io.rotor.openstack.keystone.NewApplicationCredential;
import io.rotor.openstack.keystone.ProjectScope;
import io.rotor.openstack.keystone.Token;
import io.rotor.openstack.keystone.UserSelector;
import io.rotor.testkit.keystone.FakeKeystone;
import io.rotor.testkit.keystone.KeystoneAdmin;
import io.rotor.testkit.keystone.KeystoneAdmin.TestUser;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The adapter inside the kit's participant runtime: retries, permanent failures and the overlap's end, on the fake. */
class KeystoneRotationTest {

    private static final Sealer SEALER = TestTrust.SEALER;
    private static final String PASSWORD_CHANGE = "/v3/users/[^/]+/password";

    private final FakeKeystone keystone = FakeKeystone.start();
    private final KeystoneAdmin admin = KeystoneAdmin.of(keystone);
    private final InMemorySecretLookup secrets = new InMemorySecretLookup();
    private final KeystoneTimers timers = new KeystoneTimers(keystone);
    private final Published published = new Published();
    private final StartedRotations started = new StartedRotations();
    private final ParticipantRuntime runtime = new ParticipantRuntime(
            List.of(new KeystoneAdapter(secrets, LoginBudget.inMemory(2, Duration.ofMinutes(15), keystone.clock()), timers,
                    new KeystoneSettings(2, Duration.ofMillis(1100), 3), TestTrust.allowEverything())),
            new LayoutCurrentValueReader(secrets), TestTrust.KEYS, published,
            new InboundProcessor(new CloudEventCodec("/test"), published), timers, ParticipantSettings.forTests(3),
            new ParticipantMetrics(new SimpleMeterRegistry()), started, TestTrust.allowEverything());

    @AfterEach
    void close() {
        runtime.close();
        keystone.close();
    }

    @Test
    void aRefusedCurrentPasswordFailsTheStepAtOnceWithOneAttempt() throws Exception {
        TestUser user = admin.createUser(admin.uniqueName("runtime"), "Pw-Current-123");
        ManagedCredentialSpec spec = passwordSpec(user, "Pw-Stale-456", new Identity(null, user.id(), null));

        List<RotorEvent> answer = run(command("r1", spec, CredentialField.PASSWORD, "Pw-New-789"));

        assertThat(answer).singleElement().isInstanceOfSatisfying(StepFailed.class, f -> {
            assertThat(f.retriable()).isFalse();
            assertThat(f.attempt()).isEqualTo(1);
            assertThat(f.errorCode()).isEqualTo("keystone_current_password_refused");
            assertThat(f.message()).doesNotContain("Pw-Stale-456").doesNotContain("Pw-New-789");
        });
        assertThat(keystone.requestCount("POST", PASSWORD_CHANGE)).as("one change attempt, never retried").isEqualTo(1);
        assertThat(keystone.failedLoginCount(user.id()))
                .as("Keystone's lockout count: the refused change and one look whether the new password is in place")
                .isEqualTo(2);
        assertThat(keystone.passwordCount(user.id())).isEqualTo(1);
        assertThat(published.events).as("no retriable failure announced").isEmpty();
    }

    @Test
    void keystoneUnavailableIsAnnouncedAndRetriedUntilTheChangeGoesThrough() throws Exception {
        TestUser user = admin.createUser(admin.uniqueName("runtime"), "Pw-Current-123");
        ManagedCredentialSpec spec = passwordSpec(user, user.password(), new Identity(user.name(), null, "Default"));
        keystone.failNext("POST", PASSWORD_CHANGE, 503, 1);

        List<RotorEvent> answer = run(command("r2", spec, CredentialField.PASSWORD, "Pw-New-789"));

        assertThat(answer).singleElement().isInstanceOfSatisfying(StepCompleted.class, done -> {
            assertThat(done.step()).isEqualTo(Step.PLATFORM_UPDATED);
            assertThat(done.details()).containsEntry("changed", "true").containsEntry("keystoneUserId", user.id());
            assertThat(CredentialMaterial.open(SEALER, done.material(), "r2", done.credential(), Purpose.NEW)
                    .require(CredentialField.PASSWORD).reveal()).isEqualTo("Pw-New-789");
            assertThat(CredentialMaterial.open(SEALER, done.previous(), "r2", done.credential(), Purpose.PREVIOUS)
                    .require(CredentialField.PASSWORD).reveal()).isEqualTo(user.password());
        });
        assertThat(published.events).singleElement().isInstanceOfSatisfying(StepFailed.class, f -> {
            assertThat(f.retriable()).isTrue();
            assertThat(f.errorCode()).isEqualTo("keystone_unavailable");
        });
        assertThat(keystone.requestCount("POST", PASSWORD_CHANGE)).isEqualTo(2);
    }

    @Test
    void anApplicationCredentialIsReplacedAndTheOldOneDeletedAfterThePropagationDelay() throws Exception {
        TestUser user = admin.createUserWithProject("runtime", "Pw-Current-123");
        KeystoneClient client = KeystoneClient.builder(keystone.url().toString()).build();
        Token token = client.login(UserSelector.byId(user.id()), SecretValue.of(user.password()),
                ProjectScope.byName(user.name(), DomainSelector.DEFAULT));
        var initial = client.createApplicationCredential(token, user.id(),
                new NewApplicationCredential("initial", null, null, List.of(), null, true));
        String secretName = "appcred-" + user.name();
        secrets.put(NAMESPACE, secretName, Map.of("clouds.yaml", KeystoneFixtures.applicationCredentialClouds(
                keystone, initial.id(), initial.secret().reveal())));
        ManagedCredentialSpec spec = KeystoneFixtures.spec(keystone, Strategy.NEW_IDENTITY,
                new Identity(null, user.id(), null), secretName,
                KeystoneFixtures.applicationCredentials(true, null, null));

        StepCompleted updated = (StepCompleted) run(command("r3", spec, CredentialField.APPLICATION_CREDENTIAL_SECRET,
                "AppCred-Secret-1")).get(0);
        StepCompleted restarted = new StepCompleted("r3", updated.credential(), Step.WORKLOADS_RESTARTED, spec,
                updated.material(), updated.previous(), Map.of(), Duration.ofSeconds(5));
        List<RotorEvent> revoked = runtime.onEvent(decoded(restarted, keystone.clock().instant()))
                .toCompletableFuture().get(20, TimeUnit.SECONDS);

        assertThat(revoked).singleElement().isInstanceOfSatisfying(StepCompleted.class, done -> {
            assertThat(done.step()).isEqualTo(Step.OLD_REVOKED);
            assertThat(done.details()).containsEntry("changed", "true")
                    .containsEntry("applicationCredentialId", initial.id());
        });
        assertThat(keystone.applicationCredentialCount(user.id())).isEqualTo(1);
        assertThat(CredentialMaterial.open(SEALER, updated.material(), "r3", updated.credential(), Purpose.NEW).fields())
                .containsKeys(CredentialField.APPLICATION_CREDENTIAL_ID, CredentialField.APPLICATION_CREDENTIAL_SECRET);
    }

    private ManagedCredentialSpec passwordSpec(TestUser user, String passwordInSecret, Identity identity) {
        String secretName = "creds-" + user.name();
        secrets.put(NAMESPACE, secretName, Map.of("clouds.yaml", KeystoneFixtures.passwordClouds(keystone,
                KeystoneFixtures.CLOUD, user.name(), passwordInSecret, null)));
        return KeystoneFixtures.spec(keystone, Strategy.REPLACE, identity, secretName, null);
    }

    private RotateCredential command(String rotationId, ManagedCredentialSpec spec, CredentialField field,
            String value) {
        CredentialRef ref = KeystoneFixtures.ref(spec.secretList().get(0).name());
        return new RotateCredential(rotationId, ref, CommandAction.APPLY, spec,
                CredentialMaterial.of(Map.of(field, SecretValue.of(value))).seal(SEALER, rotationId, ref, Purpose.NEW),
                SpecDigest.of(spec));
    }

    /** The command of a rotation the orchestrator started with the command's spec, answered. */
    private List<RotorEvent> run(RotateCredential command) throws Exception {
        started.start(command.rotationId(), command.credential(), command.spec());
        return runtime.onCommand(decoded(command, keystone.clock().instant())).toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
    }

    private static DecodedEvent decoded(RotorEvent event, Instant time) {
        return new DecodedEvent("id-" + System.nanoTime(), "/test", time, EventType.of(event), event, null);
    }

    /** What the runtime publishes on its own (retriable failures). */
    private static final class Published implements EventPublisher {
        final List<RotorEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<Void> publish(RotorEvent event) {
            events.add(event);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> publishAll(List<? extends RotorEvent> list) {
            events.addAll(list);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> deadLetter(InboundRecord record, String reason, String detail) {
            return CompletableFuture.completedFuture(null);
        }
    }
}
