package io.rotor.orchestrator.intake;

/**
 * A name a client writes into a body ({@code requestedBy}) is not who asked: the authenticated caller is. It is kept
 * only as a note at the end of the reason, so an audit reader sees both and cannot mistake one for the other.
 */
final class CallerNote {

    private CallerNote() {
    }

    static String append(String reason, String clientName, String actor) {
        if (clientName == null || clientName.isBlank() || clientName.equals(actor)) {
            return reason;
        }
        String note = "(caller's note: on behalf of " + clientName + ")";
        return reason == null || reason.isBlank() ? note : reason + " " + note;
    }
}
