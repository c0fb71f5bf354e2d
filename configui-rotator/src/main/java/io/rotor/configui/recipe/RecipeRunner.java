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
import java.net.URISyntaxException;
import java.net.URLDecoder;
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
 * <p>Every request stays on the portal's origin: a step's path is relative to it, must not name another host
 * ({@code //host/...}) or scheme, and must not climb out with {@code .} or {@code ..} segments; values substituted into a
 * path are percent-encoded (so a value cannot add segments, a query or a fragment), into a form
 * {@code application/x-www-form-urlencoded}, into JSON escaped; a header value cannot carry a line break. No failure
 * message quotes a value or a request line.
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
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(target(session.portal, step, vars)).timeout(timeout);
        } catch (IllegalArgumentException e) {
            // The JDK's message quotes the URI, which may hold a value.
            throw new RecipeFailure(RecipeFailure.Reason.BAD_RECIPE, step.name(), "its path does not make a request "
                    + "URL for " + session.portal.getHost());
        }
        if (step.headers() != null) {
            step.headers().forEach((k, v) -> header(request, step, k, fill(step, v, vars, Encoding.NONE)));
        }
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
        if (step.form() != null) {
            body = HttpRequest.BodyPublishers.ofString(step.form().entrySet().stream()
                    .map(e -> enc(e.getKey()) + "=" + enc(fill(step, e.getValue(), vars, Encoding.NONE)))
                    .collect(Collectors.joining("&")));
            request.header("Content-Type", "application/x-www-form-urlencoded");
        } else if (step.json() != null) {
            body = HttpRequest.BodyPublishers.ofString(fill(step, step.json(), vars, Encoding.JSON));
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

    /**
     * The step's URL on the portal: the path template must be a path ({@code /...}, not {@code //host/...}, no scheme,
     * no backslash, no {@code .} or {@code ..} segment, also percent-encoded), values go in percent-encoded, and what
     * results must still be a path on the portal's scheme, host and port.
     */
    static URI target(URI portal, RecipeStep step, Map<String, String> vars) {
        String template = step.path();
        if (template == null || !template.startsWith("/") || template.startsWith("//") || template.contains("\\")) {
            throw leaves(step, "its path must be a path on the portal starting with a single '/' (not another host, "
                    + "an absolute URL or a backslash)");
        }
        URI relative;
        try {
            relative = new URI(fill(step, template, vars, Encoding.PATH));
        } catch (URISyntaxException e) {
            // Its message quotes the input, which may hold a value.
            throw new RecipeFailure(RecipeFailure.Reason.BAD_RECIPE, step.name(), "its path is not a valid URL path "
                    + "(characters such as spaces must be percent-encoded in the recipe)");
        }
        if (relative.isAbsolute() || relative.getRawAuthority() != null || relative.getRawPath() == null
                || !relative.getRawPath().startsWith("/")) {
            throw leaves(step, "its path must stay on the portal");
        }
        for (String segment : relative.getRawPath().split("/", -1)) {
            String decoded = URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
            if (decoded.equals(".") || decoded.equals("..")) {
                throw leaves(step, "its path has a '" + decoded + "' segment; paths on the portal are written out");
            }
        }
        URI resolved = portal.resolve(relative);
        if (!Objects.equals(resolved.getScheme(), portal.getScheme())
                || !Objects.equals(resolved.getRawAuthority(), portal.getRawAuthority())) {
            throw leaves(step, "its path must stay on the portal");
        }
        return resolved;
    }

    private static RecipeFailure leaves(RecipeStep step, String why) {
        return new RecipeFailure(RecipeFailure.Reason.LEAVES_PORTAL, step.name(), why);
    }

    private static void header(HttpRequest.Builder request, RecipeStep step, String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c < 0x20 && c != '\t' || c == 0x7f) {
                throw new RecipeFailure(RecipeFailure.Reason.BAD_RECIPE, step.name(), "the value of header '" + name
                        + "' holds a line break or control character; no header can carry it");
            }
        }
        try {
            request.header(name, value);
        } catch (IllegalArgumentException e) {
            throw new RecipeFailure(RecipeFailure.Reason.BAD_RECIPE, step.name(), "header '" + name
                    + "' cannot be sent (a restricted or malformed header, or a value no header can carry)");
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

    /** How a value is written into its place in a request. */
    enum Encoding {
        /** As it is: form values are encoded whole afterwards; header values are checked. */
        NONE,
        /** JSON string escapes. */
        JSON,
        /** Percent-encoded as a path segment or query component: no '/', '?', '#', '&' or '=' survives. */
        PATH
    }

    private static String fill(RecipeStep step, String template, Map<String, String> vars, Encoding encoding) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = vars.get(m.group(1));
            if (value == null) {
                throw new RecipeFailure(RecipeFailure.Reason.BAD_RECIPE, step.name(),
                        "uses {{" + m.group(1) + "}}, which is not defined at this point (defined: "
                                + vars.keySet().stream().sorted().toList() + ")");
            }
            String written = switch (encoding) {
                case NONE -> value;
                case JSON -> jsonEscape(value);
                case PATH -> enc(value).replace("+", "%20");
            };
            m.appendReplacement(out, Matcher.quoteReplacement(written));
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
