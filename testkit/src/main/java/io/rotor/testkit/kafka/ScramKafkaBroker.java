package io.rotor.testkit.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.TopicExistsException;
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
 * A real Kafka broker in this JVM that authenticates and authorizes like Rotor's production cluster: clients log in
 * with SASL/SCRAM-SHA-512 and every request is checked by Kafka's {@code StandardAuthorizer} against ACLs (deny when
 * no ACL allows). One KRaft node, controller and broker, on 127.0.0.1 only, assembled like {@link EmbeddedKafkaBroker}
 * (and for the same reasons not with {@code KafkaClusterTestKit}, which binds every interface).
 *
 * <p>There is one super user, given at start: its SCRAM credential is written when the storage is formatted (what
 * {@code kafka-storage.sh format --add-scram} does), so it can log in before anything else exists and create the other
 * users' credentials ({@code Admin.alterUserScramCredentials}), their ACLs and the topics. The broker talks to itself as
 * the super user with SCRAM; the controller listener uses SASL/PLAIN with the super user as its only account, so no
 * listener accepts an unauthenticated connection.
 *
 * <p>The client listener speaks SASL_PLAINTEXT (no TLS): what is under test is who may do what, not the transport.
 */
public final class ScramKafkaBroker implements KafkaBroker {

    private static final Logger LOG = Logger.getLogger(ScramKafkaBroker.class);

    public static final String MECHANISM = "SCRAM-SHA-512";
    public static final String AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";

    private static final int NODE_ID = 1;
    private static final String BROKER_LISTENER = "BROKER";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    /** Names and passwords go into JAAS and SCRAM argument strings unquoted: keep them to safe characters. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]+");

    private final Path dataDirectory;
    private final LoopbackServerSockets sockets;
    private final RecordingFaultHandlerFactory faults;
    private final ControllerServer controller;
    private final BrokerServer broker;
    private final String bootstrapServers;
    private final String superUser;
    private final String superUserPassword;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ScramKafkaBroker(Path dataDirectory, LoopbackServerSockets sockets, RecordingFaultHandlerFactory faults,
            ControllerServer controller, BrokerServer broker, String superUser, String superUserPassword) {
        this.dataDirectory = dataDirectory;
        this.sockets = sockets;
        this.faults = faults;
        this.controller = controller;
        this.broker = broker;
        this.superUser = superUser;
        this.superUserPassword = superUserPassword;
        this.bootstrapServers = LoopbackServerSockets.LOOPBACK_HOST + ":"
                + broker.boundPort(ListenerName.normalised(BROKER_LISTENER));
    }

    /**
     * Starts the broker with {@code superUser} (principal {@code User:<superUser>}) as its only account and super user.
     * Every other principal may do only what ACLs allow.
     */
    public static ScramKafkaBroker start(String superUser, String superUserPassword) {
        return start(superUser, superUserPassword, 0);
    }

