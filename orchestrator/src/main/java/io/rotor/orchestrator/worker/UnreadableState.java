package io.rotor.orchestrator.worker;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.kit.messaging.InboundRecord;

/**
 * A {@code rotor.state} record this orchestrator cannot read (not a saga record, a newer schema, another credential's
 * state) that is the latest of its credential. It may hold a rotation in flight, so the credential is not treated as
 * having none: nothing of it is acted on until an operator, having checked the platform and the Secrets, lists it in
 * {@code rotor.orchestrator.worker.forget-unreadable-state}. The other credentials of the partition go on.
 *
 * @param credential null when the key is not a credential reference (no credential waits for it)
 * @param reason     why it cannot be read, never the record's content
 */
record UnreadableState(CredentialRef credential, InboundRecord record, String reason) {

    String where() {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    /** What a request for the credential is answered, and what the log says: the cause and the way out. */
    String message() {
        return "the saga state of " + credential + " at " + where() + " cannot be read (" + reason + "). It may "
                + "hold a rotation in flight, so Rotor acts on nothing of this credential. Check that the platform and "
                + "the Secrets agree (rotor.events shows the credential's last rotation, rotor.dlq the unreadable "
                + "record), then list " + credential + " in rotor.orchestrator.worker.forget-unreadable-state and "
                + "restart the orchestrator; remove it again once the credential has rotated";
    }
}
