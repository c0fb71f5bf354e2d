package io.rotor.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Everything the orchestrator can be told, under {@code rotor.orchestrator.*}. */
@ConfigMapping(prefix = "rotor.orchestrator")
public interface OrchestratorConfig {

    Registry registry();

    /**
     * The rotator services deployed (by {@code Platform.rotator()} name). A request for a credential whose platform's
     * rotator is not listed is rejected with {@code NO_ROTATOR} instead of waiting forever for a step nobody takes.
     */
    @WithDefault("redis,openstack,configui")
    Set<String> rotators();

    Worker worker();

    Saga saga();

    Api api();

    Intake intake();

    Query query();

    Status status();

    Plan plan();

    Metrics metrics();

    interface Registry {

        /**
         * The namespaces whose ManagedCredentials are watched, or {@code *} for every namespace (needs a ClusterRole).
         * Defaults to the namespace the Kubernetes client is configured for.
         */
        @WithDefault("${quarkus.kubernetes-client.namespace:default}")
        List<String> namespaces();

        /**
         * Rotor's own namespace, where its keyrings, Kafka users and API token live: never watched, even under
         * {@code *} (a ManagedCredential there could name Rotor's own Secrets). Listing it in {@link #namespaces()}
         * stops the orchestrator at start-up. On a cluster, the pod's namespace (downward API).
         */
        Optional<String> ownNamespace();
    }

    interface Worker {

        /** Whether this instance joins the orchestrator group at start-up (a query-only replica sets it false). */
        @WithDefault("true")
        boolean enabled();

        /**
         * The consumer group of the saga owners. Every replica must use the same one: partitions of
         * {@code rotor.requests} and {@code rotor.events} are what single-flight is built on.
         */
        @WithDefault("rotor-orchestrator")
        String groupId();

        @WithDefault("PT0.2S")
        Duration pollTimeout();

        /** How often deadlines and schedules are checked; they are computed from persisted state, not timers. */
        @WithDefault("PT1S")
        Duration tickInterval();

        /** How long one publish (or state write) may take before it counts as failed and the record is retried. */
        @WithDefault("PT30S")
        Duration publishTimeout();

        @WithDefault("PT0.2S")
        Duration retryBackoffInitial();

        @WithDefault("PT30S")
        Duration retryBackoffMax();

        /**
         * A record retried for longer than this without being handled (Kafka not taking the member's writes, the
         * registry never listed) makes liveness DOWN, so Kubernetes restarts the pod instead of it standing still while
         * reporting UP. The member holds the record's in-flight mark across retries and application.properties passes
         * this value to the kit's {@code rotor.health.stuck-after}, whose check watches that mark: one detector.
         */
        @WithDefault("PT5M")
        Duration stuckAfter();

        /**
         * Credentials ({@code namespace/name}) whose unreadable {@code rotor.state} record an operator has looked into:
         * restored as having no saga, instead of being set aside. Remove an entry once the credential has rotated.
         */
        Optional<List<String>> forgetUnreadableState();
    }

    interface Saga {

        /** How many answered request ids are kept per credential for idempotency. */
        @WithDefault("64")
        int rememberedRequests();

        /**
         * A RotationStarted record read later than this after it was written is not acted on (it gets a
         * RotationCancelled): it can only come from a replay of old history, and acting on it would rotate twice.
         */
        @WithDefault("PT15M")
        Duration startTimeout();

        Deadlines deadlines();
    }

    /** How long a rotation may wait for each step before it is reported stalled. */
    interface Deadlines {

        /** Overrides the per-platform defaults (REC 5m, Redis ACL 2m, Keystone 10m, Config UI 10m). */
        Optional<Duration> platformUpdated();

        @WithDefault("PT5M")
        Duration secretWritten();

        /** Added to the credential's rollout timeout (default 10m) for WORKLOADS_RESTARTED and WORKLOADS_RESTORED. */
        @WithDefault("PT5M")
        Duration rolloutMargin();