    /** The same, with the client listener on {@code brokerPort} of 127.0.0.1 (0: any free port). */
    public static ScramKafkaBroker start(String superUser, String superUserPassword, int brokerPort) {
        requireSafe("super user", superUser);
        requireSafe("super user password", superUserPassword);
        long startedAt = System.nanoTime();
        Path dataDirectory = createDataDirectory();
        LoopbackServerSockets sockets = new LoopbackServerSockets();
        RecordingFaultHandlerFactory faults = new RecordingFaultHandlerFactory();
        ControllerServer controller = null;
        BrokerServer broker = null;
        boolean started = false;
        try {
            int controllerPort = sockets.prebind(CONTROLLER_LISTENER);
            KafkaConfig config = new KafkaConfig(
                    nodeProperties(dataDirectory, controllerPort, brokerPort, superUser, superUserPassword), false);
            Formatter formatter = format(dataDirectory, superUser, superUserPassword);
            SharedServer sharedServer = sharedServer(config, sockets, faults);
            controller = new ControllerServer(sharedServer, KafkaRaftServer.configSchema(), formatter.bootstrapMetadata());
            broker = new BrokerServer(sharedServer);
            controller.startup();
            broker.startup();
            controller.controller().waitForReadyBrokers(1).get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            ScramKafkaBroker running = new ScramKafkaBroker(dataDirectory, sockets, faults, controller, broker,
                    superUser, superUserPassword);
            started = true;
            LOG.infof("SCRAM Kafka broker ready at %s in %d ms (super user %s, data in %s)", running.bootstrapServers,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt), superUser, dataDirectory);
            return running;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            IllegalStateException failure = new IllegalStateException("The SCRAM Kafka broker did not start"
                    + (e instanceof TimeoutException ? " within " + STARTUP_TIMEOUT : ""),
                    e instanceof ExecutionException ? e.getCause() : e);
            faults.firstFatalFault().ifPresent(failure::addSuppressed);
            throw failure;
        } finally {
            if (!started) {
                try {
                    shutDown(broker, controller, sockets, dataDirectory);
                } catch (RuntimeException e) {
                    LOG.warnf(e, "Could not stop the SCRAM Kafka broker cleanly after it failed to start");
                }
            }
        }
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Client properties (producer, consumer or admin) that log in as {@code user} with SCRAM-SHA-512. */
    public Map<String, Object> clientConfig(String user, String password) {
        requireSafe("user", user);
        requireSafe("password", password);
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        config.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
        config.put(SaslConfigs.SASL_JAAS_CONFIG, scramJaas(user, password));
        return config;
    }

    /** Client properties of the super user, for setting up users, ACLs and topics. */
    public Map<String, Object> superUserConfig() {
        return clientConfig(superUser, superUserPassword);
    }

    /** An Admin client logged in as the super user; the caller closes it. */
    public Admin superUserAdmin() {
        Map<String, Object> config = superUserConfig();
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
        return Admin.create(config);
    }

