package io.rotor.testkit.rec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Redis Enterprise fake answers as the real API does, over HTTPS with Basic auth. */
class RedisEnterpriseFakeTest {

    private static final String ADMIN = "admin@example.com";

    private final MovingClock clock = new MovingClock();
    private final RedisEnterpriseFake rec = RedisEnterpriseFake.builder().clock(clock)
            .user(ADMIN, "admin", "Old-pw-1!").user("viewer@example.com", "db_viewer", "View-pw-1!").start();
    private final HttpClient client = HttpClient.newBuilder().sslContext(trusting(rec)).build();
    private final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void stop() {
        rec.close();
    }

    @Test
    void everyCallNeedsBasicAuth() throws Exception {
        HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(URI.create(rec.url() + "/v1/users")).GET()
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(call("GET", "/v1/users", ADMIN, "Old-pw-1!", null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/v1/users", "viewer@example.com", "View-pw-1!", null).statusCode()).isEqualTo(403);
    }

    @Test
    void passwordsAreAddedAndRemovedAndTheLastOneStays() throws Exception {
        assertThat(call("POST", "/v1/users/password", ADMIN, "Old-pw-1!", "{\"new_password\":\"New-pw-2!\"}")
                .statusCode()).isEqualTo(200);
        assertThat(rec.accepts(ADMIN, "Old-pw-1!")).isTrue();
        assertThat(rec.accepts(ADMIN, "New-pw-2!")).isTrue();

        HttpResponse<String> again = call("POST", "/v1/users/password", ADMIN, "New-pw-2!",
                "{\"new_password\":\"New-pw-2!\"}");
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.body()).contains("new_password_same_as_current");

        assertThat(call("DELETE", "/v1/users/password", ADMIN, "New-pw-2!", "{\"old_password\":\"Old-pw-1!\"}")
                .statusCode()).isEqualTo(200);
        HttpResponse<String> last = call("DELETE", "/v1/users/password", ADMIN, "New-pw-2!",
                "{\"old_password\":\"New-pw-2!\"}");
        assertThat(last.statusCode()).isEqualTo(400);
        assertThat(last.body()).contains("cannot_delete_last_password");
        HttpResponse<String> gone = call("DELETE", "/v1/users/password", ADMIN, "New-pw-2!",
                "{\"old_password\":\"Old-pw-1!\"}");
        assertThat(gone.statusCode()).isEqualTo(404);
    }

    @Test
    void putReplacesTheWholeList() throws Exception {
        call("POST", "/v1/users/password", ADMIN, "Old-pw-1!", "{\"new_password\":\"New-pw-2!\"}");

        assertThat(call("PUT", "/v1/users/password", ADMIN, "New-pw-2!", "{\"new_password\":\"Only-pw-3!\"}")
                .statusCode()).isEqualTo(200);

        assertThat(rec.passwordCount(ADMIN)).isEqualTo(1);
        assertThat(rec.accepts(ADMIN, "Only-pw-3!")).isTrue();
    }

    @Test
    void fiveFailedLoginsInFifteenMinutesLockTheAccountForThirty() throws Exception {
        for (int i = 0; i < 4; i++) {
            assertThat(call("GET", "/v1/users", ADMIN, "wrong", null).statusCode()).isEqualTo(401);
        }
        assertThat(rec.locked(ADMIN)).isFalse();
        assertThat(call("GET", "/v1/users", ADMIN, "wrong", null).statusCode()).isEqualTo(401);

        assertThat(rec.locked(ADMIN)).isTrue();
        assertThat(call("GET", "/v1/users", ADMIN, "Old-pw-1!", null).statusCode()).isEqualTo(401);
        clock.advance(Duration.ofMinutes(30));
        assertThat(call("GET", "/v1/users", ADMIN, "Old-pw-1!", null).statusCode()).isEqualTo(200);
        assertThat(rec.lockouts()).isEqualTo(1);
    }

    @Test
    void theCounterIsNotASlidingWindowAFailureEveryFiveMinutesLocksAtTheFifth() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(rec.locked(ADMIN)).as("before failure " + (i + 1)).isFalse();
            call("GET", "/v1/users", ADMIN, "wrong", null);
            clock.advance(Duration.ofMinutes(5));
        }

