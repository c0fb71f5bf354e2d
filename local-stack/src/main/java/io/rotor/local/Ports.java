package io.rotor.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fixed ports of the local stack, checked before anything starts so a taken port is one clear message. The
 * services' HTTP ports are base..base+4 (the orchestrator's, with the API and the dashboard, is base); base+5 is the
 * orchestrator's management interface (health and metrics).
 */
record Ports(int orchestrator, int redisRotator, int openstackRotator, int configuiRotator, int secretWriter,
        int orchestratorManagement, int podRestarter, int kafka, int kubernetes) {

    static Ports fromBase(int base, int kafka, int kubernetes) {
        return new Ports(base, base + 1, base + 2, base + 3, base + 4, base + 5, base + 6, kafka, kubernetes);
    }

    void requireFree() {
        List<String> taken = new ArrayList<>();
        Map.of("orchestrator and dashboard", orchestrator, "redis-rotator", redisRotator,
                "openstack-rotator", openstackRotator, "configui-rotator", configuiRotator,
                "k8s-secret-writer", secretWriter, "orchestrator health and metrics", orchestratorManagement,
                "pod-restarter", podRestarter,
                "Kafka", kafka, "the Kubernetes API", kubernetes)
                .forEach((what, port) -> {
                    if (port != 0 && !free(port)) {
                        taken.add(port + " (" + what + ")");
                    }
                });
        if (!taken.isEmpty()) {
            throw new LauncherException("Port(s) already in use on 127.0.0.1: " + String.join(", ", taken.stream().sorted().toList())
                    + ". Stop what uses them, or choose other ports: --port-base N (services N..N+6), --kafka-port N, "
                    + "--kubernetes-port N.");
        }
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
