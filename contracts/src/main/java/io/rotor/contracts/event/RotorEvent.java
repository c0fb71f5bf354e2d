package io.rotor.contracts.event;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.validation.Validatable;

/**
 * Every record Rotor reads or writes. The four families map to topics: requests to {@code rotor.requests}, commands
 * to {@code rotor.commands.<rotator>}, step events and outcomes to {@code rotor.events}.
 */
public sealed interface RotorEvent extends Validatable
        permits RotationRequest, PlatformCommand, StepEvent, RotationOutcome {

    /** The credential, which is the record key and the CloudEvents subject. */
    CredentialRef credential();

    /** The rotation this event belongs to; null only for a request that has not been assigned one yet. */
    String rotationId();

    default EventType eventType() {
        return EventType.of(this);
    }
}
