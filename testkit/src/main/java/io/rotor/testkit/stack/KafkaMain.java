package io.rotor.testkit.stack;

import io.rotor.testkit.kafka.EmbeddedKafkaBroker;
import io.rotor.testkit.kafka.RotorTopics;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A real KRaft broker as its own process, for the local stack and the system tests: {@code --data DIR} (emptied at
 * start, kept at exit), {@code --port N} (0 for any). Prints {@value #READY} and the bootstrap servers once Rotor's
 * topics exist, and runs until it is terminated.
 */
public final class KafkaMain {

    public static final String READY = "ROTOR-KAFKA-READY ";

    private KafkaMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        StackArgs a = StackArgs.parse(args);
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startIn(Path.of(a.require("data")), a.intOr("port", 0));
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
}
