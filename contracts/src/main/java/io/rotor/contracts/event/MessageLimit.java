package io.rotor.contracts.event;

/**
 * How long a human-readable failure message in an event may be when a service writes it. Events accept up to
 * {@code 4096} characters (the validation rule every reader applies); writers cut at {@link #MAX_CHARS}, so a message
 * that grows by a few words on its way (an attempt count, a reason code) still validates.
 */
public final class MessageLimit {

    /** The most characters of a message a service puts into an event, the ellipsis included. */
    public static final int MAX_CHARS = 4000;

    private MessageLimit() {
    }

    /** The message itself when it fits, otherwise its beginning and an ellipsis, {@link #MAX_CHARS} in all. */
    public static String apply(String message) {
        return message.length() <= MAX_CHARS ? message : message.substring(0, MAX_CHARS - 1) + "…";
    }
}
