package io.rotor.orchestrator.saga;

import io.rotor.contracts.credential.ConfigUiOptions;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import java.util.ArrayList;
import java.util.List;

/** What an operator is told to do for a manual rotation. */
final class OperatorInstructions {

    private OperatorInstructions() {
    }

    static List<String> of(String rotationId, ManagedCredentialSpec spec) {
        ConfigUiOptions ui = spec.configUi();
        String portal = ui != null && ui.portalUrl() != null ? ui.portalUrl() : "the Developer Portal";
        String user = ui != null && ui.adminUser() != null ? ui.adminUser()
                : spec.identity() != null && spec.identity().username() != null ? spec.identity().username()
                        : "the administrator";
        List<String> steps = new ArrayList<>();
        steps.add("Sign in to " + portal + " and open the Admin view.");
        steps.add("Change the password of " + user + " to a new one that meets the product's password rules.");
        steps.add("Confirm with the new password: an io.rotor.operator.confirmation.v1 record on rotor.requests "
                + "with rotationId " + rotationId + " (see the orchestrator's README). Rotor seals it at once, "
                + "writes the Secrets and restarts the consumers.");
        if (ui != null && ui.instructions() != null && !ui.instructions().isBlank()) {
            steps.add(ui.instructions());
        }
        return steps;
    }
}