        assertThat(rec.lockouts()).as("the first failure is 25 minutes old, but never 15 quiet minutes passed")
                .isEqualTo(1);
    }

    @Test
    void aSuccessDoesNotResetTheCounter() throws Exception {
        for (int i = 0; i < 4; i++) {
            call("GET", "/v1/users", ADMIN, "wrong", null);
        }
        assertThat(call("GET", "/v1/users", ADMIN, "Old-pw-1!", null).statusCode()).isEqualTo(200);
        call("GET", "/v1/users", ADMIN, "wrong", null);

        assertThat(rec.locked(ADMIN)).isTrue();
    }

    @Test
    void aLockedUserIsListedAsLockedAndAnAdminsPasswordResetUnlocksIt() throws Exception {
        for (int i = 0; i < 5; i++) {
            call("GET", "/v1/users", "viewer@example.com", "wrong", null);
        }
        HttpResponse<String> refused = call("GET", "/v1/users", "viewer@example.com", "View-pw-1!", null);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("locked");
        JsonNode users = json.readTree(call("GET", "/v1/users", ADMIN, "Old-pw-1!", null).body());
        JsonNode viewer = null;
        for (JsonNode user : users) {
            if (user.path("email").asText().equals("viewer@example.com")) {
                viewer = user;
            }
        }
        assertThat(viewer.path("status").asText()).isEqualTo("locked");

        int uid = rec.uidOf("viewer@example.com").orElseThrow();
        assertThat(call("PUT", "/v1/users/" + uid, ADMIN, "Old-pw-1!", "{\"password\":\"Reset-pw-1!\"}")
                .statusCode()).isEqualTo(200);
        assertThat(rec.status("viewer@example.com")).isEqualTo("active");
        assertThat(call("GET", "/v1/users/" + uid, "viewer@example.com", "Reset-pw-1!", null).statusCode())
                .isEqualTo(200);
    }

    @Test
    void theClusterPolicyTellsTheLockoutRulesAndCanBeTuned() throws Exception {
        JsonNode policy = json.readTree(call("GET", "/v1/cluster/policy", ADMIN, "Old-pw-1!", null).body());
        assertThat(policy.path("login_lockout_threshold").asInt()).isEqualTo(5);
        assertThat(policy.path("login_lockout_duration").asInt()).isEqualTo(1800);
        assertThat(policy.path("login_lockout_counter_reset_after").asInt()).isEqualTo(900);

        rec.lockoutPolicy(2, Duration.ZERO, Duration.ofHours(1));
        call("GET", "/v1/users", ADMIN, "wrong", null);
        clock.advance(Duration.ofMinutes(50));
        call("GET", "/v1/users", ADMIN, "wrong", null);
        clock.advance(Duration.ofDays(1));
        assertThat(rec.locked(ADMIN)).as("duration 0: locked until an admin resets the password").isTrue();
    }

    @Test
    void aGatewayTimeoutAfterTheLoginStillCountsIt() throws Exception {
        rec.failAfterLogin(1, 504);
        assertThat(call("GET", "/v1/users", ADMIN, "wrong", null).statusCode()).isEqualTo(504);

        assertThat(rec.failedLogins(ADMIN)).isEqualTo(1);
    }

    @Test
    void failuresOutsideTheWindowDoNotCount() throws Exception {
        for (int i = 0; i < 4; i++) {
            call("GET", "/v1/users", ADMIN, "wrong", null);
        }
        clock.advance(Duration.ofMinutes(16));
        call("GET", "/v1/users", ADMIN, "wrong", null);

        assertThat(rec.locked(ADMIN)).isFalse();
        assertThat(rec.failedLogins(ADMIN)).isEqualTo(1);
        assertThat(rec.failedLoginsTotal(ADMIN)).isEqualTo(5);
    }

    @Test
    void theUsernameOnPostIsHonouredUnlessTheBuildIgnoresIt() throws Exception {
        String forViewer = "{\"username\":\"viewer@example.com\",\"new_password\":\"Next-pw-3!\"}";
        assertThat(call("POST", "/v1/users/password", ADMIN, "Old-pw-1!", forViewer).statusCode()).isEqualTo(200);
        assertThat(rec.accepts("viewer@example.com", "Next-pw-3!")).isTrue();

        rec.ignoresUsernameOnPost(true);
        String again = "{\"username\":\"viewer@example.com\",\"new_password\":\"Other-pw-4!\"}";
        assertThat(call("POST", "/v1/users/password", ADMIN, "Old-pw-1!", again).statusCode()).isEqualTo(200);

        assertThat(rec.accepts("viewer@example.com", "Other-pw-4!")).isFalse();
        assertThat(rec.accepts(ADMIN, "Other-pw-4!")).isTrue();
    }

    @Test
    void usersAreCreatedListedAndDeleted() throws Exception {
        HttpResponse<String> created = call("POST", "/v1/users", ADMIN, "Old-pw-1!",
                "{\"email\":\"admin2@example.com\",\"password\":\"Second-pw-5!\",\"role\":\"admin\"}");
        assertThat(created.statusCode()).isEqualTo(200);
        int uid = rec.uidOf("admin2@example.com").orElseThrow();
        assertThat(call("GET", "/v1/users", "admin2@example.com", "Second-pw-5!", null).body())
                .contains("admin2@example.com");

        assertThat(call("DELETE", "/v1/users/" + uid, "admin2@example.com", "Second-pw-5!", null).statusCode())
                .isEqualTo(200);
        assertThat(rec.userExists("admin2@example.com")).isFalse();
        assertThat(call("DELETE", "/v1/users/" + uid, ADMIN, "Old-pw-1!", null).body()).contains("user_not_exist");
    }

    @Test
    void creatingAUserThatExistsAnswers409WithTheRealErrorBody() throws Exception {
        HttpResponse<String> sameEmail = call("POST", "/v1/users", ADMIN, "Old-pw-1!",
                "{\"email\":\"viewer@example.com\",\"password\":\"Other-pw-6!\",\"role\":\"admin\"}");
        assertThat(sameEmail.statusCode()).isEqualTo(409);
        JsonNode body = json.readTree(sameEmail.body());
        assertThat(body.path("error_code").asText()).isEqualTo("email_already_exists");
        assertThat(body.path("description").asText()).isNotBlank();
        assertThat(body.has("message")).isFalse();

        rec.addUser("named@example.com", "Ops Team", "db_viewer", "Named-pw-7!");
        HttpResponse<String> sameName = call("POST", "/v1/users", ADMIN, "Old-pw-1!",
                "{\"email\":\"new@example.com\",\"name\":\"Ops Team\",\"password\":\"Other-pw-6!\","
                        + "\"role\":\"admin\"}");
        assertThat(sameName.statusCode()).isEqualTo(409);
        assertThat(json.readTree(sameName.body()).path("error_code").asText()).isEqualTo("name_already_exists");
        assertThat(rec.userExists("new@example.com")).isFalse();
        assertThat(rec.accepts("viewer@example.com", "Other-pw-6!")).isFalse();
    }

    @Test
    void everyErrorCarriesACodeAndADescription() throws Exception {
        HttpResponse<String> notAdmin = call("GET", "/v1/users", "viewer@example.com", "View-pw-1!", null);

        JsonNode body = json.readTree(notAdmin.body());
        assertThat(body.path("error_code").asText()).isEqualTo("unauthorized_action");
        assertThat(body.path("description").asText()).isNotBlank();
    }

    @Test
    void aUserNeedsARoleOrRoleUids() throws Exception {
        HttpResponse<String> roleless = call("POST", "/v1/users", ADMIN, "Old-pw-1!",
                "{\"email\":\"x@example.com\",\"password\":\"Some-pw-8!\"}");

        assertThat(roleless.statusCode()).isEqualTo(400);
        assertThat(rec.userExists("x@example.com")).isFalse();
    }

    @Test
    void rolesAreListedAndUsersShowRoleUidsOnAnRbacCluster() throws Exception {
        int dba = rec.addRole("DBA", "admin");
        HttpResponse<String> roles = call("GET", "/v1/roles", "viewer@example.com", "View-pw-1!", null);
        assertThat(roles.statusCode()).isEqualTo(200);
        assertThat(json.readTree(roles.body()).findValuesAsText("management")).contains("admin", "db_viewer");

        assertThat(call("POST", "/v1/users", ADMIN, "Old-pw-1!", "{\"email\":\"dba@example.com\","
                + "\"password\":\"Dba-pw-9!\",\"role_uids\":[" + dba + "]}").statusCode()).isEqualTo(200);

        assertThat(rec.isAdmin("dba@example.com")).isTrue();
        assertThat(rec.roleUidsGiven("dba@example.com")).containsExactly(dba);
        JsonNode listed = json.readTree(call("GET", "/v1/users", "dba@example.com", "Dba-pw-9!", null).body());
        for (JsonNode user : listed) {
            assertThat(user.has("role")).isFalse();
            assertThat(user.path("role_uids").isArray()).isTrue();
        }
        rec.setRole("dba@example.com", "db_viewer");
        assertThat(rec.isAdmin("dba@example.com")).isFalse();
        assertThat(call("GET", "/v1/users", "dba@example.com", "Dba-pw-9!", null).statusCode()).isEqualTo(403);
    }

    @Test
    void aClusterWithoutRbacHasNoRolesApiAndRefusesRoleUids() throws Exception {
        rec.rbac(false);

        HttpResponse<String> roles = call("GET", "/v1/roles", ADMIN, "Old-pw-1!", null);
        assertThat(roles.statusCode()).isEqualTo(501);
        assertThat(call("POST", "/v1/users", ADMIN, "Old-pw-1!", "{\"email\":\"a2@example.com\","
                + "\"password\":\"Second-pw-5!\",\"role_uids\":[1]}").statusCode()).isEqualTo(400);
        assertThat(call("POST", "/v1/users", ADMIN, "Old-pw-1!", "{\"email\":\"a2@example.com\","
                + "\"password\":\"Second-pw-5!\",\"role\":\"admin\"}").statusCode()).isEqualTo(200);
        assertThat(json.readTree(call("GET", "/v1/users", ADMIN, "Old-pw-1!", null).body()).get(0)
                .path("role").asText()).isEqualTo("admin");
    }

    @Test
    void aClusterLike74WantsOneOfTheUsersPasswordsAsOldPasswordOnPostAndPut() throws Exception {
        rec.requiresOldPassword(true);

        HttpResponse<String> without = call("POST", "/v1/users/password", ADMIN, "Old-pw-1!",
                "{\"new_password\":\"New-pw-2!\"}");
        assertThat(without.statusCode()).isEqualTo(400);
        HttpResponse<String> wrong = call("POST", "/v1/users/password", ADMIN, "Old-pw-1!",
                "{\"old_password\":\"Guess-pw-0!\",\"new_password\":\"New-pw-2!\"}");
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(rec.accepts(ADMIN, "New-pw-2!")).isFalse();

        assertThat(call("POST", "/v1/users/password", ADMIN, "Old-pw-1!",
                "{\"old_password\":\"Old-pw-1!\",\"new_password\":\"New-pw-2!\"}").statusCode()).isEqualTo(200);
        assertThat(rec.accepts(ADMIN, "New-pw-2!")).isTrue();
        assertThat(call("PUT", "/v1/users/password", ADMIN, "New-pw-2!", "{\"new_password\":\"Only-pw-3!\"}")
                .statusCode()).isEqualTo(400);

        rec.requiresOldPassword(false);
        assertThat(call("POST", "/v1/users/password", ADMIN, "New-pw-2!", "{\"new_password\":\"Third-pw-4!\"}")
                .statusCode()).isEqualTo(200);
    }

    @Test
    void complexityIsEnforcedWhenEnabled() throws Exception {
        rec.passwordComplexity(true);

        HttpResponse<String> simple = call("POST", "/v1/users/password", ADMIN, "Old-pw-1!",
                "{\"new_password\":\"simple\"}");

        assertThat(simple.statusCode()).isEqualTo(400);
        assertThat(simple.body()).contains("password_not_complex");
        assertThat(RedisEnterpriseFake.complexEnough("Aaaaa1!b", "x@y")).isFalse();
        assertThat(RedisEnterpriseFake.complexEnough("Aaa1!bcd", "x@y")).isTrue();
    }

    @Test
    void aClientThatDoesNotTrustTheTestCaCannotConnect() {
        HttpClient untrusting = HttpClient.newHttpClient();

        assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(URI.create(rec.url() + "/v1/users")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void transientFailuresCanBeInjected() throws Exception {
        rec.failNext(1, 503);

        assertThat(call("GET", "/v1/users", ADMIN, "Old-pw-1!", null).statusCode()).isEqualTo(503);
        assertThat(call("GET", "/v1/users", ADMIN, "Old-pw-1!", null).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> call(String method, String path, String user, String password, String body)
            throws Exception {
        String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(rec.url() + path))
                .header("Authorization", "Basic " + auth).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static SSLContext trusting(RedisEnterpriseFake rec) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(rec.certificateAuthority().certificatePemBytes())));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class MovingClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
