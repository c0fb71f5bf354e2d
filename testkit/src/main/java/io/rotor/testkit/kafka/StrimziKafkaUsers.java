package io.rotor.testkit.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Strimzi {@code KafkaUser} resources with simple authorization, read the way Strimzi's User Operator reads them, and
 * applied to a {@link ScramKafkaBroker} the way it applies them: a SCRAM-SHA-512 credential per user and, per rule and
 * operation, an ACL for {@code User:<name>}. deploy's ACL test and the system stack both start from
 * {@code deploy/kubernetes/base/kafka/users.yaml} through this class, so the broker a test runs against enforces
 * exactly the ACLs a cluster would get.
 */
public record StrimziKafkaUsers(Map<String, List<Rule>> byUser) {

    private static final Duration WAIT = Duration.ofSeconds(30);

    public StrimziKafkaUsers {
        byUser = Map.copyOf(byUser);
    }

    /** One ACL rule: resource type ({@code topic}, {@code group}, {@code cluster}), name, pattern, operations. */
    public record Rule(String resourceType, String name, String patternType, Set<String> operations, String host,
            boolean allow) {

        public Rule {
            operations = Set.copyOf(operations);
        }

        /** Strimzi's default pattern type is literal, its default host {@code *}, its default type allow. */
        static Rule of(JsonNode rule) {
            JsonNode resource = rule.path("resource");
            Set<String> operations = new LinkedHashSet<>();
            rule.path("operations").forEach(o -> operations.add(o.asText()));
            if (rule.has("operation")) {
                operations.add(rule.path("operation").asText());
            }
            return new Rule(resource.path("type").asText(), resource.path("name").asText(null),
                    resource.path("patternType").asText("literal").toLowerCase(Locale.ROOT), operations,
                    rule.path("host").asText("*"), !rule.path("type").asText("allow").equalsIgnoreCase("deny"));
        }

        public boolean appliesTo(String type, String resourceName) {
            if (!resourceType.equals(type)) {
                return false;
            }
            if (type.equals("cluster")) {
                return true;
            }
            return patternType.equals("prefix") ? resourceName.startsWith(name) : resourceName.equals(name);
        }

        /** Kafka's implications: Read, Write, Delete and Alter each imply Describe; All implies everything. */
        public boolean grants(String operation) {
            return operations.contains(operation) || operations.contains("All")
                    || operation.equals("Describe") && operations.stream().anyMatch(
                            o -> Set.of("Read", "Write", "Delete", "Alter").contains(o));
        }

        private ResourcePattern pattern(String user) {
            PatternType pattern = switch (patternType) {
                case "literal" -> PatternType.LITERAL;
                case "prefix" -> PatternType.PREFIXED;
                default -> throw new IllegalArgumentException(user + ": pattern type " + patternType);
            };
            return switch (resourceType) {
                case "topic" -> new ResourcePattern(ResourceType.TOPIC, name, pattern);
                case "group" -> new ResourcePattern(ResourceType.GROUP, name, pattern);
                case "transactionalId" -> new ResourcePattern(ResourceType.TRANSACTIONAL_ID, name, pattern);
                case "cluster" -> new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL);
                default -> throw new IllegalArgumentException(user + ": resource type " + resourceType);
            };
        }
    }

    /** Every KafkaUser of a multi-document YAML file; other kinds are ignored. */
    public static StrimziKafkaUsers read(Path file) {
        try {
            ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
            List<JsonNode> documents = new ArrayList<>();
            try (var parser = yaml.getFactory().createParser(Files.readString(file))) {
                yaml.readValues(parser, JsonNode.class).forEachRemaining(documents::add);
            }
            return of(documents);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read KafkaUsers from " + file, e);
        }
    }

    /** From parsed objects (a source file or a rendered overlay). */
    public static StrimziKafkaUsers of(List<? extends JsonNode> objects) {
        Map<String, List<Rule>> users = new LinkedHashMap<>();
        for (JsonNode user : objects) {
            if (user == null || !"KafkaUser".equals(user.path("kind").asText())) {
                continue;
            }
            String name = user.path("metadata").path("name").asText();
            JsonNode authorization = user.path("spec").path("authorization");
            if (!authorization.path("type").asText().equals("simple")) {
                throw new IllegalStateException("KafkaUser " + name + " does not use simple authorization");
            }
            List<Rule> rules = new ArrayList<>();
            authorization.path("acls").forEach(rule -> rules.add(Rule.of(rule)));
            if (users.put(name, List.copyOf(rules)) != null) {
                throw new IllegalStateException("two KafkaUsers named " + name);
            }
        }
        return new StrimziKafkaUsers(users);
    }

    public Set<String> names() {
        return byUser.keySet();
    }

    public List<Rule> rules(String user) {
        List<Rule> rules = byUser.get(user);
        if (rules == null) {
            throw new IllegalArgumentException("no KafkaUser " + user + " (there are " + byUser.keySet() + ")");
        }
        return rules;
    }

    /** A fresh random password for every user (letters and digits: they go into JAAS strings unquoted). */
    public Map<String, String> randomPasswords(SecureRandom random) {
        Map<String, String> passwords = new LinkedHashMap<>();
        names().forEach(user -> passwords.put(user, randomPassword(random)));
        return passwords;
    }

    public static String randomPassword(SecureRandom random) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    /** Strimzi's ACLs: each rule, for each operation, one binding; a set, as on the broker. */
    public List<AclBinding> aclBindings() {
        Set<AclBinding> bindings = new LinkedHashSet<>();
        byUser.forEach((user, rules) -> {
            for (Rule rule : rules) {
                ResourcePattern pattern = rule.pattern(user);
                for (String operation : rule.operations()) {
                    bindings.add(new AclBinding(pattern, new AccessControlEntry("User:" + user, rule.host(),
                            operation(operation), rule.allow() ? AclPermissionType.ALLOW : AclPermissionType.DENY)));
                }
            }
        });
        return List.copyOf(bindings);
    }

    /** Strimzi's operation names are Kafka's in camel case: {@code IdempotentWrite} is {@code IDEMPOTENT_WRITE}. */
    public static AclOperation operation(String strimzi) {
        return AclOperation.valueOf(strimzi.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
    }

    /**
     * What the User Operator does: a SCRAM credential for every user ({@code passwords} must name them all) and the
     * ACLs; returns once the broker's authorizer and credential cache hold them.
     */
    public void applyTo(ScramKafkaBroker broker, Map<String, String> passwords) {
        if (!passwords.keySet().containsAll(names())) {
            throw new IllegalArgumentException("no password for " + names().stream()
                    .filter(n -> !passwords.containsKey(n)).toList());
        }
        List<AclBinding> acls = aclBindings();
        try (Admin admin = broker.superUserAdmin()) {
            List<UserScramCredentialAlteration> credentials = new ArrayList<>();
            for (String user : names()) {
                credentials.add(new UserScramCredentialUpsertion(user,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), passwords.get(user)));
            }
            admin.alterUserScramCredentials(credentials).all().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            admin.createAcls(acls).all().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            awaitPropagation(admin, acls.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the Kafka users", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create the Kafka users and their ACLs", e);
        }
    }

    /** ACLs and SCRAM credentials reach the broker's authorizer and credential cache after the controller has them. */
    private void awaitPropagation(Admin admin, int aclCount)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            int acls = admin.describeAcls(AclBindingFilter.ANY).values().get(WAIT.toSeconds(), TimeUnit.SECONDS).size();
            Set<String> scram = new HashSet<>(admin.describeUserScramCredentials().users()
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS));
            if (acls == aclCount && scram.containsAll(names())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the broker has " + acls + " of " + aclCount
                        + " ACLs and credentials for " + scram + " after " + WAIT);
            }
            Thread.sleep(100);
        }
    }
}
