package io.rotor.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** ./rotor-local's command line, parsed in this JVM: what it accepts, its defaults, and what it says to bad input. */
class LauncherOptionsTest {

    private static final Path CHECKOUT = Path.of("/home/someone/rotor");

    private static LauncherOptions parse(String... args) {
        return LauncherOptions.parse(List.of(args), CHECKOUT);
    }

    private static String refusal(String commandLine) {
        LauncherOptions.UsageException e = catchThrowableOfType(LauncherOptions.UsageException.class,
                () -> parse(commandLine.isEmpty() ? new String[0] : commandLine.split(" ")));
        assertThat(e).as("refused: %s", commandLine).isNotNull();
        return e.getMessage();
    }

    @Test
    void withoutArgumentsEverythingIsItsDefault() {
        LauncherOptions o = parse();
        assertThat(o.repository()).isEqualTo(CHECKOUT);
        assertThat(o.work()).isEqualTo(CHECKOUT.resolve(".rotor"));
        assertThat(o.portBase()).isEqualTo(8080);
        assertThat(o.kafkaPort()).isEqualTo(9092);
        assertThat(o.kubernetesPort()).isEqualTo(16443);
        assertThat(o.demoRotation()).isTrue();
        assertThat(o.rebuild()).isFalse();
        assertThat(o.help()).isFalse();
    }

    @Test
    void everyOptionIsRead() {
        LauncherOptions o = parse("--port-base", "18080", "--kafka-port", "19092", "--kubernetes-port", "26443",
                "--work", "/tmp/rotor-work", "--no-demo-rotation", "--rebuild", "--kafka-sasl");
        assertThat(o.portBase()).isEqualTo(18080);
        assertThat(o.kafkaPort()).isEqualTo(19092);
        assertThat(o.kubernetesPort()).isEqualTo(26443);
        assertThat(o.work()).isEqualTo(Path.of("/tmp/rotor-work"));
        assertThat(o.demoRotation()).isFalse();
        assertThat(o.rebuild()).isTrue();
        assertThat(o.kafkaSasl()).isTrue();
        assertThat(o.help()).isFalse();
        assertThat(parse().kafkaSasl()).as("an open broker unless asked").isFalse();
    }

    @Test
    void valuesAlsoComeAfterAnEqualsSign() {
        LauncherOptions o = parse("--port-base=18080", "--kafka-port=19092", "--kubernetes-port=26443", "--work=w");
        assertThat(o.portBase()).isEqualTo(18080);
        assertThat(o.kafkaPort()).isEqualTo(19092);
        assertThat(o.kubernetesPort()).isEqualTo(26443);
        assertThat(o.work()).isEqualTo(CHECKOUT.resolve("w"));
    }

    @Test
    void aRelativeWorkDirectoryIsInTheCheckout() {
        assertThat(parse("--work", "elsewhere/../demo").work()).isEqualTo(CHECKOUT.resolve("demo"));
    }

