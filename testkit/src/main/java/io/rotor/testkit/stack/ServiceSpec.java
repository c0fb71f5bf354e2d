package io.rotor.testkit.stack;

import java.util.HashMap;
import java.util.Map;

/**
 * One Rotor service to run as its own JVM: its name (also its Kubernetes bearer token, so API calls can be told
 * apart), the Maven module whose {@code target/quarkus-app/quarkus-run.jar} it runs, its HTTP port and extra
 * environment.
 */
public record ServiceSpec(String name, String module, int port, Map<String, String> env) {

    public ServiceSpec {
        env = Map.copyOf(env);
    }

    public ServiceSpec withEnv(Map<String, String> more) {
        Map<String, String> merged = new HashMap<>(env);
        merged.putAll(more);
        return new ServiceSpec(name, module, port, merged);
    }
}