        /** Added to the propagation delay (REC 5m by default) for OLD_REVOKED. */
        @WithDefault("PT10M")
        Duration revokeMargin();

        /** SECRET_RESTORED and NEW_REVOKED while rolling back. */
        @WithDefault("PT10M")
        Duration rollbackStep();

        /** A manual rotation waiting for its operator. */
        @WithDefault("PT24H")
        Duration awaitingOperator();
    }

    interface Api {

        /**
         * The local stack's static token ({@code ROTOR_ORCHESTRATOR_API_LOCAL_TOKEN}): whoever presents it is
         * {@code local:operator} and may do everything. For a laptop or a test only; deploy/ sets none.
         */
        Optional<String> localToken();

        KubernetesAuth kubernetesAuth();

        Oidc oidc();

        /** How long {@code POST /api/v1/rotations} waits for the orchestrator's answer before replying 202 pending. */
        @WithDefault("PT10S")
        Duration answerTimeout();
    }

    /**
     * Users of an OIDC issuer the cluster does not know, verified by the OIDC extension when
     * {@code quarkus.oidc.auth-server-url} is set; authorized like everyone else, by {@code SubjectAccessReview}, under
     * their prefixed names.
     */
    interface Oidc {

        /** Put before the token's user name: RBAC bindings name OIDC users as {@code oidc:alice@example.com}. */
        @WithDefault("oidc:")
        String usernamePrefix();

        /** Put before each of the token's groups. */
        @WithDefault("oidc:")
        String groupsPrefix();
    }

    /** Bearer tokens checked by {@code TokenReview}; each action authorized by {@code SubjectAccessReview}. */
    interface KubernetesAuth {

        /** Whether bearer tokens are reviewed by the Kubernetes API server. */
        @WithDefault("true")
        boolean enabled();

        /** Audiences a token must be issued for (TokenReview {@code spec.audiences}); none: the API server's. */
        Optional<List<String>> audiences();

        /** How long a token review or an access decision is kept: a revoked binding stops working within it. */
        @WithDefault("PT10S")
        Duration cacheTtl();
    }

    interface Intake {

        /**
         * Whether an operator confirmation with a plain password ({@code io.rotor.operator.confirmation.v1}) is taken
         * from {@code rotor.requests}. Off by default: such a record has put the password into the topic in plain
         * text, readable by anyone who may read the topic until retention removes it (Rotor's rule: no plain secret in
         * Kafka). The REST API and the dashboard seal the password at the door instead. Turn it on only where
         * {@code rotor.requests} is read by Rotor alone and kept briefly.
         */
        @WithDefault("false")
        boolean acceptPlainConfirmations();
    }

    interface Query {

        /** Rotations kept in memory for the query API (oldest finished ones are dropped first). */
        @WithDefault("10000")
        int maxRotations();

        @WithDefault("500")
        int maxPageSize();
    }

    interface Status {

        /** Whether outcomes are written to the ManagedCredential's status and recorded as Kubernetes Events. */
        @WithDefault("true")
        boolean enabled();

        /** Attempts per status patch or Event, counting the first; only throttling, 5xx, no answer and 409 retry. */
        @WithDefault("5")
        int maxAttempts();

        /** The first pause; each next one doubles (±20% jitter), up to {@link #retryBackoffMax()}. */
        @WithDefault("PT1S")
        Duration retryBackoff();

        @WithDefault("PT30S")
        Duration retryBackoffMax();
    }

    interface Plan {

        /**
         * Whether a dry run checks that each Secret exists. That needs {@code get} on Secrets, which also reads their
         * data, so it is off by default and the least-privilege role in deploy/ does not grant it.
         */
        @WithDefault("false")
        boolean checkSecrets();
    }

    interface Metrics {

        /** How often the per-credential gauges (age, overdue) are brought up to date. */
        @WithDefault("PT15S")
        Duration refresh();
    }
}
