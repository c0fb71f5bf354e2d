package io.rotor.testkit.stack;

import io.rotor.testkit.kafka.EmbeddedKafkaBroker;
import io.rotor.testkit.kafka.KafkaBroker;
import io.rotor.testkit.kafka.RotorTopics;
import io.rotor.testkit.kafka.ScramKafkaBroker;
import io.rotor.testkit.kafka.StrimziKafkaUsers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A real KRaft broker as its own process, for the local stack and the system tests: {@code --data DIR} (emptied at
 * start, kept at exit), {@code --port N} (0 for any). Prints {@value #READY} and the bootstrap servers once Rotor's
 * topics exist, and runs until it is terminated.
 *
 * <p>With {@code --users FILE --credentials DIR} the broker authenticates and authorizes as Rotor's cluster does
 * (SASL/SCRAM-SHA-512, Kafka's StandardAuthorizer, no access without an ACL): every KafkaUser of {@code FILE} (deploy's
 * {@code users.yaml}) gets a random password and the ACLs Strimzi would give it, and each password is written to
 * {@code DIR/<user>} (readable by this user only), the super user's to {@code DIR/}{@value #SUPER_USER}. Its data
 * then lives in a temporary directory.
 */
public final class KafkaMain {

    public static final String READY = "ROTOR-KAFKA-READY ";
    /** The account that creates topics, users and ACLs; the stack's tests read and inspect with it. */
    public static final String SUPER_USER = "rotor-stack-admin";

    private KafkaMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        StackArgs a = StackArgs.parse(args);
        KafkaBroker broker = a.all("users").isEmpty()
                ? EmbeddedKafkaBroker.startIn(Path.of(a.require("data")), a.intOr("port", 0))
                : scramBroker(Path.of(a.require("users")), Path.of(a.require("credentials")), a.intOr("port", 0));
        broker.createTopics(RotorTopics.all());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "kafka-shutdown"));
        // Read by the parent process: the one line of this program's output that is an interface.
        System.out.println(READY + broker.bootstrapServers());
        System.out.flush();
        stopped.await();
    }

    private static ScramKafkaBroker scramBroker(Path usersFile, Path credentials, int port) {
        StrimziKafkaUsers users = StrimziKafkaUsers.read(usersFile);
        SecureRandom random = new SecureRandom();
        Map<String, String> passwords = users.randomPasswords(random);
        String superPassword = StrimziKafkaUsers.randomPassword(random);
        ScramKafkaBroker broker = ScramKafkaBroker.start(SUPER_USER, superPassword, port);
        users.applyTo(broker, passwords);
        try {
            Files.createDirectories(credentials);
            for (Map.Entry<String, String> user : passwords.entrySet()) {
                RotorStack.writePrivate(credentials.resolve(user.getKey()), user.getValue());
            }
            RotorStack.writePrivate(credentials.resolve(SUPER_USER), superPassword);
        } catch (IOException e) {
            broker.close();
            throw new UncheckedIOException("cannot write the Kafka users' passwords under " + credentials, e);
        }
        return broker;
    }
}
