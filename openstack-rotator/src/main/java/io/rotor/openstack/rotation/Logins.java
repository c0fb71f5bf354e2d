package io.rotor.openstack.rotation;

import io.rotor.contracts.credential.KeystoneOptions;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.policy.EndpointPolicy;
import io.rotor.kit.lookup.SecretLookup;
import io.rotor.kit.participant.PlatformException;
import io.rotor.kit.participant.Rotation;
import io.rotor.kit.retry.LoginAttempt;
import io.rotor.kit.retry.LoginBudget;
import io.rotor.openstack.keystone.KeystoneException;
import io.rotor.openstack.keystone.Token;
import io.rotor.openstack.rotation.KeystoneEndpoints.Connection;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Logins that may be refused, under the kit's durable {@link LoginBudget}: every refusal counts towards Keystone's
 * lockout ({@code lockout_failure_attempts}), whose counter has no window — only a success, an administrator's update
 * or the lock's expiry resets it. So each login is counted before it is sent, stays counted when refused or when its
 * outcome is unknown (a timeout, a 5xx), is taken back only when it provably never reached Keystone, and a success
 * resets the count. Once Rotor has as many counted as it allows itself, it stops until a success or an operator resets
 * the budget.
 */
final class Logins {

    private final SecretLookup secrets;
    private final LoginBudget budget;
    private final EndpointPolicy policy;

    Logins(SecretLookup secrets, LoginBudget budget, EndpointPolicy policy) {
        this.secrets = secrets;
        this.budget = budget;
        this.policy = policy;
    }

    /** The budget's account for a Keystone user: endpoint plus user. */
    static String account(Connection connection, Object user) {
        return connection.key() + "|" + user;
    }

    boolean allows(String account) {
        return budget.allows(account);
    }

    /** Fails the step for good when the budget for this account is spent (the message says how to reset it). */
    void requireBudget(String account, String who) {
        budget.require(account, who + " at Keystone");
    }

    /**
     * A login that may be refused, counted before it is sent: empty on 401 (it stays counted), the token otherwise
     * (the count is reset). Other failures are thrown as {@link #counted} leaves them.
     */
    Optional<Token> attempt(String account, Connection connection, Supplier<Token> login) {
        try {
            return Optional.of(counted(account, connection, login));
        } catch (KeystoneException e) {
            if (e.reason() == KeystoneException.Reason.AUTHENTICATION_FAILED) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * A call that Keystone counts as a login when it is refused (a login, a self-service change with the original
     * password), counted before it is sent. A refusal, a locked account, a timeout, a 5xx or an answer that is not
     * Keystone's stay counted (Keystone may have counted it); a failure before the request left (connection refused,
     * TLS, a request refused before sending) is taken back, and so is an answer that Keystone gives only to the right
     * password without counting it (expired, disabled); any other answer proves the login and resets the count.
     */
    <T> T counted(String account, Connection connection, Supplier<T> call) {
        LoginAttempt counted = budget.begin(account, account.substring(account.indexOf('|') + 1) + " at "
                + connection.key().substring("keystone:".length()));
        try {
            T result = connection.call(call);
            counted.succeeded();
            return result;
        } catch (KeystoneException e) {
            switch (e.reason()) {
                case AUTHENTICATION_FAILED, ACCOUNT_LOCKED, TIMEOUT, SERVER_ERROR, THROTTLED, UNEXPECTED_RESPONSE -> {
                    // stays counted
                }
                // Keystone checks the password before it says expired or disabled, and counts neither as a failure
                // (nor does it reset its count): the attempt is given back, not taken as a success.
                case UNREACHABLE, TLS, PASSWORD_TOO_LONG, PASSWORD_EXPIRED, USER_DISABLED -> counted.notSent();
                default -> counted.succeeded();
            }
            throw e;
        }
    }

    /**
     * The login from {@code keystone.adminSecretRef}: a clouds.yaml whose cloud {@code keystone.adminCloud} names a
     * user, password and project. For password rotation that is an administrator; for application credentials it
     * must be the credential's owner, because Keystone lets no one else manage them.
     */
    Token admin(Connection connection, Rotation rotation) {
        KeystoneOptions options = rotation.spec().keystone();
        String where = "Secret " + rotation.credential().namespace() + "/" + options.adminSecretRef().name() + " key "
                + options.adminSecretRef().key() + " cloud " + options.adminCloud();
        byte[] yaml = secrets.key(rotation.credential().namespace(), options.adminSecretRef(),
                "the Keystone admin login (keystone.adminSecretRef)");
        AdminCloud cloud = AdminCloud.parse(yaml, options.adminCloud(), where);
        requireAllowed(cloud, rotation.credential().namespace(), where);
        String account = account(connection, cloud.user());
        requireBudget(account, cloud.user() + " (" + where + ")");
        try {
            return attempt(account, connection, () -> connection.client().login(cloud.user(), cloud.password(),
                    cloud.project())).orElseThrow(() -> new PlatformException(KeystoneFailure.ADMIN_LOGIN_REFUSED,
                            "Keystone at " + connection.key().substring("keystone:".length()) + " refused the login of "
                                    + cloud.user() + " from " + where + " (wrong password, unknown user, locked out, or "
                                    + "no role on the project); not retried"));
        } catch (KeystoneException e) {
            throw KeystoneFailure.from(e);
        }
    }

    /**
     * The admin cloud names the Keystone its password belongs to. The runtime has checked the credential's endpoint
     * against the policy; a cloud whose own {@code auth_url} the policy does not allow (another host, plain http) is
     * refused before its password goes anywhere: the Secret was written for somewhere Rotor may not talk to, or it is
     * not the admin login its author claims.
     */
    private void requireAllowed(AdminCloud cloud, String namespace, String where) {
        if (cloud.authUrl() == null) {
            return;
        }
        policy.checkUrl(namespace, Platform.OPENSTACK_KEYSTONE.value(), cloud.authUrl()).ifPresent(problem -> {
            throw new PlatformException(KeystoneFailure.ADMIN_CLOUD_ENDPOINT_NOT_ALLOWED, "the auth_url of " + where
                    + " " + problem + "; Rotor does not send its password anywhere");
        });
    }
}
