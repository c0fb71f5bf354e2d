package io.rotor.testkit.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.raft.QuorumConfig;
import org.apache.kafka.server.common.MetadataVersion;
import org.jboss.logging.Logger;

import kafka.server.BrokerServer;
import kafka.server.ControllerServer;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.server.SharedServer;

/**
 * A real Kafka broker in this JVM: one KRaft node that is both controller and broker, listening on 127.0.0.1 only,
 * with its data in a temporary directory that {@link #close()} deletes. The first start in a JVM takes a few seconds,
 * mostly loading Kafka's and Scala's classes; later ones well under a second.
 *
 * <p>The node is put together the way {@code KafkaRaftServer} (what {@code kafka-server-start.sh} runs) does it —
 * format the storage, then a controller and a broker over one shared Raft server — with two differences a test JVM
 * needs: faults are recorded instead of halting the process ({@link RecordingFaultHandlerFactory}), and sockets are
 * bound to the loopback address ({@link LoopbackServerSockets}). Kafka's own {@code KafkaClusterTestKit} was the
 * first choice, but it binds its listeners to the wildcard address whatever {@code listeners} says, so the broker
 * would be reachable from the network; it also enables unstable metadata versions, which Rotor never runs on.
 */
public final class EmbeddedKafkaBroker implements KafkaBroker {

    private static final Logger LOG = Logger.getLogger(EmbeddedKafkaBroker.class);

    private static final int NODE_ID = 1;
    private static final String BROKER_LISTENER = "BROKER";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    /** Bounds a start-up that can never finish (say, a controller that is never elected) instead of hanging. */
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDirectory;
    private final LoopbackServerSockets sockets;
    private final RecordingFaultHandlerFactory faults;
    private final ControllerServer controller;
    private final BrokerServer broker;
    private final String bootstrapServers;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafkaBroker(Path dataDirectory, LoopbackServerSockets sockets, RecordingFaultHandlerFactory faults,
            ControllerServer controller, BrokerServer broker) {
        this.dataDirectory = dataDirectory;
        this.sockets = sockets;
        this.faults = faults;
        this.controller = controller;
        this.broker = broker;
        this.bootstrapServers = LoopbackServerSockets.LOOPBACK_HOST + ":"
                + broker.boundPort(ListenerName.normalised(BROKER_LISTENER));
    }

    /** Starts a broker with the settings every Rotor test broker has. */
    public static EmbeddedKafkaBroker start() {
        return start(Map.of());
    }

    /**
     * Starts a broker with extra broker properties on top of the defaults, for example
     * {@code log.cleaner.min.compaction.lag.ms}. Listener and storage properties are the broker's own.
     */
    public static EmbeddedKafkaBroker start(Map<String, String> brokerProperties) {
        return start(brokerProperties, null, 0);
    }

    /**
     * Starts a broker whose data lives in {@code dataDirectory} (emptied first, kept after close, for the local stack
     * where users may look at it) and whose client listener has {@code brokerPort} (0: any free port).
     */
    public static EmbeddedKafkaBroker startIn(Path dataDirectory, int brokerPort) {
        return start(Map.of(), dataDirectory, brokerPort);
    }

    private static EmbeddedKafkaBroker start(Map<String, String> brokerProperties, Path givenDirectory, int brokerPort) {
        long startedAt = System.nanoTime();
        Path dataDirectory = givenDirectory == null ? createDataDirectory() : emptied(givenDirectory);
        LoopbackServerSockets sockets = new LoopbackServerSockets();
        RecordingFaultHandlerFactory faults = new RecordingFaultHandlerFactory();
        ControllerServer controller = null;
        BrokerServer broker = null;
        boolean started = false;
        try {
            int controllerPort = sockets.prebind(CONTROLLER_LISTENER);
            KafkaConfig config = new KafkaConfig(
                    nodeProperties(dataDirectory, controllerPort, brokerPort, brokerProperties), false);
            Formatter formatter = format(dataDirectory);
            SharedServer sharedServer = sharedServer(config, sockets, faults);
            controller = new ControllerServer(sharedServer, KafkaRaftServer.configSchema(), formatter.bootstrapMetadata());
            broker = new BrokerServer(sharedServer);
            // Controller first, as KafkaRaftServer does: the broker half learns the controller endpoints from it.
            controller.startup();
            broker.startup();
            controller.controller().waitForReadyBrokers(1).get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            EmbeddedKafkaBroker running = new EmbeddedKafkaBroker(givenDirectory == null ? dataDirectory : null, sockets,
                    faults, controller, broker);
            started = true;
            LOG.infof("Embedded Kafka broker ready at %s in %d ms (data in %s)", running.bootstrapServers,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt), dataDirectory);
            return running;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            IllegalStateException failure = new IllegalStateException(
                    "The embedded Kafka broker did not start" + (e instanceof TimeoutException
                            ? " within " + STARTUP_TIMEOUT : ""), e instanceof ExecutionException ? e.getCause() : e);
            faults.firstFatalFault().ifPresent(failure::addSuppressed);
            throw failure;
        } finally {
            if (!started) {
                shutDownAfterFailedStart(broker, controller, sockets, givenDirectory == null ? dataDirectory : null);
            }
        }
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void createTopics(Collection<TopicSpec> topics) {
        requireOpen();
        TopicProvisioner.createTopics(bootstrapServers, topics);
    }