    @Test
    void theHighestPortBaseStillFitsThePodRestartersPort() {
        assertThat(Ports.fromBase(parse("--port-base", "65529").portBase(), 9092, 16443).podRestarter())
                .isEqualTo(65535);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h", "--port-base abc --help", "--bogus -h", "--port-base -h", "--work --help"})
    void helpWinsOverEverythingElse(String commandLine) {
        assertThat(parse(commandLine.split(" ")).help()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            --port-base abc                       | --port-base takes a port number, not "abc"
            --port-base 70000                     | --port-base must be between 1 and 65529 (the stack uses N..N+6), not 70000
            --port-base 65530                     | --port-base must be between 1 and 65529 (the stack uses N..N+6), not 65530
            --port-base 99999999999               | --port-base must be between 1 and 65529 (the stack uses N..N+6), not 99999999999
            --port-base=                          | --port-base takes a port number, not ""
            --port-base 8080.5                    | --port-base takes a port number, not "8080.5"
            --kafka-port -1                       | --kafka-port must be between 1 and 65535, not -1
            --kafka-port 0                        | --kafka-port must be between 1 and 65535, not 0
            --kubernetes-port 65536               | --kubernetes-port must be between 1 and 65535, not 65536
            --kubernetes-port x1                  | --kubernetes-port takes a port number, not "x1"
            --port-base                           | --port-base needs a value, e.g. --port-base 8080
            --kafka-port --no-demo-rotation       | --kafka-port needs a value, e.g. --kafka-port 9092
            --no-demo-rotation --kubernetes-port  | --kubernetes-port needs a value, e.g. --kubernetes-port 16443
            --work                                | --work needs a value, e.g. --work /tmp/rotor-local
            --work=                               | --work needs a directory, e.g. --work /tmp/rotor-local
            --bogus                               | unknown option --bogus (./rotor-local --help lists the options)
            -p 8080                               | unknown option -p (./rotor-local --help lists the options)
            --prot-base 9000                      | unknown option --prot-base; did you mean --port-base? (./rotor-local --help lists the options)
            --kafka 9000                          | unknown option --kafka; did you mean --kafka-port? (./rotor-local --help lists the options)
            --no-demo                             | unknown option --no-demo; did you mean --no-demo-rotation? (./rotor-local --help lists the options)
            8080                                  | unexpected argument "8080": ./rotor-local takes only options (./rotor-local --help lists them)
            --rebuild=yes                         | --rebuild takes no value (got --rebuild=yes)
            --no-demo-rotation=false              | --no-demo-rotation takes no value (got --no-demo-rotation=false)
            --kafka-port 8083                     | --kafka-port 8083 is one of the services' ports 8080..8086 (--port-base 8080); choose another
            --port-base 16440                     | --kubernetes-port 16443 is one of the services' ports 16440..16446 (--port-base 16440); choose another
            --kafka-port 7000 --kubernetes-port 7000 | --kafka-port and --kubernetes-port are both 7000; give them different ports
            """)
    void badInputIsOneSentence(String commandLine, String message) {
        assertThat(refusal(commandLine.strip())).isEqualTo(message.strip());
    }

    @Test
    void aRefusalCarriesNoStackTrace() {
        LauncherOptions.UsageException e = catchThrowableOfType(LauncherOptions.UsageException.class,
                () -> parse("--port-base", "abc"));
        assertThat(e.getStackTrace()).isEmpty();
        assertThat(e.getCause()).isNull();
    }

    @Test
    void theUsageListsEveryOptionWithItsDefault() {
        String usage = LauncherOptions.usage();
        assertThat(usage).startsWith("Usage: ./rotor-local [options]\n");
        Matcher m = Pattern.compile("(?m)^  (?:-h, )?(--[a-z-]+)").matcher(usage);
        List<String> listed = m.results().map(r -> r.group(1)).toList();
        assertThat(listed).containsExactly("--port-base", "--kafka-port", "--kubernetes-port", "--work",
                "--no-demo-rotation", "--rebuild", "--kafka-sasl", "--help");
        assertThat(usage).contains("-h, --help")
                .contains("--port-base N ").contains("N..N+4").contains("N+5").contains("(default: 8080)")
                .contains("--kafka-port N ").contains("(default: 9092)")
                .contains("--kubernetes-port N ").contains("(default: 16443)")
                .contains("--work DIR ").contains("(default: .rotor)")
                .contains("--no-demo-rotation ").contains("(default: rotate demo/cache-user once up)")
                .contains("--rebuild ").contains("(default: only when there is no build)")
                .contains("--kafka-sasl ").contains("(default: a broker open to every client)");
        assertThat(usage.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(100));
    }

    @Test
    void everyOptionTheUsageListsIsAccepted() {
        Matcher m = Pattern.compile("(?m)^  (?:-h, )?(--[a-z-]+)( [A-Z]+)?").matcher(LauncherOptions.usage());
        m.results().forEach(r -> {
            String option = r.group(1);
            List<String> args = r.group(2) == null ? List.of(option)
                    : List.of(option, r.group(2).strip().equals("N") ? "30000" : "some-dir");
            LauncherOptions parsed = LauncherOptions.parse(args, CHECKOUT);
            assertThat(parsed).as(String.join(" ", args)).isNotNull();
        });
    }

    @Test
    void theReadmeShowsTheUsageAsItIs() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme).contains("$ ./rotor-local --help\n" + LauncherOptions.usage() + "```");
    }
}
