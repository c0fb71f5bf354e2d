package io.rotor.testkit.stack;

import java.util.HashMap;
import java.util.Map;

/**
 * One Rotor service to run as its own JVM: its name (also its Kubernetes bearer token, so API calls can be told
 * apart), the Maven module whose {@code target/quarkus-app/quarkus-run.jar} it runs, its HTTP port and extra
 * environment. A service with Quarkus' management interface names its port in the environment as
 * {@value #MANAGEMENT_PORT}; it then serves {@code /q/health} there ({@link #healthPort()}).
 */
public record ServiceSpec(String name, String module, int port, Map<String, String> env) {

    public static final String MANAGEMENT_PORT = "QUARKUS_MANAGEMENT_PORT";

    public ServiceSpec {
        env = Map.copyOf(env);
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
        return new ServiceSpec(name, module, port, merged);
    }
}
