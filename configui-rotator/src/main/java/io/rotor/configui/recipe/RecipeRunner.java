package io.rotor.configui.recipe;

import io.rotor.contracts.credential.HttpRecipe;
import io.rotor.contracts.credential.RecipeExtraction;
import io.rotor.contracts.credential.RecipeStep;
import io.rotor.contracts.sealing.SecretValue;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.jboss.logging.Logger;

/**
 * Runs an installation's HTTP recipe: log in, change the password, and prove the change by logging in with the new
 * password in a fresh session. Each run has its own cookie jar, as a browser session would. Passwords enter only the
 * request bodies; nothing about a response but its status reaches a log or an error.
 *
 * <p>Login steps use {@code {{password}}} (bound to the current password, or to the new one when verifying); change
 * steps use {@code {{currentPassword}}} and {@code {{newPassword}}}; all steps may use {@code {{username}}} and what
 * earlier steps extracted.
 */
public final class RecipeRunner {

    private static final Logger LOG = Logger.getLogger(RecipeRunner.class);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z][A-Za-z0-9_]*)}}");

    private final SSLContext tls;
    private final Duration timeout;

    public RecipeRunner(SSLContext tls, Duration timeout) {
        this.tls = Objects.requireNonNull(tls, "tls");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Logs in with {@code current} and runs the change steps; throws if any step fails. */
    public void changePassword(URI portal, HttpRecipe recipe, String username, SecretValue current, SecretValue next) {
        Session session = new Session(portal);
        Map<String, String> vars = new HashMap<>();
        vars.put("username", username);
        vars.put("password", current.reveal());
        run(session, recipe.login(), vars, RecipeFailure.Reason.LOGIN_REJECTED);
        vars.remove("password");
        vars.put("currentPassword", current.reveal());
        vars.put("newPassword", next.reveal());
        try {
            run(session, recipe.change(), vars, RecipeFailure.Reason.CHANGE_REJECTED);
        } catch (RecipeFailure f) {
            throw f.inChange();
        }
    }

    /** Whether {@code password} logs in, in a fresh session; other failures (unreachable, 5xx) are thrown. */
    public boolean loginWorks(URI portal, HttpRecipe recipe, String username, SecretValue password) {
        Map<String, String> vars = new HashMap<>();
        vars.put("username", username);
        vars.put("password", password.reveal());
        try {
            run(new Session(portal), recipe.login(), vars, RecipeFailure.Reason.LOGIN_REJECTED);
            return true;
        } catch (RecipeFailure f) {
            if (f.reason() == RecipeFailure.Reason.LOGIN_REJECTED) {
                return false;
            }
            throw f;
        }
    }

    private void run(Session session, List<RecipeStep> steps, Map<String, String> vars, RecipeFailure.Reason rejected) {
        for (RecipeStep step : steps) {
            HttpResponse<String> response = send(session, step, vars);
            int status = response.statusCode();
            LOG.debugf("recipe step '%s': %s %s -> %d", step.name(), step.method(), step.path(), status);
            if (status >= 500) {
                throw new RecipeFailure(RecipeFailure.Reason.PORTAL_ERROR, step.name(), "the portal answered " + status);
            }
            String body = response.body() == null ? "" : response.body();
            // Portals often answer a refused login with the form again and an error text, status 200: the text
            // decides before the status does.
            if (step.failIfBodyContains() != null && body.contains(step.failIfBodyContains())) {
                throw new RecipeFailure(rejected, step.name(), "the response says '" + step.failIfBodyContains() + "'");
            }
            if (!step.expectedStatuses().contains(status)) {
                throw new RecipeFailure(status == 401 || status == 403 ? rejected : RecipeFailure.Reason.UNEXPECTED_STATUS,
                        step.name(), "the portal answered " + status + ", expected one of " + step.expectedStatuses()
                        + (status == 403 ? " (a 403 to a form often means a missing or stale CSRF token: check the "
                                + "recipe's extract rules)" : ""));
            }
            if (step.successIfBodyContains() != null && !body.contains(step.successIfBodyContains())) {
                throw new RecipeFailure(rejected, step.name(),
                        "the response does not say '" + step.successIfBodyContains() + "'");
            }
            for (RecipeExtraction extraction : step.extract() == null ? List.<RecipeExtraction>of() : step.extract()) {
                vars.put(extraction.name(), extract(session, step, extraction, response, body));
            }
        }
    }

    private HttpResponse<String> send(Session session, RecipeStep step, Map<String, String> vars) {
        HttpRequest.Builder request = HttpRequest.newBuilder(session.portal.resolve(fill(step, step.path(), vars, false)))
                .timeout(timeout);
        if (step.headers() != null) {
            step.headers().forEach((k, v) -> request.header(k, fill(step, v, vars, false)));
        }
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
        if (step.form() != null) {
            body = HttpRequest.BodyPublishers.ofString(step.form().entrySet().stream()
                    .map(e -> enc(e.getKey()) + "=" + enc(fill(step, e.getValue(), vars, false)))
                    .collect(Collectors.joining("&")));
            request.header("Content-Type", "application/x-www-form-urlencoded");
        } else if (step.json() != null) {
            body = HttpRequest.BodyPublishers.ofString(fill(step, step.json(), vars, true));
            request.header("Content-Type", "application/json");
        }
        request.method(step.method(), body);
        try {
            return session.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (SSLException e) {
            throw new RecipeFailure(RecipeFailure.Reason.TLS, step.name(), "TLS with " + session.portal.getHost()
                    + " failed (" + e.getClass().getSimpleName() + "): the portal's certificate is not trusted by the "
                    + "credential's CA bundle (endpoint.caSecretRef) or does not name the host");
        } catch (IOException e) {
            if (e.getCause() instanceof SSLException) {
                throw new RecipeFailure(RecipeFailure.Reason.TLS, step.name(), "TLS with " + session.portal.getHost()
                        + " failed (" + e.getCause().getClass().getSimpleName() + "): the portal's certificate is not "
                        + "trusted by the credential's CA bundle (endpoint.caSecretRef) or does not name the host");
            }
            throw new RecipeFailure(RecipeFailure.Reason.UNREACHABLE, step.name(),
                    "no answer from " + session.portal.getHost() + " (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecipeFailure(RecipeFailure.Reason.UNREACHABLE, step.name(), "interrupted");
        }
    }

    private String extract(Session session, RecipeStep step, RecipeExtraction x, HttpResponse<String> response,
            String body) {
        String value = switch (x.from()) {
            case BODY -> firstGroup(x.regex(), body);
            case HEADER -> response.headers().firstValue(x.header())
                    .map(h -> x.regex() == null ? h : firstGroup(x.regex(), h)).orElse(null);
            case COOKIE -> session.cookies.getCookieStore().get(session.portal).stream()
                    .filter(c -> c.getName().equals(x.cookie())).map(HttpCookie::getValue).findFirst().orElse(null);
        };
        if (value == null || value.isEmpty()) {
            throw new RecipeFailure(RecipeFailure.Reason.EXTRACTION_FAILED, step.name(),
                    "could not find '" + x.name() + "' in the response's " + x.from().name().toLowerCase());
        }
        return value;
    }

    private static String firstGroup(String regex, String text) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? m.group(1) : null;
    }

    private static String fill(RecipeStep step, String template, Map<String, String> vars, boolean json) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = vars.get(m.group(1));
            if (value == null) {
                throw new RecipeFailure(RecipeFailure.Reason.BAD_RECIPE, step.name(),
                        "uses {{" + m.group(1) + "}}, which is not defined at this point (defined: "
                                + vars.keySet().stream().sorted().toList() + ")");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(json ? jsonEscape(value) : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String jsonEscape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** One browser-like session: its own cookie jar, redirects not followed (the recipe sees each answer). */
    private final class Session {
        final URI portal;
        final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        final HttpClient http;

        Session(URI portal) {
            this.portal = portal;
            this.http = HttpClient.newBuilder().sslContext(tls).cookieHandler(cookies)
                    .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
        }
    }
}
