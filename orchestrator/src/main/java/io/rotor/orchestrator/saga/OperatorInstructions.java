package io.rotor.orchestrator.saga;

import io.rotor.contracts.credential.ConfigUiOptions;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.SecretTarget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What an operator is told to do for a manual rotation: where to sign in, whose password to change, how to confirm
 * (the sealing doors: dashboard and REST), by when, and when to cancel instead. Never a value.
 */
final class OperatorInstructions {

    private OperatorInstructions() {
    }

    static List<String> of(String rotationId, ManagedCredentialSpec spec, Instant deadline) {
        ConfigUiOptions ui = spec.configUi();
        String portal = ui != null && ui.portalUrl() != null ? ui.portalUrl() : "the Developer Portal";
        String user = ui != null && ui.adminUser() != null ? ui.adminUser()
                : spec.identity() != null && spec.identity().username() != null ? spec.identity().username()
                        : "the administrator";
        String secrets = spec.secretList().size() > 3 ? "the " + spec.secretList().size() + " Secrets that hold it"
                : spec.secretList().stream().map(OperatorInstructions::describe).collect(Collectors.joining(", "));
        List<String> steps = new ArrayList<>();
        steps.add("Sign in to " + portal + " as " + user + " and open the Admin view.");
        steps.add("Change the password of " + user + " to a new one that meets the portal's password rules.");
        steps.add("Confirm with that new password" + (deadline == null ? "" : " before " + deadline) + ": the "
                + "Confirm button of rotation " + rotationId + " on the Rotor dashboard, or POST /api/v1/rotations/"
                + rotationId + "/confirm with {\"password\": \"...\", \"confirmedBy\": \"user:<you>\"} and the API "
                + "token. Rotor seals it on arrival, writes " + secrets + " and restarts the workloads that read it.");
        steps.add("If you did not change the password, cancel instead: the dashboard's Cancel button, or POST "
                + "/api/v1/rotations/" + rotationId + "/cancel. Once you changed it, confirm rather than cancel, or "
                + "the Secret no longer matches the portal.");
        if (ui != null && ui.instructions() != null && !ui.instructions().isBlank()) {
            steps.add(ui.instructions());
        }
        return steps;
    }

    private static String describe(SecretTarget target) {
        String key = target.keys() == null ? null : target.keys().get("password");
        return "Secret " + target.name() + (key == null ? "" : " (key " + key + ")");
    }
}
