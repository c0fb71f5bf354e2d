package io.rotor.openstack.keystone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.rotor.contracts.sealing.SecretValue;
import io.rotor.openstack.keystone.KeystoneException.Reason;
import io.rotor.testkit.keystone.FakeKeystone;
import io.rotor.testkit.keystone.KeystoneAdmin;
import io.rotor.testkit.keystone.KeystoneAdmin.TestUser;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What the client does with answers a healthy Keystone does not give: the conformance suite covers the rest. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeystoneClientTest {

    private static final String PASSWORD_PATH = "/v3/users/[^/]+/password";

    private final FakeKeystone keystone = FakeKeystone.start();
    private final KeystoneAdmin admin = KeystoneAdmin.of(keystone);
    private final KeystoneClient client = KeystoneClient.builder(keystone.url().toString())
            .timeout(Duration.ofMillis(500)).build();

    @AfterAll
    void stop() {
        keystone.close();
    }

    @Test
    void serverErrorsAreRetriableAndShowNoBody() {
        TestUser user = newUser();
        keystone.failNext("POST", PASSWORD_PATH, 503, 1);

        KeystoneException e = catchThrowableOfType(KeystoneException.class,
                () -> client.changePassword(user.id(), SecretValue.of(user.password()), SecretValue.of("Next-Pw-123")));

        assertThat(e.reason()).isEqualTo(Reason.SERVER_ERROR);
        assertThat(e.retriable()).isTrue();
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.getMessage()).contains("HTTP 503").doesNotContain("html").doesNotContain("Next-Pw-123");
        assertThat(keystone.passwordCount(user.id())).as("nothing changed").isEqualTo(1);
    }

    @Test
    void aSlowAnswerIsARetriableTimeout() {
        TestUser user = newUser();
        keystone.delayNext("POST", "/v3/auth/tokens", Duration.ofMillis(1500), 1);

        KeystoneException e = catchThrowableOfType(KeystoneException.class,
                () -> client.login(UserSelector.byId(user.id()), SecretValue.of(user.password()), null));

        assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(e.retriable()).isTrue();
        assertThat(e.getMessage()).contains("may still have taken effect");
    }

    @Test
    void aClosedPortIsRetriableUnreachable() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        KeystoneClient nowhere = KeystoneClient.builder("http://127.0.0.1:" + port).build();

        KeystoneException e = catchThrowableOfType(KeystoneException.class,
                () -> nowhere.changePassword("u1", SecretValue.of("Old-Pw-123"), SecretValue.of("Next-Pw-123")));

        assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE);
        assertThat(e.retriable()).isTrue();
        assertThat(e.getMessage()).doesNotContain("Old-Pw-123").doesNotContain("Next-Pw-123");
    }

    @Test
    void schemaErrorsAreNotQuotedBecauseKeystoneEchoesTheRequest() {
        KeystoneErrors errors = new KeystoneErrors(new com.fasterxml.jackson.databind.ObjectMapper());
        String body = "{\"error\":{\"code\":400,\"message\":\"'x' is a required property\\n\\nOn instance:\\n"
                + "    {'password': 'Next-Pw-123'}\",\"title\":\"Bad Request\"}}";

        KeystoneException e = errors.fromResponse(Operation.CHANGE_PASSWORD, "user u1", 400, body, java.util.List.of());

        assertThat(e.reason()).isEqualTo(Reason.BAD_REQUEST);
        assertThat(e.keystoneMessage()).isEmpty();
        assertThat(e.getMessage()).doesNotContain("Next-Pw-123");
    }

    @Test
    void quotedMessagesAreScrubbedOfTheRequestsSecrets() {
        KeystoneErrors errors = new KeystoneErrors(new com.fasterxml.jackson.databind.ObjectMapper());
        // A password_regex_description is the operator's text; if it somehow held the secret, it would not leak.
        String body = "{\"error\":{\"code\":400,\"message\":\"The password does not match the requirements: "
                + "not Next-Pw-123.\",\"title\":\"Bad Request\"}}";

        KeystoneException e = errors.fromResponse(Operation.CHANGE_PASSWORD, "user u1", 400, body,
                java.util.List.of(SecretValue.of("Next-Pw-123")));

        assertThat(e.reason()).isEqualTo(Reason.PASSWORD_REGEX);
        assertThat(e.getMessage()).contains("[redacted]").doesNotContain("Next-Pw-123");
    }

    @Test
    void aPasswordLongerThanBcryptReadsIsRefusedBeforeSending() {
        TestUser user = newUser();
        long before = keystone.requestCount("POST", PASSWORD_PATH);

        KeystoneException e = catchThrowableOfType(KeystoneException.class, () -> client.changePassword(user.id(),
                SecretValue.of(user.password()), SecretValue.of("é".repeat(37))));

        assertThat(e.reason()).isEqualTo(Reason.PASSWORD_TOO_LONG);
        assertThat(e.getMessage()).contains("74-byte");
        assertThat(keystone.requestCount("POST", PASSWORD_PATH)).isEqualTo(before);
    }

    @Test
    void anHtmlPageInsteadOfATokenIsAnUnexpectedResponse() {
        TestUser user = newUser();
        keystone.failNext("POST", "/v3/auth/tokens", 302, 1);

        KeystoneException e = catchThrowableOfType(KeystoneException.class,
                () -> client.login(UserSelector.byId(user.id()), SecretValue.of(user.password()), null));

        assertThat(e.reason()).isEqualTo(Reason.UNEXPECTED_RESPONSE);
        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).contains("redirect");
    }

    @Test
    void identityUrlGetsV3Once() {
        assertThat(KeystoneClient.identityUrl("https://keystone.example:5000").toString())
                .isEqualTo("https://keystone.example:5000/v3");
        assertThat(KeystoneClient.identityUrl("https://keystone.example/identity/v3/").toString())
                .isEqualTo("https://keystone.example/identity/v3");
    }

    @Test
    void domainIdsAndNamesAreToldApartAsKeystoneWritesThem() {
        assertThat(DomainSelector.parse("default")).isEqualTo(DomainSelector.byId("default"));
        assertThat(DomainSelector.parse("Default")).isEqualTo(DomainSelector.byName("Default"));
        assertThat(DomainSelector.parse("0123456789abcdef0123456789abcdef").id()).isNotNull();
        assertThat(DomainSelector.parse("corp").name()).isEqualTo("corp");
    }

    @Test
    void tokensAndSecretsNeverPrint() {
        TestUser user = newUser();
        Token token = client.login(UserSelector.byId(user.id()), SecretValue.of(user.password()), null);

        assertThat(token.toString()).contains(user.id()).doesNotContain(token.id().reveal());
    }

    private TestUser newUser() {
        return admin.createUser(admin.uniqueName("client"), "Pw-" + System.nanoTime() + "-Xy9");
    }
}
