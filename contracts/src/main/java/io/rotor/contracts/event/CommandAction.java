package io.rotor.contracts.event;

/**
 * What a rotator is told to do on its commands topic. Revoking and rolling back are not commands: rotators react to
 * the step events on {@code rotor.events} (choreography), which keeps the orchestrator out of the hot path.
 */
public enum CommandAction {
    /** Put the new value on the platform next to (or instead of) the old one, and prove it works. */
    APPLY
}
