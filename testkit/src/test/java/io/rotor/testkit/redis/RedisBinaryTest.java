package io.rotor.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisBinaryTest {

    @TempDir
    Path tempDir;

    @Test
    void embeddedBinaryIsExtractedExecutableAndReportsRedis6() {
        RedisBinary binary = RedisBinary.resolve("embedded", "");

        assertThat(binary.source()).isEqualTo(RedisBinary.Source.EMBEDDED);
        assertThat(Files.isExecutable(binary.path())).isTrue();
        assertThat(binary.majorVersion()).isEqualTo(6);
    }

    @Test
    void fallsBackToTheEmbeddedBinaryWhenPathHasNone() {
        RedisBinary binary = RedisBinary.resolve(null, tempDir.toString());

        assertThat(binary.source()).isEqualTo(RedisBinary.Source.EMBEDDED);
    }

    @Test
    void prefersRedisServerOnPath() throws IOException {
        Path fake = fakeRedisServer("7.0.15");

        RedisBinary binary = RedisBinary.resolve(null, "/nonexistent:" + tempDir);

        assertThat(binary.source()).isEqualTo(RedisBinary.Source.PATH);
        assertThat(binary.path()).isEqualTo(fake);
        assertThat(binary.version()).isEqualTo("7.0.15");
        assertThat(binary.majorVersion()).isEqualTo(7);
    }

    @Test
    void forcingPathFailsClearlyWhenNoneIsInstalled() {
        assertThatThrownBy(() -> RedisBinary.resolve("path", tempDir.toString()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no executable redis-server is on PATH");
    }

    @Test
    void explicitPathMustBeExecutable() {
        assertThatThrownBy(() -> RedisBinary.resolve(tempDir.resolve("missing").toString(), ""))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not an executable");
    }

    private Path fakeRedisServer(String version) throws IOException {
        Path script = tempDir.resolve("redis-server");
        Files.writeString(script, "#!/bin/sh\necho \"Redis server v=" + version + " sha=00000000:0 malloc=libc\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}
