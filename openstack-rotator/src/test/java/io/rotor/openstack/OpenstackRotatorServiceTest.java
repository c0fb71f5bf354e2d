package io.rotor.openstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rotor.contracts.credential.ApplicationCredentialOptions;
import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.Endpoint;
import io.rotor.contracts.credential.Identity;
import io.rotor.contracts.credential.KeystoneOptions;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.ManagedCredentials;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.SecretFormat;
import io.rotor.contracts.credential.SecretTarget;
import io.rotor.contracts.credential.SpecDigest;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.event.CommandAction;
import io.rotor.contracts.event.RotateCredential;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.event.StepFailed;
import io.rotor.contracts.event.StepProducer;
import io.rotor.contracts.saga.Step;
import io.rotor.contracts.sealing.CredentialMaterial.Purpose;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.Sealer;
import io.rotor.contracts.sealing.SealingKeys;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.openstack.keystone.DomainSelector;
import io.rotor.openstack.keystone.KeystoneClient;
import io.rotor.openstack.keystone.NewApplicationCredential;
import io.rotor.openstack.keystone.ProjectScope;
import io.rotor.openstack.keystone.Token;
import io.rotor.openstack.keystone.UserSelector;
import io.rotor.testkit.kafka.KafkaBootstrapServers;
import io.rotor.testkit.kafka.KafkaTestResource;
import io.rotor.testkit.kafka.SagaLog;
import io.rotor.testkit.keystone.FakeKeystone;
import io.rotor.testkit.keystone.KeystoneAdmin.TestUser;
import io.rotor.testkit.keystone.KeystoneAdmin;
import io.rotor.testkit.kubernetes.InjectKubernetesSandbox;
import io.rotor.testkit.kubernetes.KubernetesSandbox;
import io.rotor.testkit.kubernetes.KubernetesSandboxTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service as deployed, short of Keystone: the orchestrator's starts, commands and the pod restarter's steps through a
 * real broker, answers read from rotor.steps.openstack, the current value read from a (labelled) Secret in the
 * Kubernetes sandbox, and the fake Keystone (on the system clock, since the service waits in real
 * time).
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(KubernetesSandboxTestResource.class)
class OpenstackRotatorServiceTest {

    private static final FakeKeystone KEYSTONE = FakeKeystone.builder().realTime().start();

    @KafkaBootstrapServers
    String bootstrap;

    @InjectKubernetesSandbox
    KubernetesSandbox sandbox;

    @Inject
    SealingKeys keys;

    private Sealer sealer;

    private final KeystoneAdmin admin = KeystoneAdmin.of(KEYSTONE);
    private final KeystoneClient client = KeystoneClient.builder(KEYSTONE.url().toString()).build();
    private SagaLog log;

    @BeforeEach
    void connect() {
        sealer = keys.sealerFor(Platform.OPENSTACK_KEYSTONE);
        if (log == null) {
            log = new SagaLog(bootstrap, StepProducer.OPENSTACK);
        }
    }

    @AfterAll
    static void stop() {
        KEYSTONE.close();
    }

    @Test
    void aPasswordCommandChangesTheKeystonePasswordAndAnswersWithBothValuesSealed() {
        TestUser user = admin.createUser(admin.uniqueName("svc"), "Pw-Current-123");
        CredentialRef ref = secret(user.name(), KEYSTONE_CLOUDS_WITH_PASSWORD.formatted(KEYSTONE.url(), user.name(),
                user.password()));
        ManagedCredentialSpec spec = spec(ref, Strategy.REPLACE, new Identity(user.name(), null, "Default"), null);
        String rotationId = "svc-" + user.name();

        log.publish(StartedRotations.started(rotationId, ref, spec));
        log.publish(new RotateCredential(rotationId, ref, CommandAction.APPLY, spec,
                CredentialMaterial.password(SecretValue.of("Pw-Next-456")).seal(sealer, rotationId, ref, Purpose.NEW),
                SpecDigest.of(spec)));

        StepCompleted done = log.await(StepCompleted.class, e -> e.rotationId().equals(rotationId));
        assertThat(done.step()).isEqualTo(Step.PLATFORM_UPDATED);
        assertThat(open(done, Purpose.NEW).require(CredentialField.PASSWORD).reveal()).isEqualTo("Pw-Next-456");
        assertThat(open(done, Purpose.PREVIOUS).require(CredentialField.PASSWORD).reveal()).isEqualTo("Pw-Current-123");
        assertThat(client.login(UserSelector.byId(user.id()), SecretValue.of("Pw-Next-456"), null).userId())
                .isEqualTo(user.id());
        assertThat(log.all()).noneMatch(e -> e instanceof StepFailed f && f.rotationId().equals(rotationId));
    }

