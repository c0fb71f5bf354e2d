package io.rotor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.contracts.event.StepProducer;
import io.rotor.contracts.event.Topics;
import io.rotor.testkit.kafka.StrimziKafkaUsers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Who may say what (DESIGN.md, "Trust model"), on {@code users.yaml} itself: every topic has exactly one writer — the
 * orchestrator for requests, commands, events and state, each participant for its own {@code rotor.steps.<producer>}
 * — plus {@code rotor.dlq}, which every service writes; and every service reads exactly what it consumes.
 * {@link KafkaAclEnforcementTest} proves on a real broker that these ACLs do what this test reads them to say.
 */
class KafkaUsersTest {

    /** Each steps topic's one producer, as a KafkaUser. */
    static final Map<StepProducer, String> STEP_PRODUCER_USER = Map.of(
            StepProducer.REDIS, "redis-rotator",
            StepProducer.OPENSTACK, "openstack-rotator",
            StepProducer.CONFIGUI, "configui-rotator",
            StepProducer.SECRET_WRITER, "secret-writer",
            StepProducer.POD_RESTARTER, "pod-restarter");

    static final Set<String> PARTICIPANTS = Set.copyOf(STEP_PRODUCER_USER.values());

    /** What each service consumes. */
    static final Map<String, Set<String>> READS = Map.of(
            "orchestrator", union(Set.of(Topics.REQUESTS, Topics.EVENTS, Topics.STATE), StepProducer.topics()),
            "redis-rotator", Set.of(Topics.COMMANDS_REDIS, Topics.EVENTS, StepProducer.POD_RESTARTER.topic()),
            "openstack-rotator", Set.of(Topics.COMMANDS_OPENSTACK, Topics.EVENTS, StepProducer.POD_RESTARTER.topic()),
            "configui-rotator", Set.of(Topics.COMMANDS_CONFIGUI, Topics.EVENTS, StepProducer.POD_RESTARTER.topic()),
            "secret-writer", Set.of(StepProducer.REDIS.topic(), StepProducer.OPENSTACK.topic(),
                    StepProducer.CONFIGUI.topic(), Topics.EVENTS),
            "pod-restarter", Set.of(StepProducer.SECRET_WRITER.topic(), Topics.EVENTS));

    @Test
    void thereIsOneUserPerServiceAndThePodRestarterHasItsOwn() throws Exception {
        KafkaUsers users = KafkaUsers.fromSource();
        assertThat(users.names()).containsExactlyInAnyOrder("orchestrator", "redis-rotator", "openstack-rotator",
                "configui-rotator", "secret-writer", "pod-restarter");
    }

    @Test
    void onlyTheOrchestratorWritesRequestsCommandsEventsAndState() throws Exception {
        KafkaUsers users = KafkaUsers.fromSource();
        for (String topic : List.of(Topics.REQUESTS, Topics.COMMANDS_REDIS, Topics.COMMANDS_OPENSTACK,
                Topics.COMMANDS_CONFIGUI, Topics.EVENTS, Topics.STATE)) {
            assertThat(users.usersAllowed("Write", topic)).as("writers of " + topic).containsExactly("orchestrator");
        }
        // Also any commands topic a new platform would add: no prefix rule lets a participant write one.
        assertThat(users.usersAllowed("Write", Topics.COMMANDS_PREFIX + "future-platform")).doesNotContainAnyElementsOf(PARTICIPANTS);
        assertThat(users.topics("orchestrator", "Write", Topics.ALL)).containsExactlyInAnyOrder(Topics.REQUESTS,
                Topics.COMMANDS_REDIS, Topics.COMMANDS_OPENSTACK, Topics.COMMANDS_CONFIGUI, Topics.EVENTS, Topics.STATE,
                Topics.DLQ);
    }

