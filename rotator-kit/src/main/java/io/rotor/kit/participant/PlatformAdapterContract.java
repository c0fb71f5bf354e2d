package io.rotor.kit.participant;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.sealing.CredentialMaterial;
import io.rotor.contracts.sealing.SecretValue;
import java.util.List;

/**
 * The behaviour every {@link PlatformAdapter} must have, as checks an adapter's test runs against a real or faithful
 * platform (a JUnit {@code @TestFactory} turns each into a dynamic test). Plain Java, so it ships with the kit and
 * needs no test library: a failed check throws {@link AssertionError}, naming values by role, never printing them.
 */
public final class PlatformAdapterContract {

    /** The platform under test, as the adapter's test sets it up. */
    public interface Fixture {

        PlatformAdapter adapter();

        /**
         * A fresh rotation: its credential exists on the platform with its current value ({@link Rotation#oldValue},
         * as read from its Secret), and {@link Rotation#newValue} is a new value not yet on the platform. Each call
         * gives a credential of its own.
         */
        Rotation newRotation();

        /**
         * Whether the value authenticates on the platform — on every node that serves it. A fixture for a platform
         * that locks accounts should answer from the platform's state rather than by logging in.
         */
        boolean authenticates(Rotation rotation, CredentialMaterial value);
    }

    /** One named check. */
    public record Check(String name, Runnable body) {
    }

    private final Fixture fixture;

    private PlatformAdapterContract(Fixture fixture) {
        this.fixture = fixture;
    }

    public static List<Check> checks(Fixture fixture) {
        PlatformAdapterContract c = new PlatformAdapterContract(fixture);
        return List.of(
                new Check("apply puts the new value beside the old one", c::applyAddsTheNewValueBesideTheOld),
                new Check("apply reports the old value as the one to retire", c::applyReportsTheOldValueAsPrevious),
                new Check("apply again changes nothing", c::applyAgainChangesNothing),
                new Check("verify accepts the value apply handed on", c::verifyAcceptsTheAppliedValue),
                new Check("verify refuses a value that was never applied, for good", c::verifyRefusesAnUnappliedValue),
                new Check("revoke leaves only the new value", c::revokeLeavesOnlyTheNewValue),
                new Check("revoke again changes nothing", c::revokeAgainChangesNothing),
                new Check("removeNew leaves only the old value", c::removeNewLeavesOnlyTheOldValue),
                new Check("removeNew again changes nothing", c::removeNewAgainChangesNothing),
                new Check("removeNew before any apply changes nothing", c::removeNewBeforeApplyChangesNothing),
                new Check("a failure's message carries no secret", c::failureMessagesCarryNoSecret));
    }

    void applyAddsTheNewValueBesideTheOld() {
        Rotation r = fixture.newRotation();
        Applied applied = fixture.adapter().apply(r);
        require(applied.changed(), "apply on a fresh credential must report a change");
        require(works(r, applied.handOn()), "after apply the new value must authenticate");
        require(works(r, r.oldValue()), "after apply the old value must still authenticate");
    }

    void applyReportsTheOldValueAsPrevious() {
        Rotation r = fixture.newRotation();
        Applied applied = fixture.adapter().apply(r);
        require(applied.previous().require(CredentialField.PASSWORD).equals(r.oldPassword()),
                "apply's previous value must be the old password");
        require(applied.handOn().require(CredentialField.PASSWORD).equals(r.newPassword()),
                "apply must hand on the new password");
    }

    void applyAgainChangesNothing() {
        Rotation r = fixture.newRotation();
        fixture.adapter().apply(r);
        Applied again = fixture.adapter().apply(r);
        require(!again.changed(), "a second apply of the same value must report no change");
        require(works(r, again.handOn()), "after a second apply the new value must authenticate");
        require(works(r, r.oldValue()), "after a second apply the old value must still authenticate");
    }

    void verifyAcceptsTheAppliedValue() {
        Rotation r = fixture.newRotation();
        Applied applied = fixture.adapter().apply(r);
        fixture.adapter().verify(r.withNewValue(applied.handOn()));
    }

    void verifyRefusesAnUnappliedValue() {
        Rotation r = fixture.newRotation();
        PlatformException refused = expectFailure(() -> fixture.adapter().verify(r), "verify of a value never applied");
        require(!refused.retriable(), "a value the platform refuses is a permanent failure, not retried (was "
                + refused.reason().code() + ")");
    }

    void revokeLeavesOnlyTheNewValue() {
        Rotation r = fixture.newRotation();
        Rotation done = applied(r);
        Change change = fixture.adapter().revoke(done);
        require(change.changed(), "revoke after apply must report a change");
        require(works(r, done.newValue()), "after revoke the new value must authenticate");
        require(!works(r, r.oldValue()), "after revoke the old value must no longer authenticate");
    }

    void revokeAgainChangesNothing() {
        Rotation r = fixture.newRotation();
        Rotation done = applied(r);
        fixture.adapter().revoke(done);
        Change again = fixture.adapter().revoke(done);
        require(!again.changed(), "a second revoke must report no change");
        require(works(r, done.newValue()), "after a second revoke the new value must authenticate");
        require(!works(r, r.oldValue()), "after a second revoke the old value must stay retired");
    }

    void removeNewLeavesOnlyTheOldValue() {
        Rotation r = fixture.newRotation();
        Rotation done = applied(r);
        Change change = fixture.adapter().removeNew(done);
        require(change.changed(), "removeNew after apply must report a change");
        require(works(r, r.oldValue()), "after removeNew the old value must authenticate");
        require(!works(r, done.newValue()), "after removeNew the new value must no longer authenticate");
    }

    void removeNewAgainChangesNothing() {
        Rotation r = fixture.newRotation();
        Rotation done = applied(r);
        fixture.adapter().removeNew(done);
        Change again = fixture.adapter().removeNew(done);
        require(!again.changed(), "a second removeNew must report no change");
        require(works(r, r.oldValue()), "after a second removeNew the old value must authenticate");
    }

    void removeNewBeforeApplyChangesNothing() {
        Rotation r = fixture.newRotation();
        Change change = fixture.adapter().removeNew(r);
        require(!change.changed(), "removeNew of a value never applied must report no change");
        require(works(r, r.oldValue()), "after removeNew of a value never applied the old value must authenticate");
    }

    void failureMessagesCarryNoSecret() {
        Rotation r = fixture.newRotation();
        PlatformException refused = expectFailure(() -> fixture.adapter().verify(r), "verify of a value never applied");
        for (Throwable t = refused; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            for (SecretValue secret : List.of(r.newPassword(), r.oldPassword())) {
                require(!message.contains(secret.reveal()), "a failure message contains a password");
            }
        }
    }

    /** The rotation as revoke and removeNew see it after an apply: the value handed on, and the previous one. */
    private Rotation applied(Rotation r) {
        Applied applied = fixture.adapter().apply(r);
        return new Rotation(r.rotationId(), r.credential(), r.spec(), applied.handOn(), applied.previous());
    }

    private boolean works(Rotation r, CredentialMaterial value) {
        return fixture.authenticates(r, value);
    }

    private static PlatformException expectFailure(Runnable action, String what) {
        try {
            action.run();
        } catch (PlatformException e) {
            return e;
        }
        throw new AssertionError(what + " must fail with a PlatformException");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
