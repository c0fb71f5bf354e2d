package io.rotor.configui.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import io.rotor.contracts.credential.HttpRecipe;
import io.rotor.contracts.credential.RecipeStep;
import io.rotor.contracts.sealing.SecretValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A recipe never takes a password off the portal's origin, whatever its paths say or its values hold: another host
 * ({@code //host/...}, an absolute URL), a climb out ({@code ..}, also percent-encoded) are refused before any request;
 * values are percent-encoded in paths and form-encoded in bodies, so they cannot add segments, queries or fields; a
 * header cannot carry a line break; and no failure message quotes a value.
 */
class RecipeRunnerOriginTest {

    /** A password with every character that means something in a URL, a form or a header. */
    private static final String NASTY = "p/../x?y=1&z=2#f %+;@:\\\"é";

    private final Recorder portal = new Recorder();
    private final Recorder elsewhere = new Recorder();
    private final RecipeRunner runner;

    RecipeRunnerOriginTest() throws Exception {
        runner = new RecipeRunner(SSLContext.getDefault(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        portal.close();
        elsewhere.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"//127.0.0.1:%d/login", "http://127.0.0.1:%d/login", "https://127.0.0.1:%d/login",
        "/\\\\127.0.0.1:%d/login", "login", "{{username}}/login"})
    void aPathThatNamesAnotherHostOrIsNotAPathIsRefusedBeforeAnyRequest(String path) {
        RecipeFailure f = refusedLogin(path.formatted(elsewhere.port()), "secret-pw");

        assertThat(f.reason()).isEqualTo(RecipeFailure.Reason.LEAVES_PORTAL);
        assertThat(f.reason().retriable()).isFalse();
        assertThat(f.getMessage()).contains("step 'login'").doesNotContain("secret-pw");
        assertThat(portal.requests).isEmpty();
        assertThat(elsewhere.requests).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/admin/../../login", "/..", "/a/./login", "/%2e%2e/login", "/a/%2E%2E/login",
        "/a/.%2e/login"})
    void aPathThatClimbsOutIsRefusedBeforeAnyRequest(String path) {
        RecipeFailure f = refusedLogin(path, "secret-pw");

        assertThat(f.reason()).isEqualTo(RecipeFailure.Reason.LEAVES_PORTAL);
        assertThat(f.getMessage()).contains("segment").doesNotContain("secret-pw");
        assertThat(portal.requests).isEmpty();
    }

    @Test
    void aValueThatIsADotSegmentCannotClimbOutEither() {
        RecipeFailure f = refusedLogin("/login/{{password}}", "..");

        assertThat(f.reason()).isEqualTo(RecipeFailure.Reason.LEAVES_PORTAL);
        assertThat(portal.requests).isEmpty();
    }

    @Test
    void valuesInAPathArePercentEncodedAndStayOneSegment() {
        assertThat(runner.loginWorks(portal.url(), login("/login/{{password}}?user={{username}}", null),
                "ad/min?x=1", SecretValue.of(NASTY))).isTrue();

        Recorded r = portal.requests.get(0);
        assertThat(r.rawPath()).isEqualTo("/login/" + pathEncoded(NASTY));
        assertThat(r.rawQuery()).isEqualTo("user=" + pathEncoded("ad/min?x=1"));
        assertThat(elsewhere.requests).isEmpty();
    }

    @Test
    void valuesInAFormAreFormEncodedAndCannotAddFields() {
        HttpRecipe recipe = new HttpRecipe(List.of(new RecipeStep("login", "POST", "/login", null,
                Map.of("password", "{{password}}"), null, List.of(200), null, null, null)), List.of());

        assertThat(runner.loginWorks(portal.url(), recipe, "administrator", SecretValue.of(NASTY))).isTrue();

        Recorded r = portal.requests.get(0);
        assertThat(r.body()).isEqualTo("password=" + URLEncoder.encode(NASTY, StandardCharsets.UTF_8));
        assertThat(r.body().split("&")).hasSize(1);
        assertThat(r.contentType()).isEqualTo("application/x-www-form-urlencoded");
    }

    @Test
    void aHeaderValueWithALineBreakIsRefusedWithoutQuotingIt() {
        HttpRecipe recipe = new HttpRecipe(List.of(new RecipeStep("login", "POST", "/login",
                Map.of("X-Password", "{{password}}"), null, null, List.of(200), null, null, null)), List.of());

        RecipeFailure f = catchThrowableOfType(RecipeFailure.class, () -> runner.loginWorks(portal.url(), recipe,
                "administrator", SecretValue.of("pw\r\nX-Injected: yes")));

        assertThat(f.reason()).isEqualTo(RecipeFailure.Reason.BAD_RECIPE);
        assertThat(f.getMessage()).contains("X-Password").doesNotContain("X-Injected").doesNotContain("pw");
        assertThat(portal.requests).isEmpty();
    }

    @Test
    void aPathThatIsNoValidUrlIsRefusedWithoutQuotingIt() {
        RecipeFailure f = refusedLogin("/log in/{{password}}", "secret-pw");

        assertThat(f.reason()).isEqualTo(RecipeFailure.Reason.BAD_RECIPE);
        assertThat(f.getMessage()).doesNotContain("secret-pw").doesNotContain(pathEncoded("secret-pw"))
                .doesNotContain("log in");
        assertThat(portal.requests).isEmpty();
    }

    @Test
    void theChangeStepsCannotLeaveEither() {
        HttpRecipe recipe = new HttpRecipe(login("/login", null).login(), List.of(new RecipeStep("change", "POST",
                "//127.0.0.1:" + elsewhere.port() + "/admin/password", null,
                Map.of("currentPassword", "{{currentPassword}}", "newPassword", "{{newPassword}}"), null, List.of(200),
                null, null, null)));

        RecipeFailure f = catchThrowableOfType(RecipeFailure.class, () -> runner.changePassword(portal.url(), recipe,
                "administrator", SecretValue.of("old-secret"), SecretValue.of("new-secret")));

        assertThat(f.reason()).isEqualTo(RecipeFailure.Reason.LEAVES_PORTAL);
        assertThat(f.getMessage()).contains("step 'change'").doesNotContain("old-secret").doesNotContain("new-secret");
        assertThat(f.passwordMayHaveChanged()).isFalse();
        assertThat(elsewhere.requests).isEmpty();
        assertThat(portal.requests).hasSize(1);
    }

    private RecipeFailure refusedLogin(String path, String password) {
        return catchThrowableOfType(RecipeFailure.class, () -> runner.loginWorks(portal.url(), login(path, null),
                "administrator", SecretValue.of(password)));
    }

    private static HttpRecipe login(String path, Map<String, String> headers) {
        return new HttpRecipe(List.of(new RecipeStep("login", "GET", path, headers, null, null, List.of(200), null,
                null, null)), List.of());
    }

    private static String pathEncoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private record Recorded(String method, String rawPath, String rawQuery, String contentType, String body) {
    }

    /** An HTTP server that answers 200 to everything and records what it was sent. */
    private static final class Recorder implements AutoCloseable {
        final List<Recorded> requests = new CopyOnWriteArrayList<>();
        final HttpServer server;

        Recorder() {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/", ex -> {
                URI uri = ex.getRequestURI();
                requests.add(new Recorded(ex.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
                        ex.getRequestHeaders().getFirst("Content-Type"),
                        new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, ok.length);
                ex.getResponseBody().write(ok);
                ex.close();
            });
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + port());
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
