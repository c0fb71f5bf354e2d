package io.rotor.kit.rotation;

import io.rotor.kit.messaging.HandleLater;

/** The orchestrator's outcomes could not be read far enough, in time, to tell whether a rotation is in flight. */
public class OutcomesBehind extends HandleLater {

    public OutcomesBehind(String message) {
        super(message, null);
    }
}
