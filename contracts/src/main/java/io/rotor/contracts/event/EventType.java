package io.rotor.contracts.event;

import java.util.Arrays;
import java.util.Optional;

/**
 * The catalogue: every event's CloudEvents type (versioned, so a change of shape gets a new type) and where it is
 * published. A command's topic depends on the credential's platform, see {@link Topics#commandsFor}.
 */
public enum EventType {
    ROTATION_REQUESTED("io.rotor.rotation.requested.v1", RotationRequested.class, Topics.REQUESTS),
    OPERATOR_CONFIRMATION("io.rotor.operator.confirmation.v1", OperatorConfirmation.class, Topics.REQUESTS),
    /** The REST door's (and any holder of the sealing keys') confirmation: the password sealed, never plain. */
    OPERATOR_CONFIRMATION_SEALED("io.rotor.operator.confirmation.sealed.v1", SealedOperatorConfirmation.class,
            Topics.REQUESTS),
    CANCEL_ROTATION("io.rotor.rotation.cancel.v1", CancelRotation.class, Topics.REQUESTS),

    ROTATE_CREDENTIAL("io.rotor.command.rotate.v2", RotateCredential.class, null),

    /** On the topic of the one service entitled to report the step, see {@link StepProducer}. */
    STEP_COMPLETED("io.rotor.step.completed.v1", StepCompleted.class, null),
    STEP_FAILED("io.rotor.step.failed.v2", StepFailed.class, null),
    ROLLBACK_REQUESTED("io.rotor.rollback.requested.v1", RollbackRequested.class, Topics.EVENTS),

    ROTATION_STARTED("io.rotor.rotation.started.v2", RotationStarted.class, Topics.EVENTS),
    ROTATION_PLANNED("io.rotor.rotation.planned.v1", RotationPlanned.class, Topics.EVENTS),
    ROTATION_REJECTED("io.rotor.rotation.rejected.v1", RotationRejected.class, Topics.EVENTS),
    ROTATION_COALESCED("io.rotor.rotation.coalesced.v1", RotationCoalesced.class, Topics.EVENTS),
    ROTATION_AWAITING_OPERATOR("io.rotor.rotation.awaiting-operator.v1", RotationAwaitingOperator.class, Topics.EVENTS),
    ROTATION_STALLED("io.rotor.rotation.stalled.v1", RotationStalled.class, Topics.EVENTS),
    ROTATION_COMPLETED("io.rotor.rotation.completed.v1", RotationCompleted.class, Topics.EVENTS),
    ROTATION_FAILED("io.rotor.rotation.failed.v1", RotationFailed.class, Topics.EVENTS),
    ROTATION_ROLLED_BACK("io.rotor.rotation.rolled-back.v1", RotationRolledBack.class, Topics.EVENTS),
    ROTATION_CANCELLED("io.rotor.rotation.cancelled.v1", RotationCancelled.class, Topics.EVENTS),
    ROTATION_CONFIRMED("io.rotor.rotation.confirmed.v1", RotationConfirmed.class, Topics.EVENTS);

    private final String ceType;
    private final Class<? extends RotorEvent> javaType;
    private final String topic;

    EventType(String ceType, Class<? extends RotorEvent> javaType, String topic) {
        this.ceType = ceType;
        this.javaType = javaType;
        this.topic = topic;
    }

    /** The CloudEvents {@code type} attribute. */
    public String ceType() {
        return ceType;
    }

    public Class<? extends RotorEvent> javaType() {
        return javaType;
    }

    /** The topic this event is published on: for commands and steps it depends on what the event says. */
    public String topic(RotorEvent event) {
        if (event instanceof RotateCredential command) {
            return Topics.commandsFor(command.spec().platform());
        }
        if (event instanceof StepCompleted || event instanceof StepFailed) {
            StepEvent step = (StepEvent) event;
            return StepProducer.of(step.step(), step.platform()).topic();
        }
        return topic;
    }

    /**
     * Whether events of this type can arrive on the topic at all; the codec then checks the decoded event against
     * {@link #topic(RotorEvent)}, which for steps also says which producer's topic.
     */
    public boolean publishedOn(String topicName) {
        if (this == STEP_COMPLETED || this == STEP_FAILED) {
            return Topics.isSteps(topicName);
        }
        return topic == null ? topicName.startsWith(Topics.COMMANDS_PREFIX) : topic.equals(topicName);
    }

    public static Optional<EventType> fromCeType(String ceType) {
        return Arrays.stream(values()).filter(t -> t.ceType.equals(ceType)).findFirst();
    }

    public static EventType of(RotorEvent event) {
        for (EventType type : values()) {
            if (type.javaType == event.getClass()) {
                return type;
            }
        }
        throw new IllegalStateException("no event type registered for " + event.getClass().getName());
    }
}
