package io.rotor.testkit.configui;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.rotor.testkit.rec.TestCertificateAuthority;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the API-management Developer Portal's admin pages, for tests of the HTTP recipe mode. It behaves like
 * a typical form-login web application: a session cookie, a CSRF token in every form (rotated per page), a login that
 * answers a failed attempt with the form again and an error text, and a change-password form that wants the current
 * password. The real product documents only the UI step; an installation's own recipe describes its pages.
 *
 * <p>{@link #startTls} serves HTTPS with a certificate for {@code localhost} and {@code 127.0.0.1} from a test CA;
 * {@link #failNext} makes the next requests answer with a server error, as a portal in trouble would.
 */
public final class FakeConfigUiPortal implements AutoCloseable {

    public static final String SESSION_COOKIE = "PORTALSESSION";

    private final HttpServer server;
    private final String adminUser;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger failedLogins = new AtomicInteger();
    private final AtomicInteger passwordChanges = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger failuresToInject = new AtomicInteger();
    private volatile int injectedStatus = 503;
    private volatile int statusAfterNextChange;
    private volatile String password;

    private static final class Session {
        volatile String csrf;
        volatile boolean authenticated;
    }

    private FakeConfigUiPortal(String adminUser, String password, TestCertificateAuthority ca) {
        this.adminUser = adminUser;
        this.password = password;
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            if (ca == null) {
                server = HttpServer.create(address, 16);
            } else {
                HttpsServer https = HttpsServer.create(address, 16);
                https.setHttpsConfigurator(new HttpsConfigurator(ca.issue("localhost", "127.0.0.1").serverContext()));
                server = https;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/login", counted(this::login));
        server.createContext("/admin/password", counted(this::changePassword));
        server.createContext("/admin", counted(this::admin));
    }

    /** Starts the portal on a free loopback port with one admin user. */
    public static FakeConfigUiPortal start(String adminUser, String password) {
        FakeConfigUiPortal portal = new FakeConfigUiPortal(adminUser, password, null);
        portal.server.start();
        return portal;
    }

    /** The same over HTTPS, with a server certificate for localhost and 127.0.0.1 issued by {@code ca}. */
    public static FakeConfigUiPortal startTls(String adminUser, String password, TestCertificateAuthority ca) {
        FakeConfigUiPortal portal = new FakeConfigUiPortal(adminUser, password, ca);
        portal.server.start();
        return portal;
    }

    /** {@code http://127.0.0.1:port}, or {@code https://localhost:port} (the name in the certificate). */
    public URI url() {
        return server instanceof HttpsServer ? URI.create("https://localhost:" + server.getAddress().getPort())
                : URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next {@code count} requests are answered with {@code status} (a 5xx) and change nothing. */
    public void failNext(int count, int status) {
        injectedStatus = status;
        failuresToInject.set(count);
    }

    /** The next password change is made, but answered with {@code status}, as a portal failing after its commit. */
    public void failAfterNextChange(int status) {
        statusAfterNextChange = status;
    }

    /** Requests served so far, injected failures included. */
    public int requests() {
        return requests.get();
    }

    private HttpHandler counted(HttpHandler handler) {
        return ex -> {
            requests.incrementAndGet();
            if (failuresToInject.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                ex.getRequestBody().readAllBytes();
                page(ex, injectedStatus, null, "<p>Service temporarily unavailable</p>");
                return;
            }
            handler.handle(ex);
        };
    }

    /** Whether {@code candidate} is the admin's password now (tests use it instead of reading the password). */
    public boolean passwordIs(String candidate) {
        return password.equals(candidate);
    }

    /** What an operator does by hand in the Admin view before confirming a manual rotation. */
    public void changePasswordInAdminView(String newPassword) {
        password = newPassword;
        passwordChanges.incrementAndGet();
    }

    public int failedLogins() {
        return failedLogins.get();
    }

    public int passwordChanges() {
        return passwordChanges.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void login(HttpExchange ex) throws IOException {
        Session session = session(ex);
        if (ex.getRequestMethod().equals("GET")) {
            page(ex, 200, session, "<h1>Developer Portal</h1><form method=\"post\" action=\"/login\">"
                    + csrfField(session) + "<input name=\"username\"><input name=\"password\" type=\"password\"></form>");
            return;
        }
        Map<String, String> form = form(ex);
        if (!csrfOk(session, form)) {
            page(ex, 403, session, "<p>CSRF token invalid or missing</p>");
            return;
        }
        if (adminUser.equals(form.get("username")) && password.equals(form.get("password"))) {
            session.authenticated = true;
            session.csrf = token();
            ex.getResponseHeaders().add("Location", "/admin");
            page(ex, 302, session, "");
            return;
        }
        failedLogins.incrementAndGet();
        page(ex, 200, session, "<p class=\"error\">Invalid username or password</p><form method=\"post\" action=\"/login\">"
                + csrfField(session) + "</form>");
    }

    private void admin(HttpExchange ex) throws IOException {
        Session session = session(ex);
        if (!session.authenticated) {
            ex.getResponseHeaders().add("Location", "/login");
            page(ex, 302, session, "");
            return;
        }
        page(ex, 200, session, "<h1>Admin view</h1>");
    }

    private void changePassword(HttpExchange ex) throws IOException {
        Session session = session(ex);
        if (!session.authenticated) {
            ex.getResponseHeaders().add("Location", "/login");
            page(ex, 302, session, "");
            return;
        }
        if (ex.getRequestMethod().equals("GET")) {
            page(ex, 200, session, "<form method=\"post\" action=\"/admin/password\">" + csrfField(session)
                    + "<input name=\"currentPassword\"><input name=\"newPassword\"></form>");
            return;
        }
        Map<String, String> form = form(ex);
        if (!csrfOk(session, form)) {
            page(ex, 403, session, "<p>CSRF token invalid or missing</p>");
            return;
        }
        String next = form.get("newPassword");
        if (!password.equals(form.get("currentPassword"))) {
            page(ex, 200, session, "<p class=\"error\">The current password is not correct</p>");
            return;
        }
        if (next == null || next.length() < 8) {
            page(ex, 200, session, "<p class=\"error\">The new password must have at least 8 characters</p>");
            return;
        }
        password = next;
        passwordChanges.incrementAndGet();
        // Like most portals: changing the password ends every other session.
        sessions.values().forEach(s -> {
            if (s != session) {
                s.authenticated = false;
            }
        });
        int failAfter = statusAfterNextChange;
        if (failAfter != 0) {
            statusAfterNextChange = 0;
            page(ex, failAfter, session, "<p>Service temporarily unavailable</p>");
            return;
        }
        page(ex, 200, session, "<p class=\"success\">Password changed</p>");
    }

    private Session session(HttpExchange ex) {
        String cookies = String.join(";", ex.getRequestHeaders().getOrDefault("Cookie", List.of()));
        for (String c : cookies.split(";")) {
            String[] kv = c.trim().split("=", 2);
            if (kv.length == 2 && kv[0].equals(SESSION_COOKIE) && sessions.containsKey(kv[1])) {
                return sessions.get(kv[1]);
            }
        }
        String id = token();
        Session s = new Session();
        s.csrf = token();
        sessions.put(id, s);
        ex.getResponseHeaders().add("Set-Cookie", SESSION_COOKIE + "=" + id + "; Path=/; HttpOnly");
        return s;
    }

    private boolean csrfOk(Session session, Map<String, String> form) {
        boolean ok = session.csrf != null && session.csrf.equals(form.get("_csrf"));
        // A token is good for one form submission.
        session.csrf = token();
        return ok;
    }

    private String csrfField(Session session) {
        if (session.csrf == null) {
            session.csrf = token();
        }
        return "<input type=\"hidden\" name=\"_csrf\" value=\"" + session.csrf + "\">";
    }

    private String token() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static Map<String, String> form(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv.length == 2) {
                form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static void page(HttpExchange ex, int status, Session session, String body) throws IOException {
        byte[] bytes = ("<html><body>" + body + "</body></html>").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }
}
