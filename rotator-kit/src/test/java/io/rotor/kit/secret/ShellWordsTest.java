package io.rotor.kit.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rotor.contracts.credential.CredentialField;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellWordsTest {

    @Test
    void parsingAQuotedValueGivesItBackWhole() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 5_000; i++) {
            String value = Layouts.awkwardValue(random).replace("\0", "");
            String quoted = ShellWords.quote(value);
            String line = "export OS_PASSWORD=" + quoted + " ; echo next\n";

            ShellWords.Word word = ShellWords.parse(line, "export OS_PASSWORD=".length());

            assertThat(word.value()).as("seed %d, value #%d", seed, i).isEqualTo(value);
            assertThat(line.substring(word.end())).isEqualTo(" ; echo next\n");
        }
    }

    @Test
    void expansionsAreNotLiteral() {
        for (String word : List.of("$HOME", "\"$HOME\"", "$(cat /x)", "`cat /x`", "${X}", "$'a\\'b'", "a\"$(x)\"b")) {
            ShellWords.Word parsed = ShellWords.parse(word + " rest", 0);
            assertThat(parsed.literal()).as(word).isFalse();
            assertThat(parsed.end()).as(word).isEqualTo(word.length());
        }
    }

    @Test
    void aLoneDollarIsJustACharacter() {
        assertThat(ShellWords.parse("a$ b", 0).value()).isEqualTo("a$");
        assertThat(ShellWords.parse("\"a$\"", 0).value()).isEqualTo("a$");
    }

    /** The real test of the quoting: a POSIX shell (dash) and bash source the file and print the variable. */
    @Test
    void realShellsReadBackEveryValueExactly(@TempDir Path dir) throws Exception {
        List<String> shells = new ArrayList<>();
        for (String shell : List.of("/bin/sh", "/bin/bash")) {
            if (Files.isExecutable(Path.of(shell))) {
                shells.add(shell);
            }
        }
        assumeTrue(!shells.isEmpty(), "no shell on this machine");
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            values.add(Layouts.awkwardValue(random).replace("\0", ""));
        }
        values.add("'");
        values.add("''\\'");
        values.add("");
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            var data = Layouts.openrc().write(Layouts.data(), Layouts.fields(CredentialField.PASSWORD, values.get(i)));
            file.append(Layouts.text(data, "openrc").replace("OS_PASSWORD", "V" + i));
        }
        Path rc = dir.resolve("openrc");
        Files.writeString(rc, file.toString());
        for (String shell : shells) {
            for (int i = 0; i < values.size(); i++) {
                String printed = run(shell, ". " + rc + " && printf '%s' \"$V" + i + "\"");
                assertThat(printed).as("%s, seed %d, value #%d", shell, seed, i).isEqualTo(values.get(i));
            }
        }
    }

    private static String run(String shell, String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(shell, "-c", script).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }
}
