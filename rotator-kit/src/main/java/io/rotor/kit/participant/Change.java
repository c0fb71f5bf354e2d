package io.rotor.kit.participant;

import java.util.Map;

/**
 * What {@link PlatformAdapter#revoke} or {@link PlatformAdapter#removeNew} did.
 *
 * @param changed false when there was nothing left to remove (a redelivered event, a compensation after a failed
 *                apply that never got that far)
 */
public record Change(boolean changed, Map<String, String> details) {

    public Change {
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    public static Change changed(Map<String, String> details) {
        return new Change(true, details);
    }

    public static Change unchanged(Map<String, String> details) {
        return new Change(false, details);
    }
}
