package io.rotor.local;

/** Something the user can fix, said in one sentence; the launcher prints it and exits 1, no stack trace. */
final class LauncherException extends RuntimeException {

    LauncherException(String message) {
        super(message);
    }
}
