package io.rotor.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code rotor-local} script itself, in throwaway checkouts: the real script and the real options source, with a
 * stand-in {@code ./mvnw} (it records that it ran and leaves what the real build leaves) and a {@code java} on the
 * PATH that runs source files for real (the script's --help and input checks) but only records how the launcher
 * would have been started. Nothing is built and nothing is started.
 */
class RotorLocalScriptTest {

    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();
    private static final String OPTIONS_SOURCE = "local-stack/src/main/java/io/rotor/local/LauncherOptions.java";
    private static final List<String> SERVICES = List.of("orchestrator", "redis-rotator", "openstack-rotator",
            "configui-rotator", "k8s-secret-writer");

    /** What the real build leaves that the script looks at, written by the stand-in mvnw. */
    private static final String FAKE_BUILD = """
            #!/usr/bin/env bash
            echo "$*" >>"$ROTOR_TEST_CALLS/mvnw"
            t=local-stack/target
            mkdir -p "$t/lib" "$t/classes/io/rotor/local"
            : >"$t/classes/io/rotor/local/LocalStack.class"
            for m in orchestrator redis-rotator openstack-rotator configui-rotator k8s-secret-writer; do
              mkdir -p "$m/target/quarkus-app" && : >"$m/target/quarkus-app/quarkus-run.jar"
            done
            echo jar >"$t/lib/io.rotor.testkit-0.1.0-SNAPSHOT.jar"
            echo jar >"$t/lib/org.apache.kafka.kafka-clients-4.1.1.jar"
            printf '%s' 'lib/io.rotor.testkit-0.1.0-SNAPSHOT.jar:lib/org.apache.kafka.kafka-clients-4.1.1.jar' \\
              >"$t/launcher.classpath"
            """;

    private static final String FAKE_JAVA = """
            #!/usr/bin/env bash
            case "$1" in
              *.java) exec "$ROTOR_TEST_REAL_JAVA" "$@" ;;
            esac
            printf '%s\\n' "$@" >"$ROTOR_TEST_CALLS/java"
            """;

    @TempDir
    Path tmp;
    private Path calls;
    private Path bin;

    @BeforeEach
    void standIns() throws IOException {
        calls = Files.createDirectories(tmp.resolve("calls"));
        bin = Files.createDirectories(tmp.resolve("bin"));
        executable(bin.resolve("java"), FAKE_JAVA);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h"})
    void helpOnAFreshCloneBuildsAndStartsNothing(String commandLine) throws Exception {
        Path checkout = freshClone("rotor");
        Result r = run(checkout, commandLine.split(" "));
        assertThat(r.exit).isZero();
        assertThat(r.stdout).startsWith("Usage: ./rotor-local [options]").contains("--port-base N")
                .contains("(default: 8080)").contains("--kafka-port N").contains("--kubernetes-port N")
                .contains("--no-demo-rotation").contains("--rebuild").contains("-h, --help");
        assertThat(r.stderr).isEmpty();
        assertThat(builds()).isEmpty();
        assertThat(launches()).isEmpty();
        assertThat(checkout.resolve("local-stack/target")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"--port-base abc", "--port-base 70000", "--kafka-port -1", "--kubernetes-port",
            "--bogus"})
    void badInputIsOneLineAndExitCode2BeforeAnyBuild(String commandLine) throws Exception {
        Result r = run(freshClone("rotor"), commandLine.split(" "));
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.stderr.lines()).hasSize(1).allSatisfy(line -> assertThat(line).startsWith("rotor-local: "));
        assertThat(r.stderr).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.stdout).isEmpty();
        assertThat(builds()).isEmpty();
        assertThat(launches()).isEmpty();
    }

    @Test
    void badInputOnABuiltCheckoutNeverReachesABuild() throws Exception {
        Path checkout = freshClone("rotor");
        run(checkout);
        Files.delete(calls.resolve("mvnw"));
        Result r = run(checkout, "--rebuild", "--kafka-port", "x");
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.stderr).isEqualTo("rotor-local: --kafka-port takes a port number, not \"x\"\n");
        assertThat(builds()).isEmpty();
    }

    @Test
    void aFreshCloneIsBuiltOnceThenRunsItsOwnJars() throws Exception {
        Path checkout = freshClone("rotor");
        Result first = run(checkout, "--port-base", "18080");
        assertThat(first.exit).isZero();
        assertThat(builds()).hasSize(1);
        assertThat(builds().get(0)).contains("package").contains("-pl local-stack,orchestrator,")
                .doesNotContain("install");
        assertThat(classpath()).containsExactly(checkout.resolve("local-stack/target/classes").toString(),
                checkout.resolve("local-stack/target/lib/io.rotor.testkit-0.1.0-SNAPSHOT.jar").toString(),
                checkout.resolve("local-stack/target/lib/org.apache.kafka.kafka-clients-4.1.1.jar").toString());
        assertThat(launches()).contains("io.rotor.local.LocalStack", "-Drotor.repository=" + checkout)
                .endsWith("--port-base", "18080");

        Files.delete(calls.resolve("mvnw"));
        assertThat(run(checkout).exit).isZero();
        assertThat(builds()).as("built already").isEmpty();
    }

    @Test
    void aCopiedCheckoutRunsTheCopysJarsWithoutRebuilding() throws Exception {
        Path original = freshClone("rotor");
        run(original);
        Path copy = copy(original, tmp.resolve("copy-of-rotor"));
        Files.delete(calls.resolve("mvnw"));

        Result r = run(copy);
        assertThat(r.exit).isZero();
        assertThat(builds()).isEmpty();
        assertThat(classpath()).isNotEmpty().allSatisfy(entry -> assertThat(entry).startsWith(copy + "/"));
    }

    @Test
    void aClasspathNamingAnotherCheckoutIsRefusedAndRebuilt() throws Exception {
        // What an older rotor-local wrote, copied along with target/: absolute paths into the original checkout.
        Path original = freshClone("rotor");
        run(original);
        Path copy = copy(original, tmp.resolve("copy-of-rotor"));
        String elsewhere = original.resolve("testkit/target/testkit-0.1.0-SNAPSHOT.jar") + ":"
                + original.resolve("local-stack/target/lib/org.apache.kafka.kafka-clients-4.1.1.jar");
        Files.writeString(copy.resolve("local-stack/target/launcher.classpath"), elsewhere);
        Files.delete(calls.resolve("mvnw"));

        Result r = run(copy);
        assertThat(r.exit).isZero();
        assertThat(r.stderr).contains("rotor-local: local-stack/target/launcher.classpath lists "
                + original.resolve("testkit/target/testkit-0.1.0-SNAPSHOT.jar") + ", outside this checkout")
                .contains("rebuilding");
        assertThat(builds()).hasSize(1);
        assertThat(classpath()).isNotEmpty().allSatisfy(entry -> assertThat(entry).startsWith(copy + "/"));
    }

    @Test
    void aClasspathLeavingTheTargetFolderIsRefusedAndRebuilt() throws Exception {
        Path checkout = freshClone("rotor");
        run(checkout);
        Files.writeString(checkout.resolve("local-stack/target/launcher.classpath"),
                "lib/io.rotor.testkit-0.1.0-SNAPSHOT.jar:../../../other/local-stack/target/lib/x.jar");
        Files.delete(calls.resolve("mvnw"));

        Result r = run(checkout);
        assertThat(r.stderr).contains("lists ../../../other/local-stack/target/lib/x.jar, outside local-stack/target");
        assertThat(builds()).hasSize(1);
        assertThat(classpath()).allSatisfy(entry -> assertThat(entry).doesNotContain(".."));
    }

    @Test
    void aListedJarThatIsGoneIsRebuilt() throws Exception {
        Path checkout = freshClone("rotor");
        run(checkout);
        Files.delete(checkout.resolve("local-stack/target/lib/io.rotor.testkit-0.1.0-SNAPSHOT.jar"));
        Files.delete(calls.resolve("mvnw"));

        Result r = run(checkout);
        assertThat(r.stderr).contains("local-stack/target/lib/io.rotor.testkit-0.1.0-SNAPSHOT.jar, which is not there");
        assertThat(builds()).hasSize(1);
        assertThat(r.exit).isZero();
    }

    @Test
    void aBuildThatLeavesNoUsableClasspathStopsWithAMessage() throws Exception {
        Path checkout = freshClone("rotor");
        executable(checkout.resolve("mvnw"), "#!/usr/bin/env bash\necho \"$*\" >>\"$ROTOR_TEST_CALLS/mvnw\"\n");
        Result r = run(checkout);
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.stderr).isEqualTo("rotor-local: the build left no usable launcher classpath: missing\n");
        assertThat(launches()).isEmpty();
    }

    // -- fixtures

    private Path freshClone(String name) throws IOException {
        Path checkout = Files.createDirectories(tmp.resolve(name));
        Files.copy(REPOSITORY.resolve("rotor-local"), checkout.resolve("rotor-local"), StandardCopyOption.COPY_ATTRIBUTES);
        Path source = checkout.resolve(OPTIONS_SOURCE);
        Files.createDirectories(source.getParent());
        Files.copy(REPOSITORY.resolve(OPTIONS_SOURCE), source);
        executable(checkout.resolve("mvnw"), FAKE_BUILD);
        return checkout.toRealPath();
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to.toRealPath();
    }

    private static void executable(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private List<String> builds() throws IOException {
        Path f = calls.resolve("mvnw");
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    private List<String> launches() throws IOException {
        Path f = calls.resolve("java");
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    private List<String> classpath() throws IOException {
        List<String> args = launches();
        int i = args.indexOf("-cp");
        assertThat(i).as("java started with -cp: %s", args).isNotNegative();
        return Arrays.asList(args.get(i + 1).split(":"));
    }

    private record Result(int exit, String stdout, String stderr) {
    }

    private Result run(Path checkout, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", checkout.resolve("rotor-local").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("ROTOR_TEST_CALLS", calls.toString());
        pb.environment().put("ROTOR_TEST_REAL_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("rotor-local did not return within 60 s");
        }
        try {
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
