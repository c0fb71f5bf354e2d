package io.rotor.kit.participant;

/** Keeps texts within what events accept. */
final class Messages {

    static final int MAX = 4000;

    private Messages() {
    }

    static String limit(String message) {
        return message.length() <= MAX ? message : message.substring(0, MAX - 1) + "…";
    }
}
