package io.rotor.redis.enterprise;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rotor.kit.participant.KitFailure;
import io.rotor.kit.participant.PlatformException;
import io.rotor.kit.retry.LoginAttempt;
import io.rotor.kit.retry.LoginBudget;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.jboss.logging.Logger;

/**
 * Calls to one cluster's REST API with HTTP Basic auth. Every call is a login, so each is counted in the
 * {@link LoginBudget} before it is sent: a 401, a timeout after the request left, a 429 or a 5xx (a gateway may answer
 * 504 after the cluster counted the login) stay counted; an answer that proves the login (any other status) takes the
 * count back — the cluster's counter is reset only by 15 quiet minutes, not by a success, and so is the budget's; a
 * request that never left (connection refused, TLS handshake failed) takes it back too. A 401 is never retried.
 * Transport failures, timeouts, 429 and 5xx are retriable until the budget is spent. The first proven login of a
 * process reads the cluster's lockout policy ({@code GET /v1/cluster/policy}) into the budget. No password appears in
 * an exception.
 */
final class RecApi {

    private static final Logger LOG = Logger.getLogger(RecApi.class);

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;
    private final LoginBudget budget;
    private final String trustSource;
    private final ObjectMapper json;
    private final Set<String> policiesRead;

    /** @param policiesRead accounts whose cluster policy this process has read, shared by the adapter's calls */
    RecApi(URI base, HttpClient http, Duration timeout, LoginBudget budget, String trustSource, ObjectMapper json,
            Set<String> policiesRead) {
        this.base = base;
        this.http = http;
        this.timeout = timeout;
        this.budget = budget;
        this.trustSource = trustSource;
        this.json = json;
        this.policiesRead = policiesRead;
    }

    String where() {
        return base.toString();
    }

