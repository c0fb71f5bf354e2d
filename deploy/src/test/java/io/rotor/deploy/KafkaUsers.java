package io.rotor.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.testkit.kafka.StrimziKafkaUsers;
import io.rotor.testkit.kafka.StrimziKafkaUsers.Rule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The KafkaUsers of {@code base/kafka/users.yaml} and their ACLs, read the way Strimzi's User Operator reads them
 * (simple authorization, parsed by testkit's {@link StrimziKafkaUsers}, which also gives a real broker the same ACLs in
 * {@link KafkaAclEnforcementTest} and in the system tests): the one place these tests learn who may read and write
 * what.
 */
record KafkaUsers(StrimziKafkaUsers strimzi) {

    static final Path SOURCE = Kustomize.ROOT.resolve("base/kafka/users.yaml");

    static KafkaUsers fromSource() throws IOException {
        return of(Kustomize.read(SOURCE));
    }

    /** From parsed objects (the source file or a rendered overlay); other kinds are ignored. */
    static KafkaUsers of(List<ObjectNode> objects) {
        return new KafkaUsers(StrimziKafkaUsers.of(objects));
    }

    Set<String> names() {
        return strimzi.names();
    }

    List<Rule> acls(String user) {
        return strimzi.rules(user);
    }

    /** Whether the user's ACLs allow {@code operation} on the resource (no deny rule matches, an allow rule does). */
    boolean allows(String user, String operation, String resourceType, String resourceName) {
        boolean allowed = false;
        for (Rule acl : acls(user)) {
            if (acl.appliesTo(resourceType, resourceName) && acl.grants(operation)) {
                if (!acl.allow()) {
                    return false;
                }
                allowed = true;
            }
        }
        return allowed;
    }

    /** The topics among {@code topics} the user may do {@code operation} on. */
    Set<String> topics(String user, String operation, List<String> topics) {
        Set<String> out = new LinkedHashSet<>();
        for (String topic : topics) {
            if (allows(user, operation, "topic", topic)) {
                out.add(topic);
            }
        }
        return out;
    }

    /** The users allowed {@code operation} on the topic. */
    Set<String> usersAllowed(String operation, String topic) {
        Set<String> out = new LinkedHashSet<>();
        for (String user : names()) {
            if (allows(user, operation, "topic", topic)) {
                out.add(user);
            }
        }
        return out;
    }

    /** The group-name prefixes (or names) a user may join. */
    List<String> groups(String user) {
        return acls(user).stream().filter(a -> a.resourceType().equals("group") && a.grants("Read"))
                .map(Rule::name).toList();
    }
}
