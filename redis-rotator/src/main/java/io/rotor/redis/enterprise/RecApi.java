package io.rotor.redis.enterprise;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rotor.kit.participant.KitFailure;
import io.rotor.kit.participant.PlatformException;
import io.rotor.kit.retry.LoginBudget;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * Calls to one cluster's REST API with HTTP Basic auth. Every call is a login, so each asks the {@link LoginBudget}
 * first and reports a 401 to it; a 401 is never retried (the cluster locks an account after 5 failed logins in 15
 * minutes). Transport failures, timeouts, 429 and 5xx are retriable. No password appears in an exception.
 */
final class RecApi {

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;
    private final LoginBudget budget;
    private final String trustSource;
    private final ObjectMapper json;

    RecApi(URI base, HttpClient http, Duration timeout, LoginBudget budget, String trustSource, ObjectMapper json) {
        this.base = base;
        this.http = http;
        this.timeout = timeout;
        this.budget = budget;
        this.trustSource = trustSource;
        this.json = json;
    }

    String where() {
        return base.toString();
    }

    /** @throws PlatformException for a 401 (the login's own failure), a budget spent, or a transport problem */
    RecResponse send(RecLogin login, String method, String path, Map<String, ?> body) {
        String account = base + "|" + login.username();
        if (!budget.allows(account)) {
            throw new PlatformException(KitFailure.LOGIN_BUDGET_EXHAUSTED, "Rotor already caused "
                    + budget.failuresInWindow(account) + " failed login(s) of " + login.username() + " at " + base
                    + " in the last " + budget.window().toMinutes() + " minutes; it tries no further login with this "
                    + "account before " + budget.nextAllowance(account) + ", to stay clear of the cluster's lockout");
        }
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
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (SSLException e) {
            throw new PlatformException(RecFailure.TLS_UNTRUSTED, "the TLS handshake with " + base + " failed ("
                    + e.getMessage() + "): its certificate is not trusted by " + trustSource
                    + " or does not name the host", e);
        } catch (IOException e) {
            throw new PlatformException(RecFailure.REC_UNAVAILABLE, "the cluster at " + base + " did not answer "
                    + method + " " + path + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformException(RecFailure.REC_UNAVAILABLE, "interrupted while calling " + base, e);
        }
        RecResponse answer = RecResponse.of(response.statusCode(), read(response.body()), secretsOf(login, body));
        if (answer.status() == 401) {
            budget.recordFailure(account);
            throw new PlatformException(login.refusedAs(), switch (login.refusedAs()) {
                case CURRENT_PASSWORD_REJECTED -> "the cluster at " + base + " refused the login of "
                        + login.username() + " with the password from its Secret (401); Rotor stops after this "
                        + "one failed login so the account cannot lock: check that the Secret holds the current "
                        + "password";
                default -> "the cluster at " + base + " refused the login of " + login.username()
                        + " with the new password (401)";
            });
        }
        // 501 is a cluster saying it lacks a feature (GET /v1/roles before RBAC), not a passing trouble: not retried.
        if (answer.status() == 429 || answer.status() >= 500 && answer.status() != 501) {
            throw new PlatformException(RecFailure.REC_UNAVAILABLE, "the cluster at " + base + " answered "
                    + method + " " + path + " with HTTP " + answer.status() + cause(answer));
        }
        return answer;
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
