package io.rotor.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The launcher's classpath as this module's package phase wrote it (run by failsafe, after package): every entry
 * relative to target/, inside target/lib, and there. Nothing in it names another checkout or the Maven repository, so
 * a moved or copied checkout runs its own jars; rotor-local refuses any other kind of entry (RotorLocalScriptTest).
 */
class LauncherClasspathIT {

    private static final Path TARGET = Path.of("target").toAbsolutePath();

    @Test
    void everyEntryIsAJarOfThisCheckoutsTargetLib() throws Exception {
        Path file = TARGET.resolve("launcher.classpath");
        assertThat(file).isRegularFile();
        String content = Files.readString(file).strip();
        List<String> entries = Arrays.asList(content.split(":"));
        assertThat(entries).hasSizeGreaterThan(10).doesNotHaveDuplicates().allSatisfy(entry -> {
            assertThat(Path.of(entry).isAbsolute()).as("%s is absolute", entry).isFalse();
            assertThat(entry).startsWith("lib/").endsWith(".jar").doesNotContain("..").doesNotContain("\\");
            assertThat(TARGET.resolve(entry)).isRegularFile();
        });
        assertThat(content).doesNotContain(System.getProperty("user.home"))
                .doesNotContain(TARGET.getParent().getParent().toString());
    }

    @Test
    void rotorsOwnModulesAndTheLoggingTheScriptAsksForAreOnIt() {
        String content = read();
        assertThat(content).contains("lib/io.rotor.testkit-").contains("lib/io.rotor.contracts-")
                // rotor-local starts the JVM with -Djava.util.logging.manager=org.jboss.logmanager.LogManager.
                .contains("lib/org.jboss.logmanager.jboss-logmanager-");
    }

    private static String read() {
        try {
            return Files.readString(TARGET.resolve("launcher.classpath"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