    @Test
    void anApplicationCredentialIsReplacedAndTheOldOneDeletedOnceTheWorkloadsRestarted() {
        TestUser user = admin.createUserWithProject("svc", "Pw-Current-123");
        Token token = client.login(UserSelector.byId(user.id()), SecretValue.of(user.password()),
                ProjectScope.byName(user.name(), DomainSelector.DEFAULT));
        var initial = client.createApplicationCredential(token, user.id(),
                new NewApplicationCredential("initial", null, null, List.of(), null, true));
        CredentialRef ref = secret("appcred-" + user.name(), KEYSTONE_CLOUDS_WITH_APPLICATION_CREDENTIAL.formatted(
                KEYSTONE.url(), initial.id(), initial.secret().reveal()));
        ManagedCredentialSpec spec = spec(ref, Strategy.NEW_IDENTITY, new Identity(null, user.id(), null),
                new KeystoneOptions(null, null, new ApplicationCredentialOptions("svc", null, null, true)));
        String rotationId = "svc-" + user.name();

        log.publish(StartedRotations.started(rotationId, ref, spec));
        log.publish(new RotateCredential(rotationId, ref, CommandAction.APPLY, spec, CredentialMaterial.of(Map.of(
                CredentialField.APPLICATION_CREDENTIAL_SECRET, SecretValue.of("AppCred-Next-456")))
                .seal(sealer, rotationId, ref, Purpose.NEW), SpecDigest.of(spec)));
        StepCompleted updated = log.await(StepCompleted.class,
                e -> e.rotationId().equals(rotationId) && e.step() == Step.PLATFORM_UPDATED);
        log.publish(new StepCompleted(rotationId, ref, Step.WORKLOADS_RESTARTED, spec, updated.material(),
                updated.previous(), Map.of(), Duration.ofSeconds(3)));
        StepCompleted revoked = log.await(StepCompleted.class,
                e -> e.rotationId().equals(rotationId) && e.step() == Step.OLD_REVOKED);

        assertThat(open(updated, Purpose.NEW).fields()).containsKeys(CredentialField.APPLICATION_CREDENTIAL_ID,
                CredentialField.APPLICATION_CREDENTIAL_SECRET);
        assertThat(revoked.details()).containsEntry("applicationCredentialId", initial.id());
        assertThat(KEYSTONE.applicationCredentialCount(user.id())).isEqualTo(1);
    }

    private CredentialRef secret(String name, String cloudsYaml) {
        sandbox.client().secrets().inNamespace(sandbox.namespace()).resource(new SecretBuilder()
                .withNewMetadata().withName(name).withLabels(Map.of(ManagedCredentials.CREDENTIAL_LABEL, name))
                .endMetadata()
                .withStringData(Map.of("clouds.yaml", cloudsYaml)).build()).create();
        return new CredentialRef(sandbox.namespace(), name);
    }

    private static ManagedCredentialSpec spec(CredentialRef ref, Strategy strategy, Identity identity,
            KeystoneOptions options) {
        return new ManagedCredentialSpec(Platform.OPENSTACK_KEYSTONE, strategy,
                new Endpoint(KEYSTONE.url().toString(), null, null, null, null), identity,
                List.of(new SecretTarget(ref.name(), SecretFormat.CLOUDS_YAML, null, null, "prod", null, null)),
                null, null, Duration.ZERO, null, null, null, options, null);
    }

    private CredentialMaterial open(StepCompleted event, Purpose purpose) {
        return CredentialMaterial.open(sealer, purpose == Purpose.NEW ? event.material() : event.previous(),
                event.rotationId(), event.credential(), purpose);
    }

    private static final String KEYSTONE_CLOUDS_WITH_PASSWORD = """
            clouds:
              prod:
                auth:
                  auth_url: %s
                  username: %s
                  password: "%s"
                  user_domain_name: Default
                region_name: RegionOne
            """;

    private static final String KEYSTONE_CLOUDS_WITH_APPLICATION_CREDENTIAL = """
            clouds:
              prod:
                auth_type: v3applicationcredential
                auth:
                  auth_url: %s
                  application_credential_id: %s
                  application_credential_secret: "%s"
            """;
}