    /**
     * Stops the node and deletes its data directory.
     *
     * @throws IllegalStateException if the node hit a fatal fault while it ran (after stopping it all the same), so
     *         that a test which saw only timeouts learns why
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        shutDown(broker, controller, sockets, dataDirectory);
        LOG.infof("Embedded Kafka broker at %s stopped", bootstrapServers);
        faults.firstFatalFault().ifPresent(fault -> {
            throw new IllegalStateException("The embedded Kafka broker hit a fatal fault while it ran", fault);
        });
    }

    /** The ports the node listens on: the broker's and the controller's. */
    List<Integer> listenerPorts() {
        return List.of(broker.boundPort(ListenerName.normalised(BROKER_LISTENER)),
                controller.socketServer().boundPort(ListenerName.normalised(CONTROLLER_LISTENER)));
    }

    /** Where the node keeps its logs and metadata; gone after {@link #close()}. */
    Path dataDirectory() {
        return dataDirectory;
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("The embedded Kafka broker at " + bootstrapServers + " is closed");
        }
    }

    private static Map<String, Object> nodeProperties(Path dataDirectory, int controllerPort, int brokerPort,
            Map<String, String> brokerProperties) {
        String host = LoopbackServerSockets.LOOPBACK_HOST;
        Map<String, Object> properties = new HashMap<>(SingleNodeBrokerSettings.asBrokerProperties());
        // Two cores are shared by the build, the test JVM and other builds: Kafka's thread defaults size for servers.
        properties.put("num.network.threads", "2");
        properties.put("num.io.threads", "2");
        properties.put("background.threads", "2");
        properties.put("num.recovery.threads.per.data.dir", "1");
        // The log cleaner allocates this buffer up front: 128 MiB by default, a lot for a test JVM's heap.
        properties.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        properties.put("server.max.startup.time.ms", String.valueOf(STARTUP_TIMEOUT.toMillis()));
        properties.putAll(brokerProperties);
        // The node's identity, listeners and storage come last: overriding them would break the loopback binding.
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", String.valueOf(NODE_ID));
        properties.put("listeners", BROKER_LISTENER + "://" + host + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + host + ":" + controllerPort);
        properties.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        properties.put("inter.broker.listener.name", BROKER_LISTENER);
        properties.put("controller.listener.names", CONTROLLER_LISTENER);
        properties.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        properties.put("log.dirs", dataDirectory.toString());
        properties.put("metadata.log.dir", dataDirectory.toString());
        return properties;
    }

    /** What {@code kafka-storage.sh format} does: writes meta.properties and the bootstrap metadata checkpoint. */
    private static Formatter format(Path dataDirectory) throws Exception {
        Formatter formatter = new Formatter()
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(dataDirectory.toString()))
                .setMetadataLogDirectory(dataDirectory.toString())
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setReleaseVersion(MetadataVersion.latestProduction())
                // The formatter reports each directory on a PrintStream meant for a terminal; the log line is ours.
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8));
        formatter.run();
        return formatter;
    }

    /** The Raft client and metadata machinery the controller and broker halves of a combined node share. */
    private static SharedServer sharedServer(KafkaConfig config, LoopbackServerSockets sockets,
            RecordingFaultHandlerFactory faults) throws IOException {
        MetaPropertiesEnsemble metaProperties = new MetaPropertiesEnsemble.Loader()
                .addMetadataLogDir(config.metadataLogDir())
                .addLogDirs(config.logDirs())
                .load();
        return new SharedServer(
                config,
                metaProperties,
                Time.SYSTEM,
                new Metrics(),
                CompletableFuture.completedFuture(QuorumConfig.parseVoterConnections(config.quorumConfig().voters())),
                QuorumConfig.parseBootstrapServers(config.quorumConfig().bootstrapServers()),
                faults,
                sockets);
    }

    private static Path emptied(Path directory) {
        try {
            if (Files.exists(directory)) {
                try (Stream<Path> paths = Files.walk(directory)) {
                    for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                        if (!p.equals(directory)) {
                            Files.delete(p);
                        }
                    }
                }
            }
            return Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IllegalStateException("Could not prepare " + directory + " for the embedded Kafka broker", e);
        }
    }

    private static Path createDataDirectory() {
        try {
            return Files.createTempDirectory("rotor-kafka-");
        } catch (IOException e) {
            throw new IllegalStateException("Could not create a data directory for the embedded Kafka broker", e);
        }
    }

    /** Broker before controller, as KafkaRaftServer does: the broker's controlled shutdown needs the controller. */
    private static void shutDown(BrokerServer broker, ControllerServer controller, LoopbackServerSockets sockets,
            Path dataDirectory) {
        try {
            if (broker != null) {
                broker.shutdown();
            }
        } finally {
            try {
                if (controller != null) {
                    controller.shutdown();
                }
            } finally {
                sockets.close();
                deleteQuietly(dataDirectory);
            }
        }
    }

    /** Cleans up without hiding the start-up failure that is on its way to the caller. */
    private static void shutDownAfterFailedStart(BrokerServer broker, ControllerServer controller,
            LoopbackServerSockets sockets, Path dataDirectory) {
        try {
            shutDown(broker, controller, sockets, dataDirectory);
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not stop the embedded Kafka broker cleanly after it failed to start");
        }
    }

    /** Deletes a temporary data directory; null stands for a directory the caller gave and keeps. */
    private static void deleteQuietly(Path dataDirectory) {
        if (dataDirectory == null) {
            return;
        }
        try {
            Utils.delete(dataDirectory.toFile());
        } catch (IOException e) {
            LOG.warnf(e, "Could not delete the embedded Kafka broker's data in %s", dataDirectory);
        }
    }
}
