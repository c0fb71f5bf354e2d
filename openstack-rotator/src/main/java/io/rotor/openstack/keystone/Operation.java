package io.rotor.openstack.keystone;

/** The calls the client makes, for messages and for reading a 401 right. */
enum Operation {
    PASSWORD_LOGIN("log in with a password", true),
    APPLICATION_CREDENTIAL_LOGIN("log in with an application credential", true),
    VALIDATE_TOKEN("validate a token", false),
    FIND_USER("look up", false),
    GET_USER("read", false),
    FIND_DOMAIN("look up", false),
    CHANGE_PASSWORD("change the password of", true),
    RESET_PASSWORD("reset (as an administrator) the password of", false),
    CREATE_APPLICATION_CREDENTIAL("create an application credential for", false),
    LIST_APPLICATION_CREDENTIALS("list the application credentials of", false),
    DELETE_APPLICATION_CREDENTIAL("delete", false);

    private final String verb;
    private final boolean login;

    Operation(String verb, boolean login) {
        this.verb = verb;
        this.login = login;
    }

    String describe(String subject) {
        return verb + " " + subject;
    }

    /** A 401 here judges the credentials sent, not a token: it counts towards the lockout and must not be retried. */
    boolean login() {
        return login;
    }
}
