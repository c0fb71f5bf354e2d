package io.rotor.local;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The command line of {@code ./rotor-local}: its options, their defaults, the usage text and the checks on what was
 * typed. This file uses nothing but the JDK on purpose: before Rotor is built (a fresh clone), the script runs it on
 * its own with the JDK's source-file mode ({@code java LauncherOptions.java ...}), so that {@code --help} and bad
 * input are answered at once instead of after the first build. {@link LocalStack} parses the same way when it starts.
 *
 * @param repository     the checkout: the services' {@code <module>/target/quarkus-app} are under it
 * @param work           logs and Kafka's data
 * @param portBase       the services' HTTP ports are portBase..portBase+4, the orchestrator's management portBase+5
 * @param demoRotation   whether to request the demo rotation once everything runs
 * @param rebuild        whether the script builds Rotor before starting (the script acts on it; accepted here so
 *                       that it is listed and checked like every other option)
 * @param help           whether to print {@link #usage()} and do nothing else
 * @param kafkaSasl      whether the broker authenticates and authorizes as on a cluster (SASL/SCRAM, deploy's
 *                       KafkaUsers and ACLs) instead of taking every client, as kcat users expect locally
 */
public record LauncherOptions(Path repository, Path work, int portBase, int kafkaPort, int kubernetesPort,
        boolean demoRotation, boolean rebuild, boolean help, boolean kafkaSasl) {

    public static final int DEFAULT_PORT_BASE = 8080;
    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final int DEFAULT_KUBERNETES_PORT = 16443;
    public static final String DEFAULT_WORK = ".rotor";
    /** base..base+5: five services' HTTP ports and the orchestrator's management interface. */
    static final int SERVICE_PORTS = 7;
    private static final int MAX_PORT = 65535;

    private static final List<String> WITH_VALUE = List.of("--port-base", "--kafka-port", "--kubernetes-port", "--work");
    private static final List<String> FLAGS = List.of("--no-demo-rotation", "--rebuild", "--kafka-sasl", "--help",
            "-h");

    /**
     * For the script: checks {@code args} without starting anything. Prints the usage (exit 0) when asked for help,
     * one line on stderr and exit 2 when the input is bad, nothing (exit 0) when it is fine.
     */
    public static void main(String[] args) {
        try {
            if (parse(List.of(args), Path.of(".")).help()) {
                System.out.print(usage());
            }
        } catch (UsageException e) {
            System.err.println("rotor-local: " + e.getMessage());
            System.exit(2);
        }
    }

    public static String usage() {
        return """
                Usage: ./rotor-local [options]

                Runs Rotor on this machine: a Kafka broker, a Kubernetes API loaded with demo resources, a real
                redis-server, stand-ins for Redis Enterprise, Keystone and the Config UI portal, and every Rotor
                service as its own process. Rotates a demo credential step by step, then runs until Ctrl-C, which
                stops everything it started. The first run builds Rotor (a few minutes).

                Options:
                  --port-base N         the services' HTTP ports are N..N+4 and N+6 (the orchestrator's
                                        API and dashboard on N, the pod restarter on N+6), the
                                        orchestrator's health and metrics N+5
                                        (default: %d)
                  --kafka-port N        the Kafka broker's port (default: %d)
                  --kubernetes-port N   the Kubernetes API's port (default: %d)
                  --work DIR            logs and Kafka's data, relative to the checkout (default: %s)
                  --no-demo-rotation    request no rotation (default: rotate demo/cache-user once up)
                  --rebuild             build Rotor before starting (default: only when there is no build)
                  --kafka-sasl          Kafka as on a cluster: SASL/SCRAM logins, deploy's KafkaUsers and ACLs,
                                        each service its own user (default: a broker open to every client)
                  -h, --help            print this help and exit

                Options with a value also take the form --option=value. A port in use is reported before
                anything starts.
                """.formatted(DEFAULT_PORT_BASE, DEFAULT_KAFKA_PORT, DEFAULT_KUBERNETES_PORT, DEFAULT_WORK);
    }

    /**
     * Reads the command line. {@code -h} or {@code --help} anywhere means help, whatever else is there (an option's
     * value is never taken to be an option name, so a help request is never swallowed as one).
     *
     * @throws UsageException naming, in one sentence, what is wrong
     */
    public static LauncherOptions parse(List<String> args, Path repository) {
        Path root = repository.toAbsolutePath().normalize();
        if (args.contains("--help") || args.contains("-h")) {
            return defaults(root).withHelp();
        }
        Path work = root.resolve(DEFAULT_WORK);
        int base = DEFAULT_PORT_BASE;
        int kafka = DEFAULT_KAFKA_PORT;
        int kube = DEFAULT_KUBERNETES_PORT;
        boolean demo = true;
        boolean rebuild = false;
        boolean sasl = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            int eq = arg.indexOf('=');
            String name = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
            String inline = name.equals(arg) ? null : arg.substring(eq + 1);
            if (WITH_VALUE.contains(name) && inline == null) {
                if (i + 1 >= args.size() || isOption(args.get(i + 1))) {
                    throw new UsageException(name + " needs a value, e.g. " + name + " " + example(name));
                }
                inline = args.get(++i);
            } else if (FLAGS.contains(name) && inline != null) {
                throw new UsageException(name + " takes no value (got " + arg + ")");
            }
            switch (name) {
                case "--port-base" -> base = port(name, inline, MAX_PORT - SERVICE_PORTS + 1,
                        " (the stack uses N..N+" + (SERVICE_PORTS - 1) + ")");
                case "--kafka-port" -> kafka = port(name, inline, MAX_PORT, "");
                case "--kubernetes-port" -> kube = port(name, inline, MAX_PORT, "");
                case "--work" -> work = directory(root, inline);
                case "--no-demo-rotation" -> demo = false;
                case "--rebuild" -> rebuild = true;
                case "--kafka-sasl" -> sasl = true;
                default -> throw unknown(arg, name);
            }
        }
        requireDistinct(base, kafka, kube);
        return new LauncherOptions(root, work, base, kafka, kube, demo, rebuild, false, sasl);
    }

    private static LauncherOptions defaults(Path root) {
        return new LauncherOptions(root, root.resolve(DEFAULT_WORK), DEFAULT_PORT_BASE, DEFAULT_KAFKA_PORT,
                DEFAULT_KUBERNETES_PORT, true, false, false, false);
    }

    private LauncherOptions withHelp() {
        return new LauncherOptions(repository, work, portBase, kafkaPort, kubernetesPort, demoRotation, rebuild, true,
                kafkaSasl);
    }

    /** What follows an option that needs a value and is taken as the next option instead: {@code --port-base --rebuild}. */
    private static boolean isOption(String next) {
        return next.startsWith("--") || next.equals("-h");
    }

    private static String example(String option) {
        return switch (option) {
            case "--port-base" -> String.valueOf(DEFAULT_PORT_BASE);
            case "--kafka-port" -> String.valueOf(DEFAULT_KAFKA_PORT);
            case "--kubernetes-port" -> String.valueOf(DEFAULT_KUBERNETES_PORT);
            default -> "/tmp/rotor-local";
        };
    }

    private static int port(String option, String value, int max, String why) {
        String v = value.trim();
        if (!v.matches("[+-]?\\d+")) {
            throw new UsageException(option + " takes a port number, not \"" + value + "\"");
        }
        // Digits, but possibly too many for an int: out of range all the same.
        long n = v.replaceFirst("^[+-]", "").length() > 6 ? (v.startsWith("-") ? -1 : Long.MAX_VALUE) : Long.parseLong(v);
        if (n < 1 || n > max) {
            throw new UsageException(option + " must be between 1 and " + max + why + ", not " + v);
        }
        return (int) n;
    }

    private static Path directory(Path root, String value) {
        if (value.isBlank()) {
            throw new UsageException("--work needs a directory, e.g. --work " + example("--work"));
        }
        try {
            return root.resolve(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new UsageException("--work takes a directory, not \"" + value + "\"");
        }
    }

    /** The services' six ports, Kafka and the Kubernetes API must not overlap: that would fail only at start-up. */
    private static void requireDistinct(int base, int kafka, int kube) {
        int last = base + SERVICE_PORTS - 1;
        String services = " is one of the services' ports " + base + ".." + last + " (--port-base " + base
                + "); choose another";
        if (kafka >= base && kafka <= last) {
            throw new UsageException("--kafka-port " + kafka + services);
        }
        if (kube >= base && kube <= last) {
            throw new UsageException("--kubernetes-port " + kube + services);
        }
        if (kafka == kube) {
            throw new UsageException("--kafka-port and --kubernetes-port are both " + kafka + "; give them different ports");
        }
    }

    private static UsageException unknown(String arg, String name) {
        if (!arg.startsWith("-")) {
            return new UsageException("unexpected argument \"" + arg + "\": ./rotor-local takes only options "
                    + "(./rotor-local --help lists them)");
        }
        Optional<String> close = closest(name);
        return new UsageException("unknown option " + name + close.map(c -> "; did you mean " + c + "?").orElse("")
                + " (./rotor-local --help lists the options)");
    }

    /** The option a typo most likely meant, if one is close enough: {@code --port-bse} is {@code --port-base}. */
    private static Optional<String> closest(String name) {
        List<String> options = List.of("--port-base", "--kafka-port", "--kubernetes-port", "--work",
                "--no-demo-rotation", "--rebuild", "--help");
        Optional<String> completed = options.stream().filter(o -> name.length() > 3 && o.startsWith(name)).findFirst();
        if (completed.isPresent()) {
            return completed;
        }
        return options.stream().filter(o -> distance(name, o) <= Math.max(2, o.length() / 4))
                .min(Comparator.comparingInt(o -> distance(name, o)));
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }

    /** Bad input, said in one sentence: printed after "rotor-local: " with exit code 2, never with a stack trace. */
    public static final class UsageException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message, null, false, false);
        }
    }
}
