package io.rotor.kit.participant;

import static io.rotor.kit.participant.Fixtures.command;
import static io.rotor.kit.participant.Fixtures.decoded;
import static io.rotor.kit.participant.Fixtures.open;
import static io.rotor.kit.participant.Fixtures.spec;
import static io.rotor.kit.participant.Fixtures.stepCompleted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.envelope.CloudEventCodec;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.event.StepFailed;
import io.rotor.contracts.policy.EndpointPolicy;
import io.rotor.contracts.saga.Step;
import io.rotor.contracts.sealing.CredentialMaterial.Purpose;
import io.rotor.kit.lookup.KeysFormatCurrentValueReader;
import io.rotor.kit.messaging.InboundProcessor;
import io.rotor.kit.timer.ManualTimers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParticipantRuntimeTest {

    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration DELAY = Duration.ofMinutes(5);

    private final ManualTimers timers = new ManualTimers(START);
    private final InMemoryPlatform platform = new InMemoryPlatform();
    private final InMemorySecrets secrets = new InMemorySecrets();
    private final CollectingPublisher publisher = new CollectingPublisher();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final StartedRotations started = new StartedRotations();
    private final ParticipantRuntime runtime = new ParticipantRuntime(List.of(platform),
            new KeysFormatCurrentValueReader(secrets), Fixtures.KEYS, publisher,
            new InboundProcessor(new CloudEventCodec("/test"), publisher), timers, ParticipantSettings.forTests(3),
            new ParticipantMetrics(registry), started, EndpointPolicy.parse(
                    "namespaces: {'*': {redis-acl: {hosts: ['127.0.0.1']}}}".getBytes(), "test"));

    @AfterEach
    void close() {
        runtime.close();
    }

    private CredentialRef credential(String name, String password) {
        CredentialRef ref = CredentialRef.parse("shop/" + name);
        platform.user(name, password);
        secrets.put("shop", name + "-secret", Map.of("password", password));
        return ref;
    }

    private ManagedCredentialSpec specOf(CredentialRef ref) {
        return spec(ref.name(), ref.name() + "-secret", Strategy.DUAL_PASSWORD, DELAY);
    }

    /** The record, as of a rotation the orchestrator started (the one in the record, with the record's spec). */
    private io.rotor.contracts.envelope.DecodedEvent started(RotorEvent event, Instant time) {
        if (event instanceof io.rotor.contracts.event.RotateCredential c) {
            started.start(c.rotationId(), c.credential(), c.spec());
        } else if (event instanceof io.rotor.contracts.event.StepCompleted e
                && started.current(e.credential(), e.rotationId()).toCompletableFuture().isCompletedExceptionally()) {
            started.start(e.rotationId(), e.credential(), e.spec());
        }
        return decoded(event, time);
    }

    private static List<RotorEvent> result(CompletionStage<List<RotorEvent>> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void applyPutsTheNewPasswordBesideTheOldAndHandsBothOnSealed() throws Exception {
        CredentialRef ref = credential("cache", "old-pw");

        List<RotorEvent> answer = result(runtime.onCommand(started(command("r1", ref, specOf(ref), "new-pw"), START)));

        assertThat(answer).singleElement().isInstanceOfSatisfying(StepCompleted.class, done -> {
            assertThat(done.step()).isEqualTo(Step.PLATFORM_UPDATED);
            assertThat(open(done.material(), "r1", ref, Purpose.NEW)).isEqualTo("new-pw");
            assertThat(open(done.previous(), "r1", ref, Purpose.PREVIOUS)).isEqualTo("old-pw");
            assertThat(done.details()).containsEntry("changed", "true").containsEntry("users", "1");
        });
        assertThat(platform.accepts("cache", "old-pw")).isTrue();
        assertThat(platform.accepts("cache", "new-pw")).isTrue();
    }

    @Test
    void aRedeliveredCommandWhoseValueAlreadyWorksIsAnsweredWithoutASecondChange() throws Exception {
        CredentialRef ref = credential("orders", "old-pw");
        var cmd = command("r2", ref, specOf(ref), "new-pw");
        result(runtime.onCommand(started(cmd, START)));

        List<RotorEvent> again = result(runtime.onCommand(started(cmd, START)));

        assertThat(platform.changes).hasValue(1);
        assertThat(again).singleElement().isInstanceOfSatisfying(StepCompleted.class,
                done -> assertThat(done.details()).containsEntry("changed", "false"));
    }

    @Test
    void aRedeliveredCommandWhoseValueIsAlreadyInTheSecretIsAcknowledgedWithoutAnswer() throws Exception {
        CredentialRef ref = credential("carts", "old-pw");
        var cmd = command("r3", ref, specOf(ref), "new-pw");
        result(runtime.onCommand(started(cmd, START)));
        secrets.put("shop", "carts-secret", Map.of("password", "new-pw"));

        List<RotorEvent> again = result(runtime.onCommand(started(cmd, START)));

        assertThat(again).isEmpty();
        assertThat(platform.applyCalls).hasValue(1);
    }

    @Test
    void transientFailuresAreAnnouncedAndRetriedWithBackoff() throws Exception {
        CredentialRef ref = credential("users", "old-pw");
        platform.applyFailures.add(new PlatformException(InMemoryPlatform.Failure.NODE_DOWN, "node 2 is down"));
        platform.applyFailures.add(new PlatformException(InMemoryPlatform.Failure.NODE_DOWN, "node 2 is down"));

        CompletionStage<List<RotorEvent>> answer = runtime.onCommand(started(command("r4", ref, specOf(ref), "new-pw"),
                START));

        await().until(() -> timers.pending() == 1);
        assertThat(timers.nextDue()).isEqualTo(START.plusSeconds(1));
        timers.advance(Duration.ofSeconds(1));
        await().until(() -> timers.pending() == 1);
        assertThat(timers.nextDue()).isEqualTo(START.plusSeconds(3));
        timers.advance(Duration.ofSeconds(2));

        assertThat(result(answer)).singleElement().isInstanceOf(StepCompleted.class);
        assertThat(publisher.published).hasSize(2).allSatisfy(e -> assertThat(e).isInstanceOfSatisfying(
                StepFailed.class, f -> {
                    assertThat(f.retriable()).isTrue();
                    assertThat(f.errorCode()).isEqualTo("node_down");
                    assertThat(f.step()).isEqualTo(Step.PLATFORM_UPDATED);
                }));
        assertThat(((StepFailed) publisher.published.get(1)).attempt()).isEqualTo(2);
    }

    @Test
    void aPermanentFailureIsNotRetried() throws Exception {
        CredentialRef ref = credential("refused", "old-pw");
        platform.applyFailures.add(new PlatformException(InMemoryPlatform.Failure.REFUSED, "password not complex"));

        List<RotorEvent> answer = result(runtime.onCommand(started(command("r5", ref, specOf(ref), "new-pw"), START)));

        assertThat(answer).singleElement().isInstanceOfSatisfying(StepFailed.class, f -> {
            assertThat(f.retriable()).isFalse();
            assertThat(f.errorCode()).isEqualTo("refused");
            assertThat(f.attempt()).isEqualTo(1);
            assertThat(f.message()).contains("password not complex");
        });
        assertThat(platform.applyCalls).hasValue(1);
        assertThat(platform.removeNewCalls).hasValue(0);
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void retriesAreBoundedAndAPartialChangeIsRemovedWhenTheStepIsGivenUp() throws Exception {
        CredentialRef ref = credential("partial", "old-pw");
        platform.failAfterAdding = new PlatformException(InMemoryPlatform.Failure.NODE_DOWN, "node 3 went away");

        CompletionStage<List<RotorEvent>> answer = runtime.onCommand(started(command("r6", ref, specOf(ref), "new-pw"),
                START));
        for (int i = 0; i < 2; i++) {
            await().until(() -> timers.pending() == 1);
            timers.advance(Duration.ofSeconds(10));
        }

        assertThat(result(answer)).singleElement().isInstanceOfSatisfying(StepFailed.class, f -> {
            assertThat(f.retriable()).isFalse();
            assertThat(f.attempt()).isEqualTo(3);
            assertThat(f.message()).contains("gave up after 3 attempts").contains("removed again");
        });
        assertThat(platform.applyCalls).hasValue(3);
        assertThat(platform.accepts("partial", "new-pw")).isFalse();
        assertThat(platform.accepts("partial", "old-pw")).isTrue();
    }

    @Test
    void aNewValueThatDoesNotVerifyIsRemovedAgain() throws Exception {
        CredentialRef ref = credential("unverified", "old-pw");
        platform.verifyFailures.add(new PlatformException(InMemoryPlatform.Failure.REFUSED, "AUTH refused on node 1"));

        List<RotorEvent> answer = result(runtime.onCommand(started(command("r7", ref, specOf(ref), "new-pw"), START)));

        assertThat(answer).singleElement().isInstanceOfSatisfying(StepFailed.class,
                f -> assertThat(f.message()).contains("AUTH refused on node 1").contains("removed again"));
        assertThat(platform.snapshot("unverified")).hasSize(1);
        assertThat(platform.accepts("unverified", "old-pw")).isTrue();
    }

    @Test
    void theOldValueIsRevokedOnlyAfterThePropagationDelayCountedFromTheEventTime() throws Exception {
        CredentialRef ref = credential("sessions", "old-pw");
        ManagedCredentialSpec spec = specOf(ref);
        result(runtime.onCommand(started(command("r8", ref, spec, "new-pw"), START)));
        Instant restartedAt = START.minusSeconds(60);

        CompletionStage<List<RotorEvent>> answer = runtime.onEvent(started(
                stepCompleted(Step.WORKLOADS_RESTARTED, "r8", ref, spec, "new-pw", "old-pw"), restartedAt));

        assertThat(runtime.retirementsWaiting()).isEqualTo(1);
        timers.advance(DELAY.minusSeconds(61));
        assertThat(answer.toCompletableFuture()).isNotDone();
        assertThat(platform.accepts("sessions", "old-pw")).isTrue();
        timers.advance(Duration.ofSeconds(1));

        assertThat(result(answer)).singleElement().isInstanceOfSatisfying(StepCompleted.class, done -> {
            assertThat(done.step()).isEqualTo(Step.OLD_REVOKED);
            assertThat(done.details()).containsEntry("changed", "true");
            assertThat(done.duration()).isEqualTo(DELAY);
        });
        assertThat(platform.accepts("sessions", "old-pw")).isFalse();
        assertThat(platform.accepts("sessions", "new-pw")).isTrue();
        assertThat(runtime.retirementsWaiting()).isZero();
    }

    @Test
    void anEventRedeliveredAfterItsDueTimeRevokesAtOnce() throws Exception {
        CredentialRef ref = credential("late", "old-pw");
        ManagedCredentialSpec spec = specOf(ref);
        result(runtime.onCommand(started(command("r9", ref, spec, "new-pw"), START)));

        List<RotorEvent> answer = result(runtime.onEvent(started(
                stepCompleted(Step.WORKLOADS_RESTARTED, "r9", ref, spec, "new-pw", "old-pw"), START.minus(DELAY))));

        assertThat(answer).singleElement().isInstanceOf(StepCompleted.class);
        assertThat(platform.accepts("late", "old-pw")).isFalse();
    }

    @Test
    void aWaitingRevokeDoesNotHoldUpOtherCredentials() throws Exception {
        CredentialRef waiting = credential("waiting", "old-a");
        CredentialRef other = credential("other", "old-b");
        result(runtime.onCommand(started(command("ra", waiting, specOf(waiting), "new-a"), START)));
        CompletionStage<List<RotorEvent>> revoke = runtime.onEvent(started(
                stepCompleted(Step.WORKLOADS_RESTARTED, "ra", waiting, specOf(waiting), "new-a", "old-a"), START));

        List<RotorEvent> otherAnswer = result(runtime.onCommand(started(command("rb", other, specOf(other), "new-b"),
                START)));

        assertThat(otherAnswer).singleElement().isInstanceOf(StepCompleted.class);
        assertThat(revoke.toCompletableFuture()).isNotDone();
    }

    @Test
    void oneCredentialsApplyAndRevokeNeverRunAtOnce() throws Exception {
        CredentialRef ref = credential("serial", "old-pw");
        platform.applyGate = new java.util.concurrent.CountDownLatch(1);
        CompletionStage<List<RotorEvent>> apply = runtime.onCommand(started(command("r20", ref, specOf(ref), "new-pw"),
                START));
        await().until(() -> platform.applyCalls.get() == 1);

        CompletionStage<List<RotorEvent>> revoke = runtime.onEvent(started(
                stepCompleted(Step.WORKLOADS_RESTARTED, "r19", ref, specOf(ref), "new-pw", "old-pw"),
                START.minus(DELAY)));
        await().during(java.time.Duration.ofMillis(300)).until(() -> platform.revokeCalls.get() == 0);
        platform.applyGate.countDown();

        assertThat(result(apply)).singleElement().isInstanceOf(StepCompleted.class);
        assertThat(result(revoke)).singleElement().isInstanceOf(StepCompleted.class);
        assertThat(platform.revokeCalls).hasValue(1);
    }

    @Test
    void anEventRedeliveredWhileItsRevokeIsWaitingRevokesOnceAndAnswersOnce() throws Exception {
        CredentialRef ref = credential("twice", "old-pw");
        ManagedCredentialSpec spec = specOf(ref);
        result(runtime.onCommand(started(command("r10", ref, spec, "new-pw"), START)));
        StepCompleted restarted = stepCompleted(Step.WORKLOADS_RESTARTED, "r10", ref, spec, "new-pw", "old-pw");

        CompletionStage<List<RotorEvent>> first = runtime.onEvent(started(restarted, START));
        CompletionStage<List<RotorEvent>> second = runtime.onEvent(started(restarted, START));
        timers.advance(DELAY);

        assertThat(result(first)).hasSize(1);
        assertThat(result(second)).isEmpty();
        assertThat(platform.revokeCalls).hasValue(1);
    }

    @Test
    void aRevokeThatFindsTheOldValueGoneReportsNoChange() throws Exception {
        CredentialRef ref = credential("gone", "new-pw");

        List<RotorEvent> answer = result(runtime.onEvent(started(
                stepCompleted(Step.WORKLOADS_RESTARTED, "r11", ref, specOf(ref), "new-pw", "old-pw"),
                START.minus(DELAY))));

        assertThat(answer).singleElement().isInstanceOfSatisfying(StepCompleted.class,
                done -> assertThat(done.details()).containsEntry("changed", "false"));
    }

    @Test
    void aRollbackRemovesTheNewValueAfterThePropagationDelay() throws Exception {
        CredentialRef ref = credential("rolled", "old-pw");
        ManagedCredentialSpec spec = specOf(ref);
        result(runtime.onCommand(started(command("r12", ref, spec, "new-pw"), START)));

        CompletionStage<List<RotorEvent>> answer = runtime.onEvent(started(
                stepCompleted(Step.WORKLOADS_RESTORED, "r12", ref, spec, "new-pw", "old-pw"), START));
        timers.advance(DELAY);

        assertThat(result(answer)).singleElement().isInstanceOfSatisfying(StepCompleted.class,
                done -> assertThat(done.step()).isEqualTo(Step.NEW_REVOKED));
        assertThat(platform.accepts("rolled", "new-pw")).isFalse();
        assertThat(platform.accepts("rolled", "old-pw")).isTrue();
    }

    @Test
    void eventsOfOtherStepsAndOfReplaceRotationsAreNotForTheRotator() throws Exception {
        CredentialRef ref = credential("ignored", "old-pw");
        ManagedCredentialSpec replace = spec("ignored", "ignored-secret", Strategy.REPLACE, DELAY);

        assertThat(result(runtime.onEvent(started(stepCompleted(Step.SECRET_WRITTEN, "r13", ref, specOf(ref),
                "new-pw", "old-pw"), START)))).isEmpty();
        // REDIS_ACL does not allow replace, but the runtime must not rely on validation to ignore it.
        assertThat(result(runtime.onEvent(started(stepCompleted(Step.WORKLOADS_RESTARTED, "r13", ref, replace,
                "new-pw", "old-pw"), START)))).isEmpty();
        assertThat(timers.pending()).isZero();
    }

    @Test
    void aRevokeFailingForGoodIsReportedAsAFailedStep() throws Exception {
        CredentialRef ref = credential("stuck", "old-pw");
        platform.revokeFailures.add(new PlatformException(InMemoryPlatform.Failure.REFUSED, "NOPERM"));

        List<RotorEvent> answer = result(runtime.onEvent(started(
                stepCompleted(Step.WORKLOADS_RESTARTED, "r14", ref, specOf(ref), "new-pw", "old-pw"),
                START.minus(DELAY))));

        assertThat(answer).singleElement().isInstanceOfSatisfying(StepFailed.class, f -> {
            assertThat(f.step()).isEqualTo(Step.OLD_REVOKED);
            assertThat(f.retriable()).isFalse();
        });
    }

    @Test
    void aCommandWhoseSealedValueDoesNotOpenFailsWithoutTouchingThePlatform() throws Exception {
        CredentialRef ref = credential("tampered", "old-pw");
        var cmd = command("r15", ref, specOf(ref), "new-pw");
        var sealedForAnotherRotation = command("other", ref, specOf(ref), "new-pw").material();
        var tampered = new io.rotor.contracts.event.RotateCredential(cmd.rotationId(), ref, cmd.action(), cmd.spec(),
                sealedForAnotherRotation, cmd.specDigest());

        List<RotorEvent> answer = result(runtime.onCommand(started(tampered, START)));

        assertThat(answer).singleElement().isInstanceOfSatisfying(StepFailed.class,
                f -> assertThat(f.errorCode()).isEqualTo("sealed_value_unreadable"));
        assertThat(platform.applyCalls).hasValue(0);
    }

    @Test
    void aMissingSecretIsAClearPermanentFailure() throws Exception {
        CredentialRef ref = CredentialRef.parse("shop/nosecret");
        platform.user("nosecret", "old-pw");

        List<RotorEvent> answer = result(runtime.onCommand(started(command("r16", ref, specOf(ref), "new-pw"), START)));

        assertThat(answer).singleElement().isInstanceOfSatisfying(StepFailed.class, f -> {
            assertThat(f.errorCode()).isEqualTo("secret_not_found");
            assertThat(f.message()).contains("shop/nosecret-secret");
        });
    }

    @Test
    void stepsAreCountedPerPlatformStepAndOutcome() throws Exception {
        CredentialRef ref = credential("metered", "old-pw");
        result(runtime.onCommand(started(command("r17", ref, specOf(ref), "new-pw"), START)));

        assertThat(registry.get("rotor.rotator.steps").tag("platform", "redis-acl").tag("step", "PLATFORM_UPDATED")
                .tag("outcome", "changed").timer().count()).isEqualTo(1);
    }
}
