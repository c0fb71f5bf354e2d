package io.rotor.orchestrator.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.envelope.DecodedEvent;
import io.rotor.contracts.event.CancelRotation;
import io.rotor.contracts.event.OperatorConfirmation;
import io.rotor.contracts.event.RejectionReason;
import io.rotor.contracts.event.RotateCredential;
import io.rotor.contracts.event.RotationCancelled;
import io.rotor.contracts.event.RotationConfirmed;
import io.rotor.contracts.event.RotationRejected;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.SealedOperatorConfirmation;
import io.rotor.contracts.saga.SagaState;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.Keyring;
import io.rotor.contracts.sealing.SealedValue;
import io.rotor.contracts.sealing.SealingKeys;
import io.rotor.contracts.sealing.SecretValue;
import io.rotor.orchestrator.saga.ActiveRotation;
import io.rotor.orchestrator.saga.Decision;
import io.rotor.orchestrator.saga.Inbound;
import io.rotor.orchestrator.saga.SagaRecord;
import io.rotor.orchestrator.support.Specs;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorRequestsTest {

    static final CredentialRef REF = CredentialRef.parse("mashery/configui-admin");
    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    static final String CHOSEN = "Operator-Chosen-Pw-1";

    final SealingKeys keys = SealingKeys.parse(Map.of("redis", "k=" + Keyring.generateKey(new SecureRandom()),
            "configui", "k=" + Keyring.generateKey(new SecureRandom())));
    final OperatorRequests strict = new OperatorRequests(keys, Clock.fixed(NOW, ZoneOffset.UTC), 8, false);
    final OperatorRequests lenient = new OperatorRequests(keys, Clock.fixed(NOW, ZoneOffset.UTC), 8, true);
    SagaRecord state = waiting(Specs.configUi("manual"));
    long offset = 10;

    @Test
    void aSealedConfirmationIsAnsweredConfirmedAndItsSealedValueGoesToTheRotatorAsItIs() {
        Map<String, SealedValue> sealed = seal("r1", CHOSEN);

        Decision d = strict.confirm(new SealedOperatorConfirmation("c1", "r1", REF, sealed, "user:alice"), in());

        assertThat(d.publish()).hasSize(2);
        assertThat(d.publish().get(0)).isInstanceOfSatisfying(RotationConfirmed.class, c -> {
            assertThat(c.requestId()).isEqualTo("c1");
            assertThat(c.confirmedBy()).isEqualTo("user:alice");
        });
        assertThat(d.publish().get(1)).isInstanceOfSatisfying(RotateCredential.class, c -> {
            assertThat(c.material()).isEqualTo(sealed);
            assertThat(open(c.material(), "r1")).isEqualTo(CHOSEN);
        });
        assertThat(d.state().active().operatorConfirmed()).isTrue();
        assertThat(d.state().active().material()).isEqualTo(sealed);
    }

    @Test
    void aPlainConfirmationOnTheTopicIsRefusedByDefaultAndTellsTheOperatorWhatToDo() {
        Decision d = strict.confirm(new OperatorConfirmation("c1", "r1", REF, SecretValue.of(CHOSEN), "user:alice"),
                in());

        RotationRejected rejected = rejection(d);
        assertThat(rejected.reason()).isEqualTo(RejectionReason.NOT_AUTHORIZED);
        assertThat(rejected.message()).contains("Treat that password as exposed")
                .contains("POST /api/v1/rotations/r1/confirm").doesNotContain(CHOSEN);
        assertThat(d.state().active().operatorConfirmed()).isFalse();
    }

    @Test
    void aPlainConfirmationIsSealedAtOnceWhereTheInstallationAcceptsThem() {
        SecretValue password = SecretValue.of(CHOSEN);

        Decision d = lenient.confirm(new OperatorConfirmation("c1", "r1", REF, password, "user:alice"), in());

        assertThat(d.publish().get(1)).isInstanceOfSatisfying(RotateCredential.class,
                c -> assertThat(open(c.material(), "r1")).isEqualTo(CHOSEN));
        assertThat(password).as("the plain value is wiped once sealed").isNotEqualTo(SecretValue.of(CHOSEN));
    }

    @Test
    void aSealedConfirmationForAnotherRotationDoesNotOpenAndIsRefused() {
        Decision d = strict.confirm(new SealedOperatorConfirmation("c1", "r1", REF, seal("r0", CHOSEN), "user:eve"),
                in());

        assertThat(rejection(d).reason()).isEqualTo(RejectionReason.NOT_AUTHORIZED);
        assertThat(rejection(d).message()).contains("does not open");
    }

    @Test
    void aConfirmationForARotationThatIsNotWaitingIsRefusedWithTheReason() {
        state = state.withActive(state.active().movedTo(SagaState.PLATFORM_UPDATED, NOW));

        RotationRejected rejected = rejection(strict.confirm(
                new SealedOperatorConfirmation("c1", "r1", REF, seal("r1", CHOSEN), "user:alice"), in()));

        assertThat(rejected.reason()).isEqualTo(RejectionReason.ROTATION_NOT_WAITING);
        assertThat(rejected.message()).contains("is PLATFORM_UPDATED, no longer waiting for its operator");
    }

    @Test
    void aSecondConfirmationIsRefusedButARepeatOfTheFirstGetsTheSameAnswer() {
        confirm("c1");

        RotationRejected second = rejection(strict.confirm(
                new SealedOperatorConfirmation("c2", "r1", REF, seal("r1", "Another-Pw-2"), "user:bob"), in()));
        Decision repeat = strict.confirm(new SealedOperatorConfirmation("c1", "r1", REF, seal("r1", CHOSEN),
                "user:alice"), in());

        assertThat(second.reason()).isEqualTo(RejectionReason.ROTATION_NOT_WAITING);
        assertThat(second.message()).contains("already confirmed");
        assertThat(repeat.publish()).singleElement().isInstanceOfSatisfying(RotationConfirmed.class,
                c -> assertThat(c.confirmedBy()).isEqualTo("user:alice"));
    }

    @Test
    void aConfirmationForAnUnknownRotationIsRefused() {
        RotationRejected rejected = rejection(strict.confirm(
                new SealedOperatorConfirmation("c1", "r9", REF, seal("r9", CHOSEN), "user:alice"), in()));

        assertThat(rejected.reason()).isEqualTo(RejectionReason.ROTATION_NOT_WAITING);
        assertThat(rejected.message()).contains("rotation r9 is not in flight");
    }

    @Test
    void cancellingAWaitingRotationEndsItWithoutAnyCommand() {
        Decision d = strict.cancel(new CancelRotation("x1", "r1", REF, "not today", "user:alice"), in());

        assertThat(d.publish()).singleElement().isInstanceOfSatisfying(RotationCancelled.class, c -> {
            assertThat(c.requestId()).isEqualTo("x1");
            assertThat(c.cancelledBy()).isEqualTo("user:alice");
        });
        assertThat(d.state().active()).isNull();
        assertThat(d.state().last().outcome().name()).isEqualTo("CANCELLED");
    }

    @Test
    void aConfirmedRotationCanNoLongerBeCancelled() {
        confirm("c1");

        RotationRejected rejected = rejection(strict.cancel(new CancelRotation("x1", "r1", REF, null, "user:bob"),
                in()));

        assertThat(rejected.reason()).isEqualTo(RejectionReason.ROTATION_NOT_WAITING);
    }

    @Test
    void aRotationUnderAnotherStrategyCannotBeCancelled() {
        state = waiting(Specs.configUi("replace")).withActive(waiting(Specs.configUi("replace")).active()
                .movedTo(SagaState.STARTED, NOW));

        RotationRejected rejected = rejection(strict.cancel(new CancelRotation("x1", "r1", REF, null, "user:bob"),
                in()));

        assertThat(rejected.message()).contains("strategy replace and may already have changed the credential");
    }

    private void confirm(String requestId) {
        Decision d = strict.confirm(new SealedOperatorConfirmation(requestId, "r1", REF, seal("r1", CHOSEN),
                "user:alice"), in());
        state = d.state();
    }

    private Inbound in() {
        RotorEvent any = new CancelRotation("probe", "r1", REF, null, "user:t");
        return new Inbound(new DecodedEvent("id", "/test", NOW, any.eventType(), any, null), state,
                any.eventType().topic(any), 0, ++offset, NOW);
    }

    private Map<String, SealedValue> seal(String rotationId, String password) {
        return CredentialMaterial.password(SecretValue.of(password)).seal(keys.sealerFor(Platform.CONFIGUI), rotationId, REF,
                CredentialMaterial.Purpose.NEW);
    }

    private String open(Map<String, SealedValue> sealed, String rotationId) {
        return CredentialMaterial.open(keys.sealerFor(Platform.CONFIGUI), sealed, rotationId, REF, CredentialMaterial.Purpose.NEW)
                .require(CredentialField.PASSWORD).reveal();
    }

    private static SagaRecord waiting(ManagedCredentialSpec spec) {
        ActiveRotation active = new ActiveRotation("r1", "q1", "user:t", null, spec, Map.of(), null,
                SagaState.AWAITING_OPERATOR, NOW, NOW, List.of(), null, null, null, false);
        return SagaRecord.empty(REF, 0).withActive(active);
    }

    private static RotationRejected rejection(Decision d) {
        assertThat(d.publish()).singleElement().isInstanceOf(RotationRejected.class);
        return (RotationRejected) d.publish().get(0);
    }
}
