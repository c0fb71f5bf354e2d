package io.rotor.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedisServerProcessTest {

    @RegisterExtension
    final RedisServerExtension redis = RedisServerExtension.with(builder -> builder.withAclFile());

    @Test
    void userWithTwoPasswordsAuthenticatesWithEitherUntilOneIsRemoved() {
        RedisServerProcess server = redis.server();
        try (RespClient admin = server.connect()) {
            admin.callText("ACL", "SETUSER", "app", "on", ">first-pw", ">second-pw", "~*", "+@all");
        }

        assertThat(authenticates(server, "app", "first-pw")).isTrue();
        assertThat(authenticates(server, "app", "second-pw")).isTrue();
        assertThat(authenticates(server, "app", "wrong-pw")).isFalse();

        try (RespClient admin = server.connect()) {
            admin.callText("ACL", "SETUSER", "app", "<first-pw");
        }
        assertThat(authenticates(server, "app", "first-pw")).isFalse();
        assertThat(authenticates(server, "app", "second-pw")).isTrue();
    }

    @Test
    void aclSaveWritesUsersToTheAclFileWithHashedPasswords() {
        RedisServerProcess server = redis.server();
        try (RespClient admin = server.connect()) {
            admin.callText("ACL", "SETUSER", "app", "on", ">plain-secret", "~*", "+@all");
            assertThat(server.readAclFile()).noneMatch(line -> line.startsWith("user app "));

            admin.callText("ACL", "SAVE");
        }

        assertThat(server.readAclFile()).anyMatch(line -> line.startsWith("user app on #"));
        assertThat(String.join("\n", server.readAclFile())).doesNotContain("plain-secret");
    }

    @Test
    void killedServerRestartsOnTheSamePortWithOnlyTheSavedAcls() {
        RedisServerProcess server = redis.server();
        int port = server.port();
        try (RespClient admin = server.connect()) {
            admin.callText("ACL", "SETUSER", "saved", "on", ">saved-pw", "~*", "+@all");
            admin.callText("ACL", "SAVE");
            admin.callText("ACL", "SETUSER", "unsaved", "on", ">unsaved-pw", "~*", "+@all");
        }

        server.kill();
        assertThat(server.isRunning()).isFalse();
        assertThatThrownBy(server::connect).isInstanceOf(UncheckedIOException.class);

        server.restart();
        assertThat(server.port()).isEqualTo(port);
        assertThat(authenticates(server, "saved", "saved-pw")).isTrue();
        assertThat(authenticates(server, "unsaved", "unsaved-pw")).isFalse();
    }

    @ParameterizedTest(name = "with aclfile: {0}")
    @ValueSource(booleans = { false, true })
    void defaultUserPasswordIsRequiredWithOrWithoutAnAclFile(boolean aclFile) {
        RedisServerProcess.Builder builder = RedisServerProcess.builder().defaultUserPassword("default-pw");
        if (aclFile) {
            builder.aclUser(AclUser.fullAccess("app", "app-pw"));
        }
        try (RedisServerProcess server = builder.start()) {
            try (RespClient anonymous = server.connect()) {
                RespReply reply = anonymous.ping();
                assertThat(reply).isInstanceOfSatisfying(RespReply.ErrorReply.class,
                        error -> assertThat(error.code()).isEqualTo("NOAUTH"));
            }
            try (RespClient admin = server.connectAsDefaultUser()) {
                assertThat(admin.ping().text()).isEqualTo("PONG");
            }
            assertThat(authenticates(server, "default", "wrong")).isFalse();
            if (aclFile) {
                assertThat(authenticates(server, "app", "app-pw")).isTrue();
            }
        }
    }

    @Test
    void initialAclUsersFromTheBuilderCanAuthenticate() {
        try (RedisServerProcess server = RedisServerProcess.builder()
                .aclUser(AclUser.fullAccess("app", "one", "two"))
                .aclUser(AclUser.of("reader", "on", ">read-pw", "~*", "+@read"))
                .start()) {
            assertThat(authenticates(server, "app", "one")).isTrue();
            assertThat(authenticates(server, "app", "two")).isTrue();
            try (RespClient reader = server.connect()) {
                assertThat(reader.auth("reader", "read-pw")).isTrue();
                RespReply write = reader.call("SET", "k", "v");
                assertThat(write).isInstanceOfSatisfying(RespReply.ErrorReply.class,
                        error -> assertThat(error.code()).isEqualTo("NOPERM"));
            }
        }
    }

    @Test
    void startupFailureReportsTheServerLogTail() {
        assertThatThrownBy(() -> RedisServerProcess.builder().config("no-such-directive", "x").start())
                .isInstanceOf(RedisStartupException.class)
                .hasMessageContaining("exited")
                .hasMessageContaining("no-such-directive");
    }

    @Test
    void stoppedServerIsNotRunningAndStopIsIdempotent() {
        RedisServerProcess server = redis.server();
        server.stop();
        server.stop();
        assertThat(server.isRunning()).isFalse();
    }

    private static boolean authenticates(RedisServerProcess server, String user, String password) {
        try (RespClient client = server.connect()) {
            return client.auth(user, password);
        }
    }
}