    @Test
    void eachStepsTopicHasExactlyOneWriterItsProducer() throws Exception {
        KafkaUsers users = KafkaUsers.fromSource();
        assertThat(STEP_PRODUCER_USER).containsOnlyKeys(StepProducer.values());
        for (StepProducer producer : StepProducer.values()) {
            assertThat(users.usersAllowed("Write", producer.topic())).as("writers of " + producer.topic())
                    .containsExactly(STEP_PRODUCER_USER.get(producer));
        }
    }

    @Test
    void eachParticipantWritesOnlyItsOwnStepsTopicAndTheDlq() throws Exception {
        KafkaUsers users = KafkaUsers.fromSource();
        Map<String, Set<String>> writes = new TreeMap<>();
        Map<String, Set<String>> expected = new TreeMap<>();
        STEP_PRODUCER_USER.forEach((producer, user) -> {
            writes.put(user, users.topics(user, "Write", Topics.ALL));
            expected.put(user, Set.of(producer.topic(), Topics.DLQ));
        });
        assertThat(writes).isEqualTo(expected);
        assertThat(users.usersAllowed("Write", Topics.DLQ)).containsExactlyInAnyOrderElementsOf(users.names());
    }

    @Test
    void eachServiceReadsExactlyWhatItConsumes() throws Exception {
        KafkaUsers users = KafkaUsers.fromSource();
        Map<String, Set<String>> reads = new TreeMap<>();
        users.names().forEach(u -> reads.put(u, users.topics(u, "Read", Topics.ALL)));
        assertThat(reads).isEqualTo(new TreeMap<>(READS));
        // Nobody reads the DLQ through Rotor's users: it is for operators.
        assertThat(users.usersAllowed("Read", Topics.DLQ)).isEmpty();
    }

    @Test
    void noUserMayCreateDeleteOrReconfigureTopicsOrGroups() throws Exception {
        KafkaUsers users = KafkaUsers.fromSource();
        List<String> problems = new ArrayList<>();
        for (String user : users.names()) {
            for (StrimziKafkaUsers.Rule acl : users.acls(user)) {
                Set<String> allowed = switch (acl.resourceType()) {
                    case "topic" -> Set.of("Read", "Write", "Describe");
                    case "group" -> Set.of("Read");
                    case "cluster" -> Set.of("IdempotentWrite");
                    default -> Set.of();
                };
                if (!allowed.containsAll(acl.operations()) || !acl.allow() || !acl.host().equals("*")) {
                    problems.add(user + ": " + acl);
                }
                if (acl.resourceType().equals("topic") && acl.patternType().equals("prefix")
                        && acl.operations().contains("Write")) {
                    problems.add(user + ": writes by prefix: " + acl);
                }
            }
            // Idempotent producers everywhere (acks=all, enable.idempotence): the cluster ACL is kept for each user.
            if (!users.allows(user, "IdempotentWrite", "cluster", "kafka-cluster")) {
                problems.add(user + ": no IdempotentWrite");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void eachDeploymentAuthenticatesAsItsOwnUser() throws Exception {
        List<ObjectNode> objects = Kustomize.render("prod");
        KafkaUsers users = KafkaUsers.of(objects);
        Set<String> deployments = new TreeSet<>();
        for (ObjectNode d : RenderedManifestsTest.byKind(objects, "Deployment")) {
            String name = d.path("metadata").path("name").asText();
            deployments.add(name);
            JsonNode jaas = null;
            for (JsonNode env : d.path("spec").path("template").path("spec").path("containers").get(0).path("env")) {
                if (env.path("name").asText().equals("KAFKA_SASL_JAAS_CONFIG")) {
                    jaas = env.path("valueFrom").path("secretKeyRef");
                }
            }
            assertThat(jaas).as(name).isNotNull();
            // Strimzi writes a KafkaUser's credentials to the Secret of the same name.
            assertThat(jaas.path("name").asText()).as(name + "'s Kafka credentials").isEqualTo(name);
            assertThat(jaas.path("key").asText()).isEqualTo("sasl.jaas.config");
        }
        assertThat(users.names()).isEqualTo(deployments);
    }

    private static Set<String> union(Set<String> a, List<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.addAll(b);
        return Set.copyOf(out);
    }
}
