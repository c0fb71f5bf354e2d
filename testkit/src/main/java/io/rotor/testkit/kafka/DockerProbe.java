package io.rotor.testkit.kafka;

/** Answers whether a Docker engine is reachable; a seam so that broker selection is testable without Docker. */
@FunctionalInterface
interface DockerProbe {

    boolean isDockerAvailable();
}