    /** Creates the topics as the super user and waits for them; an existing topic is an error here. */
    @Override
    public void createTopics(Collection<TopicSpec> topics) {
        requireOpen();
        if (topics.isEmpty()) {
            return;
        }
        try (Admin admin = superUserAdmin()) {
            CreateTopicsResult result = admin.createTopics(topics.stream()
                    .map(t -> new NewTopic(t.name(), Optional.of(t.partitions()), Optional.empty()).configs(t.configs()))
                    .toList());
            for (TopicSpec topic : topics) {
                try {
                    result.values().get(topic.name()).get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Could not create topic " + topic.name(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Topics not created within " + ADMIN_TIMEOUT, e);
        }
    }

    /** Stops the node and deletes its data; throws if the node hit a fatal fault while it ran. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        shutDown(broker, controller, sockets, dataDirectory);
        LOG.infof("SCRAM Kafka broker at %s stopped", bootstrapServers);
        faults.firstFatalFault().ifPresent(fault -> {
            throw new IllegalStateException("The SCRAM Kafka broker hit a fatal fault while it ran", fault);
        });
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("The SCRAM Kafka broker at " + bootstrapServers + " is closed");
        }
    }

    private static Map<String, Object> nodeProperties(Path dataDirectory, int controllerPort, int brokerPort,
            String superUser, String superUserPassword) {
        String host = LoopbackServerSockets.LOOPBACK_HOST;
        Map<String, Object> properties = new HashMap<>(SingleNodeBrokerSettings.asBrokerProperties());
        properties.put("num.network.threads", "2");
        properties.put("num.io.threads", "2");
        properties.put("background.threads", "2");
        properties.put("num.recovery.threads.per.data.dir", "1");
        properties.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        properties.put("server.max.startup.time.ms", String.valueOf(STARTUP_TIMEOUT.toMillis()));
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", String.valueOf(NODE_ID));
        properties.put("listeners", BROKER_LISTENER + "://" + host + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + host + ":" + controllerPort);
        properties.put("listener.security.protocol.map",
                BROKER_LISTENER + ":SASL_PLAINTEXT," + CONTROLLER_LISTENER + ":SASL_PLAINTEXT");
        properties.put("inter.broker.listener.name", BROKER_LISTENER);
        properties.put("controller.listener.names", CONTROLLER_LISTENER);
        properties.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        properties.put("log.dirs", dataDirectory.toString());
        properties.put("metadata.log.dir", dataDirectory.toString());
        // Clients and the broker itself: SCRAM-SHA-512, credentials from the cluster metadata.
        properties.put("sasl.enabled.mechanisms", MECHANISM);
        properties.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        String broker = "listener.name." + BROKER_LISTENER.toLowerCase() + ".";
        properties.put(broker + "sasl.enabled.mechanisms", MECHANISM);
        properties.put(broker + MECHANISM.toLowerCase() + ".sasl.jaas.config", scramJaas(superUser, superUserPassword));
        // The controller: SCRAM credentials live in the metadata the controller serves, so its listener uses PLAIN
        // with the super user as the only account (the broker half logs in with it).
        String controller = "listener.name." + CONTROLLER_LISTENER.toLowerCase() + ".";
        properties.put("sasl.mechanism.controller.protocol", "PLAIN");
        properties.put(controller + "sasl.enabled.mechanisms", "PLAIN");
        properties.put(controller + "plain.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule"
                + " required username=\"" + superUser + "\" password=\"" + superUserPassword + "\" user_" + superUser
                + "=\"" + superUserPassword + "\";");
        // Authorization as on Rotor's cluster (Strimzi's simple authorization is this authorizer in KRaft): only ACLs.
        properties.put("authorizer.class.name", AUTHORIZER);
        properties.put("super.users", "User:" + superUser);
        properties.put("allow.everyone.if.no.acl.found", "false");
        return properties;
    }

    /** The {@code sasl.jaas.config} value a client logs in with as {@code user}. */
    public static String scramJaas(String user, String password) {
        requireSafe("user", user);
        requireSafe("password", password);
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** {@code kafka-storage.sh format --add-scram 'SCRAM-SHA-512=[name=<super user>,password=...]'}. */
    private static Formatter format(Path dataDirectory, String superUser, String superUserPassword) throws Exception {
        Formatter formatter = new Formatter()
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(dataDirectory.toString()))
                .setMetadataLogDirectory(dataDirectory.toString())
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setScramArguments(List.of(MECHANISM + "=[name=" + superUser + ",password=" + superUserPassword + "]"))
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8));
        formatter.run();
        return formatter;
    }

    private static SharedServer sharedServer(KafkaConfig config, LoopbackServerSockets sockets,
            RecordingFaultHandlerFactory faults) throws IOException {
        MetaPropertiesEnsemble metaProperties = new MetaPropertiesEnsemble.Loader()
                .addMetadataLogDir(config.metadataLogDir())
                .addLogDirs(config.logDirs())
                .load();
        return new SharedServer(config, metaProperties, Time.SYSTEM, new Metrics(),
                CompletableFuture.completedFuture(QuorumConfig.parseVoterConnections(config.quorumConfig().voters())),
                QuorumConfig.parseBootstrapServers(config.quorumConfig().bootstrapServers()), faults, sockets);
    }

    private static Path createDataDirectory() {
        try {
            return Files.createTempDirectory("rotor-kafka-scram-");
        } catch (IOException e) {
            throw new IllegalStateException("Could not create a data directory for the SCRAM Kafka broker", e);
        }
    }

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
                try {
                    Utils.delete(dataDirectory.toFile());
                } catch (IOException e) {
                    LOG.warnf(e, "Could not delete the SCRAM Kafka broker's data in %s", dataDirectory);
                }
            }
        }
    }

    private static void requireSafe(String what, String value) {
        if (value == null || !SAFE.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be letters, digits, '.', '_' or '-'");
        }
    }
}