    /**
     * @throws PlatformException for a 401 (the login's own failure; {@code account_locked} when the cluster says the
     *                           account is locked), a budget spent, or a transport problem
     */
    RecResponse send(RecLogin login, String method, String path, Map<String, ?> body) {
        String account = account(login);
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(timeout)
                .header("Authorization", basic(login))
                .header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(write(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        // Counted before it is sent: a crash or a timeout from here on leaves it counted.
        LoginAttempt attempt = budget.begin(account, login.username() + " at " + base);
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (SSLHandshakeException e) {
            attempt.notSent();
            throw untrusted(e);
        } catch (ConnectException | HttpConnectTimeoutException e) {
            attempt.notSent();
            throw unavailable(method, path, e);
        } catch (SSLException e) {
            throw untrusted(e);
        } catch (IOException e) {
            // The request may have reached the cluster, which then counted the login: it stays counted.
            throw unavailable(method, path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformException(RecFailure.REC_UNAVAILABLE, "interrupted while calling " + base, e);
        }
        RecResponse answer = RecResponse.of(response.statusCode(), read(response.body()), secretsOf(login, body));
        if (answer.status() == 401) {
            throw refused(login, answer);
        }
        // 501 is a cluster saying it lacks a feature (GET /v1/roles before RBAC), not a passing trouble: not retried.
        if (answer.status() == 429 || answer.status() >= 500 && answer.status() != 501) {
            throw new PlatformException(RecFailure.REC_UNAVAILABLE, "the cluster at " + base + " answered "
                    + method + " " + path + " with HTTP " + answer.status() + cause(answer) + "; the login counts "
                    + "against Rotor's budget for " + login.username() + " (the cluster may have counted it)");
        }
        attempt.succeeded();
        maybeReadPolicy(login, account);
        return answer;
    }

    private String account(RecLogin login) {
        return "redis-enterprise|" + base + "|" + login.username();
    }

    /**
     * The cluster's lockout policy, once per account and process, with a login that just worked (an admin's; other
     * users may not read it, and the budget's configuration stands). A failure to read it changes nothing.
     */
    private void maybeReadPolicy(RecLogin login, String account) {
        if (!policiesRead.add(account)) {
            return;
        }
        try {
            RecResponse policy = send(login, "GET", "/v1/cluster/policy", null);
            JsonNode fields = policy.body();
            if (!policy.ok() || fields == null || !fields.has("login_lockout_threshold")) {
                return;
            }
            int threshold = fields.path("login_lockout_threshold").asInt(0);
            Optional<Duration> resetAfter = fields.has("login_lockout_counter_reset_after")
                    ? Optional.of(Duration.ofSeconds(fields.path("login_lockout_counter_reset_after").asLong()))
                    : Optional.empty();
            budget.observePlatformPolicy(account, threshold, resetAfter);
            LOG.debugf("lockout policy of %s: threshold %d, counter reset after %s", base, threshold,
                    resetAfter.map(Duration::toString).orElse("(not said)"));
        } catch (PlatformException e) {
            policiesRead.remove(account);
            LOG.debugf("could not read the lockout policy of %s: %s", base, e.getMessage());
        }
    }

    private PlatformException refused(RecLogin login, RecResponse answer) {
        if (saysLocked(answer)) {
            return new PlatformException(KitFailure.ACCOUNT_LOCKED, "the cluster at " + base + " refused the login of "
                    + login.username() + " because the account is locked (HTTP 401" + cause(answer) + "). "
                    + unlockAdvice(login.username()));
        }
        return new PlatformException(login.refusedAs(), switch (login.refusedAs()) {
            case CURRENT_PASSWORD_REJECTED -> "the cluster at " + base + " refused the login of "
                    + login.username() + " with the password from its Secret (HTTP 401" + cause(answer) + "); Rotor "
                    + "stops after this one failed login so the account cannot lock. Either the Secret does not hold "
                    + "the current password, or the account is locked (the cluster answers both with 401; an admin "
                    + "sees status: locked in GET /v1/users). " + unlockAdvice(login.username());
            default -> "the cluster at " + base + " refused the login of " + login.username()
                    + " with the new password (HTTP 401" + cause(answer) + ")";
        });
    }

    /** What a locked account's login answers is not documented; Rotor takes the cluster's word where it gives one. */
    private static boolean saysLocked(RecResponse answer) {
        String said = (answer.errorCode() + " " + answer.description()).toLowerCase(Locale.ROOT);
        return said.contains("locked") || said.contains("lockout");
    }

    private String unlockAdvice(String user) {
        return "To unlock " + user + ", an admin resets its password (Cluster Manager UI: Access Control > Users > "
                + "Reset to unlock; rladmin cluster reset_password " + user + "; or PUT /v1/users/<uid> with a new "
                + "password) and puts that password in the credential's Secret, or waits out the cluster's "
                + "login_lockout_duration (30 minutes unless tuned; 0 means only an admin can unlock). Rotation can "
                + "then be requested again.";
    }

    private PlatformException untrusted(SSLException e) {
        return new PlatformException(RecFailure.TLS_UNTRUSTED, "the TLS handshake with " + base + " failed ("
                + e.getMessage() + "): its certificate is not trusted by " + trustSource + " or does not name the host",
                e);
    }

    private PlatformException unavailable(String method, String path, IOException e) {
        return new PlatformException(RecFailure.REC_UNAVAILABLE, "the cluster at " + base + " did not answer "
                + method + " " + path + ": " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
    }

    /** What the cluster said about a refusal: its error code and description, as {@code " (code: description)"}. */
    private static String cause(RecResponse answer) {
        String code = answer.errorCode();
        String said = answer.description();
        if (code.isEmpty() && said.isEmpty()) {
            return "";
        }
        return " (" + code + (!code.isEmpty() && !said.isEmpty() ? ": " : "") + said + ")";
    }

    /** Every password the request carries, to be kept out of what the cluster's answer is quoted in. */
    private static List<String> secretsOf(RecLogin login, Map<String, ?> body) {
        List<String> secrets = new ArrayList<>();
        secrets.add(login.password().reveal());
        if (body != null) {
            body.forEach((key, value) -> {
                if (key.contains("password") && value instanceof String text) {
                    secrets.add(text);
                }
            });
        }
        return secrets;
    }

    /**
     * The failure a refused call stands for, by the cluster's error code and then by status. The message quotes the
     * cluster's error code and description (secrets of the request taken out).
     */
    PlatformException failure(RecResponse answer, String what) {
        String code = answer.errorCode();
        String said = "the cluster at " + base + " refused " + what + " (HTTP " + answer.status()
                + (code.isEmpty() ? "" : ", " + code)
                + (answer.description().isEmpty() ? "" : ": " + answer.description()) + ")";
        return switch (code) {
            case "password_not_complex" -> new PlatformException(RecFailure.PASSWORD_NOT_COMPLEX, said
                    + ": the generated password does not meet the cluster's complexity rules; give the credential a "
                    + "passwordPolicy with upper and lower case, digits and specials, at least 8 characters and no "
                    + "more than 3 repeated ones");
            case "new_password_same_as_current" -> new PlatformException(RecFailure.NEW_PASSWORD_SAME_AS_CURRENT,
                    said);
            case "user_not_exist" -> new PlatformException(RecFailure.USER_NOT_EXIST, said
                    + ": the user does not exist on the cluster");
            case "unauthorized_action" -> new PlatformException(RecFailure.UNAUTHORIZED_ACTION, said
                    + ": the user may not do this; rotating an admin credential needs the admin role");
            case "cannot_delete_last_password" -> new PlatformException(RecFailure.CANNOT_DELETE_LAST_PASSWORD, said);
            case "email_already_exists", "name_already_exists" -> new PlatformException(
                    RecFailure.USER_ALREADY_EXISTS, said);
            default -> switch (answer.status()) {
                case 403 -> new PlatformException(RecFailure.UNAUTHORIZED_ACTION, said + ": the user may not do this");
                case 404 -> new PlatformException(RecFailure.USER_NOT_EXIST, said);
                case 409 -> new PlatformException(RecFailure.USER_ALREADY_EXISTS, said);
                default -> new PlatformException(RecFailure.UNEXPECTED_RESPONSE, said);
            };
        };
    }

    private static String basic(RecLogin login) {
        byte[] pair = (login.username() + ":" + login.password().reveal()).getBytes(StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair);
    }

    private byte[] write(Map<String, ?> body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a request body", e);
        }
    }

    private JsonNode read(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
