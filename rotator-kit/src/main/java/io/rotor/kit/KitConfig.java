package io.rotor.kit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What every Rotor service says about itself, under {@code rotor.*}. */
@ConfigMapping(prefix = "rotor")
public interface KitConfig {

    /** The service's name; events it writes carry {@code /rotor/<name>} as their CloudEvents source. */
    @WithDefault("${quarkus.application.name:rotor}")
    String serviceName();

    Sealing sealing();

    Dlq dlq();

    Outcomes outcomes();

    Policy policy();

    Health health();

    /** What liveness watches beyond the channels SmallRye reports on. */
    interface Health {

        /**
         * A record still in progress after this long means the consumer stands still (its partition waits behind
         * it): liveness goes DOWN and Kubernetes restarts the pod, which reads the record again. Longer than any step
         * may legitimately take here — the longest is the pod restarter waiting for a rollout (a ManagedCredential's
         * {@code rolloutTimeout}, 10 minutes unless it says otherwise).
         */
        @WithDefault("PT1H")
        Duration stuckAfter();
    }

    /** The cluster's endpoint policy (see {@link io.rotor.contracts.policy.EndpointPolicy}). */
    interface Policy {

        /**
         * The policy file (YAML), mounted from a ConfigMap and read at start-up. Without one, no endpoint is allowed:
         * every ManagedCredential is refused with a message saying so.
         */
        Optional<Path> file();
    }

    /** How participants follow the orchestrator's outcomes (see {@code OutcomeFollower}). */
    interface Outcomes {

        /**
         * How long a record of a rotation not yet known waits for {@code rotor.events} to be read up to the moment it
         * arrived; past this, Kafka is considered unavailable and the record is read again later.
         */
        @WithDefault("PT30S")
        Duration catchUpTimeout();
    }

    interface Dlq {

        /**
         * The topics (names, or prefixes ending in {@code *}) whose undecodable records this service copies to
         * {@code rotor.dlq}: those it is the primary reader of, so that each bad record is copied once. By default a
         * rotator's commands; the orchestrator adds requests, events and steps.
         */
        @WithDefault("rotor.commands.*")
        List<String> undecodableFrom();
    }

    /**
     * The keyrings this service holds, one per audience (a platform's rotator: {@code redis}, {@code openstack},
     * {@code configui}); see {@link io.rotor.contracts.sealing.SealingKeys}.
     */
    interface Sealing {

        /** The audiences whose values this service opens; none when absent (the pod restarter). */
        Optional<Set<String>> audiences();

        /**
         * Where the keyrings are mounted: {@code <dir>/<audience>/} holds one file per key id and {@code primary}
         * (a Secret volume). On a cluster, each audience's sealing-key Secret is mounted there.
         */
        Optional<Path> dir();

        /**
         * Keyrings given inline instead, audience to {@code id=base64,id=base64} with the primary first: for tests.
         * An audience given here is not read from {@link #dir()}.
         */
        Map<String, String> keys();
    }
}
