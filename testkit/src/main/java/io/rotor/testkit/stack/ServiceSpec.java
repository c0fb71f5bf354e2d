package io.rotor.testkit.stack;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One Rotor service to run as its own JVM: its name (also its Kubernetes bearer token, so API calls can be told
 * apart), the Maven module whose {@code target/quarkus-app/quarkus-run.jar} it runs, its HTTP port and extra
 * environment. A service with Quarkus' management interface names its port in the environment as
 * {@value #MANAGEMENT_PORT}; it then serves {@code /q/health} there ({@link #healthPort()}).
 *
 * <p>As on a cluster, each service has its own Kafka user ({@link #kafkaUser()}, a KafkaUser of deploy's
 * {@code users.yaml}; used when the stack's broker authenticates) and is given only the sealing keyrings its
 * Deployment mounts ({@link #keyrings()}: none for the pod restarter, one for a rotator).
 */
public record ServiceSpec(String name, String module, int port, Map<String, String> env, String kafkaUser,
        Set<String> keyrings) {

    public static final String MANAGEMENT_PORT = "QUARKUS_MANAGEMENT_PORT";
    /** Every audience's keyring: what the orchestrator and the secret writer hold. */
    public static final Set<String> ALL_KEYRINGS = Set.copyOf(List.of("redis", "openstack", "configui"));

    public ServiceSpec {
        env = Map.copyOf(env);
        keyrings = Set.copyOf(keyrings);
        if (!ALL_KEYRINGS.containsAll(keyrings)) {
            throw new IllegalArgumentException(name + ": unknown keyrings " + keyrings + " (there are "
                    + ALL_KEYRINGS + ")");
        }
    }

    /** A service logging in to Kafka under its own name and holding every keyring. */
    public ServiceSpec(String name, String module, int port, Map<String, String> env) {
        this(name, module, port, env, name, ALL_KEYRINGS);
    }

    /**
     * Where {@code /q/health} answers: the management interface's port when {@value #MANAGEMENT_PORT} is set, since
     * Quarkus then moves the health endpoints off the HTTP port; else {@link #port()}.
     */
    public int healthPort() {
        String management = env.get(MANAGEMENT_PORT);
        if (management == null || management.isBlank()) {
            return port;
        }
        try {
            return Integer.parseInt(management.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": " + MANAGEMENT_PORT + " is not a port: " + management, e);
        }
    }

    public ServiceSpec withEnv(Map<String, String> more) {
        Map<String, String> merged = new HashMap<>(env);
        merged.putAll(more);
        return new ServiceSpec(name, module, port, merged, kafkaUser, keyrings);
    }

    public ServiceSpec withKafkaUser(String user) {
        return new ServiceSpec(name, module, port, env, user, keyrings);
    }

    public ServiceSpec withKeyrings(Set<String> audiences) {
        return new ServiceSpec(name, module, port, env, kafkaUser, audiences);
    }
}
