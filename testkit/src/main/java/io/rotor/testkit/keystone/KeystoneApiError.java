package io.rotor.testkit.keystone;

/** An error answer of the fake, in Keystone's shape: {@code {"error":{"code","message","title"}}}. */
final class KeystoneApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    static final String UNAUTHORIZED = "The request you have made requires authentication.";

    private final int status;

    KeystoneApiError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }

    String title() {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            default -> "Error";
        };
    }

    /** Keystone says no more than this to a failed login, whatever the cause (wrong password, no user, locked). */
    static KeystoneApiError unauthorized() {
        return new KeystoneApiError(401, UNAUTHORIZED);
    }

    /** Keystone's {@code AccountLocked}, shown as such only with {@code insecure_debug}. */
    static KeystoneApiError accountLocked(String userId) {
        return new KeystoneApiError(401, "The account is locked for user: " + userId + ".");
    }

    static KeystoneApiError forbidden(String action) {
        return new KeystoneApiError(403, "You are not authorized to perform the requested action: " + action + ".");
    }

    static KeystoneApiError badRequest(String message) {
        return new KeystoneApiError(400, message);
    }
}
