package io.rotor.orchestrator.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.envelope.DecodedEvent;
import io.rotor.contracts.event.CancelRotation;
import io.rotor.contracts.event.ConflictPolicy;
import io.rotor.contracts.event.RejectionReason;
import io.rotor.contracts.event.RotationCoalesced;
import io.rotor.contracts.event.RotationPlan;
import io.rotor.contracts.event.RotationPlanned;
import io.rotor.contracts.event.RotationRejected;
import io.rotor.contracts.event.RotationRequested;
import io.rotor.contracts.event.RotationStarted;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.password.PasswordGenerator;
import io.rotor.contracts.sealing.Keyring;
import io.rotor.contracts.sealing.SealingKeys;
import io.rotor.contracts.validation.Violation;
import io.rotor.orchestrator.registry.RegisteredCredential;
import io.rotor.orchestrator.saga.AnsweredRequest;
import io.rotor.orchestrator.saga.Decision;
import io.rotor.orchestrator.saga.Inbound;
import io.rotor.orchestrator.saga.SagaRecord;
import io.rotor.orchestrator.support.MemoryRegistry;
import io.rotor.orchestrator.support.Specs;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RequestHandlerTest {

    static final CredentialRef REF = CredentialRef.parse("shop/cache");
    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    final MemoryRegistry registry = new MemoryRegistry();
    final AtomicInteger ids = new AtomicInteger();
    final SealingKeys keys = SealingKeys.parse(Map.of("redis", "k=" + Keyring.generateKey(new SecureRandom()),
            "configui", "k=" + Keyring.generateKey(new SecureRandom())));
    final RequestHandler handler = new RequestHandler(registry, Set.of("redis", "configui"),
            new RotationStarter(new PasswordGenerator(new SecureRandom()), keys),
            c -> new RotationPlan(List.of("call"), List.of(), List.of(), null, Duration.ZERO, null), keys,
            Clock.fixed(NOW, ZoneOffset.UTC), () -> "r" + ids.incrementAndGet(), 4);
    SagaRecord state;
    long offset = 10;

    @Test
    void anUnknownCredentialIsRejectedAndLeavesNoState() {
        Decision d = request("q1", false, null);

        assertThat(rejection(d).reason()).isEqualTo(RejectionReason.UNKNOWN_CREDENTIAL);
        assertThat(d.state()).isNull();
    }

    @Test
    void aCredentialInANamespaceThatIsNotWatchedIsUnknownAndTheAnswerSaysWhy() {
        registry.watchOnly("other");

        assertThat(rejection(request("q1", false, null)).message()).contains("namespace shop is not watched");
    }

    @Test
    void anInvalidSpecIsRejectedWithItsProblemsAndTheAnswerIsRemembered() {
        registry.put(new RegisteredCredential(REF, "uid", 3, NOW, null,
                List.of(new Violation("spec.endpoint.hosts", "must list every Redis node")), null));

        Decision d = request("q1", false, null);

        assertThat(rejection(d).reason()).isEqualTo(RejectionReason.INVALID_SPEC);
        assertThat(rejection(d).message()).contains("generation 3").contains("spec.endpoint.hosts");
        assertThat(state.answered("q1")).isPresent();
    }

    @Test
    void aPlatformWhoseRotatorIsNotDeployedIsRejected() {
        registry.put(valid(Specs.read("""
                {"platform":"openstack-keystone","strategy":"replace","endpoint":{"url":"https://k:5000/v3"},
                 "identity":{"userId":"u1"},"secrets":[{"name":"c","format":"clouds-yaml","cloud":"prod"}]}""")));

        assertThat(rejection(request("q1", false, null)).reason()).isEqualTo(RejectionReason.NO_ROTATOR);
    }

    @Test
    void aPolicyNoPasswordCanMeetIsAnInvalidSpec() {
        registry.put(valid(Specs.read("""
                {"platform":"redis-acl","strategy":"dual-password","endpoint":{"hosts":["r:6379"]},
                 "identity":{"username":"u"},"secrets":[{"name":"s","format":"keys","keys":{"password":"p"}}],
                 "passwordPolicy":{"length":8,"minDigits":4,"excludedCharacters":"0123456789"}}""")));

        assertThat(rejection(request("q1", false, null)).message()).contains("password policy");
    }

    @Test
    void aStartIsPublishedAsRotationStartedOnlyAndMarkedPending() {
        registry.put(valid(Specs.redisAcl()));

        Decision d = request("q1", false, null);

        assertThat(d.publish()).singleElement().isInstanceOfSatisfying(RotationStarted.class, s -> {
            assertThat(s.rotationId()).isEqualTo("r1");
            assertThat(s.material()).containsOnlyKeys("password");
        });
        assertThat(state.pending().rotationId()).isEqualTo("r1");
        assertThat(state.answered("q1").orElseThrow().answer()).isEqualTo(AnsweredRequest.Answer.STARTED);
    }

    @Test
    void aRequestWhileAStartIsPendingJoinsItOrIsRejectedIfItAsksTo() {
        registry.put(valid(Specs.redisAcl()));
        request("q1", false, null);

        Decision joined = request("q2", false, null);
        Decision refused = request("q3", false, ConflictPolicy.REJECT);

        assertThat(joined.publish()).singleElement().isInstanceOfSatisfying(RotationCoalesced.class,
                c -> assertThat(c.rotationId()).isEqualTo("r1"));
        assertThat(rejection(refused).reason()).isEqualTo(RejectionReason.ROTATION_IN_FLIGHT);
        assertThat(rejection(refused).rotationId()).isEqualTo("r1");
    }

    @Test
    void aRepeatedRequestIdIsAnsweredAsBeforeWithoutAnotherStart() {
        registry.put(valid(Specs.redisAcl()));
        request("q1", false, null);

        Decision again = request("q1", false, null);

        assertThat(again.publish()).singleElement().isInstanceOfSatisfying(RotationCoalesced.class,
                c -> assertThat(c.rotationId()).isEqualTo("r1"));
        assertThat(ids).hasValue(1);
    }

    @Test
    void aRedeliveredRequestAlreadyInTheStateIsSkipped() {
        registry.put(valid(Specs.redisAcl()));
        request("q1", false, null);

        Decision replay = handler.decide(inbound(new RotationRequested("q1", REF, null, false, "user:t", null),
                offset), 0);

        assertThat(replay).isEqualTo(Decision.none());
    }

    @Test
    void aDryRunPlansAndIsNotRemembered() {
        registry.put(valid(Specs.redisAcl()));

        Decision d = request("q1", true, null);

        assertThat(d.publish()).singleElement().isInstanceOf(RotationPlanned.class);
        assertThat(d.state()).isNull();
    }

    @Test
    void onlyAManualRotationWaitingForItsOperatorCanBeCancelled() {
        registry.put(valid(Specs.redisAcl()));
        request("q1", false, null);

        Decision d = decide(new CancelRotation("c1", "r1", REF, "changed my mind", "user:t"));

        assertThat(rejection(d).reason()).isEqualTo(RejectionReason.ROTATION_NOT_WAITING);
    }

    private Decision request(String requestId, boolean dryRun, ConflictPolicy policy) {
        return decide(new RotationRequested(requestId, REF, "test", dryRun, "user:t", policy));
    }

    private Decision decide(RotorEvent event) {
        Decision d = handler.decide(inbound(event, ++offset), 0);
        if (d.state() != null) {
            state = d.state();
        }
        return d;
    }

    private Inbound inbound(RotorEvent event, long at) {
        return new Inbound(new DecodedEvent("id", "/test", NOW, event.eventType(), event, null), state,
                event.eventType().topic(event), 0, at, NOW);
    }

    private static RotationRejected rejection(Decision d) {
        assertThat(d.publish()).singleElement().isInstanceOf(RotationRejected.class);
        return (RotationRejected) d.publish().get(0);
    }

    private static RegisteredCredential valid(ManagedCredentialSpec spec) {
        return new RegisteredCredential(REF, "uid", 1, NOW, spec, List.of(), null);
    }
}
