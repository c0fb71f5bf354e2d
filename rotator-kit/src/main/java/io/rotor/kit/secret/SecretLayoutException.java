package io.rotor.kit.secret;

/**
 * A credential could not be read from, or written into, a Secret's data. The message names keys, clouds, variables and
 * lines — never a value, since the content around a credential is often secret too.
 */
public final class SecretLayoutException extends RuntimeException {

    /** Why; all of them are permanent for the content at hand: retrying without a change gives the same answer. */
    public enum Reason {
        /** The data key (or, in a file, the entry) that should hold the field is not there. */
        MISSING,
        /** The data is not UTF-8 text, so a file format cannot be edited. */
        NOT_UTF8,
        /** The file does not parse as the format says (YAML, shell). */
        MALFORMED,
        /** The clouds.yaml has no such cloud. */
        CLOUD_NOT_FOUND,
        /** The value is there but cannot be read statically (a shell expansion, a YAML collection). */
        UNREADABLE,
        /** The file is laid out so that changing the field safely is not possible (YAML anchors, no auth section). */
        NOT_EDITABLE,
        /** The template has no placeholders or names an unknown field. */
        TEMPLATE_INVALID,
        /** The Secret's content does not have the shape of the template, so its fields cannot be read back. */
        TEMPLATE_MISMATCH,
        /** The value cannot be written in this format (a NUL character in a shell file). */
        UNREPRESENTABLE
    }

    private final Reason reason;

    public SecretLayoutException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
