package io.rotor.kit.participant;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.SpecDigest;
import io.rotor.contracts.envelope.DecodedEvent;
import io.rotor.contracts.event.RotateCredential;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.event.StepFailed;
import io.rotor.contracts.policy.EndpointPolicy;
import io.rotor.contracts.saga.Step;
import io.rotor.contracts.sealing.SealingKeys;
import io.rotor.contracts.validation.Violation;
import io.rotor.kit.messaging.EventPublisher;
import io.rotor.kit.messaging.InboundProcessor;
import io.rotor.kit.messaging.RecordRefused;
import io.rotor.kit.retry.ConcurrencyLimiter;
import io.rotor.kit.rotation.OpenRotation;
import io.rotor.kit.rotation.RotationAuthority;
import io.rotor.kit.timer.Timers;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * The saga participant every rotator runs: it takes {@code RotateCredential} commands and the step events of its
 * platforms, calls the {@link PlatformAdapter}, and answers with {@code StepCompleted} or {@code StepFailed}.
 *
 * <p>Records are not handled one after another: each is taken, started, and acknowledged only once its answer is
 * published, while the consumer goes on with the next records. With SmallRye's throttled commit strategy the offset
 * of a partition is committed only up to the oldest record not yet acknowledged, so a crash redelivers everything
 * unfinished (and some finished records after it, which the steps' idempotency absorbs). A propagation wait thus
 * holds back nothing but its own record.
 */
public final class ParticipantRuntime implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ParticipantRuntime.class);
    private static final String COMMANDS = "commands";

    private final Map<Platform, PlatformAdapter> adapters;
    private final InboundProcessor inbound;
    private final ApplyStep apply;
    private final RetireStep retire;
    private final CredentialLanes lanes = new CredentialLanes();
    private final ConcurrentHashMap<String, CompletableFuture<List<RotorEvent>>> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger commandsInFlight = new AtomicInteger();
    private final ConcurrencyLimiter commandSlots;
    private final ExecutorService workers;
    private final RotationAuthority authority;
    private final EndpointPolicy policy;

    public ParticipantRuntime(List<PlatformAdapter> adapters, CurrentValueReader reader, SealingKeys keys,
            EventPublisher publisher, InboundProcessor inbound, Timers timers, ParticipantSettings settings,
            ParticipantMetrics metrics, RotationAuthority authority, EndpointPolicy policy) {
        this.adapters = index(adapters);
        this.policy = policy;
        this.inbound = inbound;
        this.authority = authority;
        for (Platform platform : this.adapters.keySet()) {
            // Fail at start-up, not at the first rotation: a rotator must hold its own platforms' keyrings.
            keys.sealerFor(platform);
        }
        this.commandSlots = new ConcurrencyLimiter(settings.maxCommandsInFlight());
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(settings.workers(), r -> {
            Thread t = new Thread(r, "rotor-participant-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Attempts attempts = new Attempts(workers, timers, settings.backoff(),
                new ConcurrencyLimiter(settings.perEndpointConcurrency()), publisher, metrics, new Random());
        this.apply = new ApplyStep(keys, reader, attempts, timers, metrics);
        this.retire = new RetireStep(keys, attempts, timers, lanes, metrics);
        metrics.gauges(retire::waiting, commandsInFlight::get);
        LOG.infof("rotator participant for %s (%d workers, %d commands at once, %d per endpoint, %d attempts)",
                this.adapters.keySet().stream().map(Platform::value).toList(), settings.workers(),
                settings.maxCommandsInFlight(), settings.perEndpointConcurrency(), settings.backoff().maxAttempts());
    }

    private static Map<Platform, PlatformAdapter> index(List<PlatformAdapter> adapters) {
        Map<Platform, PlatformAdapter> byPlatform = new EnumMap<>(Platform.class);
        for (PlatformAdapter adapter : adapters) {
            if (byPlatform.putIfAbsent(adapter.platform(), adapter) != null) {
                throw new IllegalStateException("two adapters for platform " + adapter.platform().value());
            }
        }
        return byPlatform;
    }

    /**
     * For the commands channel's {@code @Incoming} method: returns once the command is taken (at once, unless
     * {@code maxCommandsInFlight} commands are being worked on), not when it is done; the record is acknowledged when
     * its answer is published.
     */
    public CompletionStage<Void> consumeCommand(Message<byte[]> message) {
        CompletableFuture<Void> taken = new CompletableFuture<>();
        commandSlots.run(COMMANDS, () -> {
            commandsInFlight.incrementAndGet();
            taken.complete(null);
            return inbound.process(message, this::onCommand)
                    .whenComplete((v, e) -> commandsInFlight.decrementAndGet());
        });
        return taken;
    }

    /** For the events channel's {@code @Incoming} method: returns at once; see the class comment. */
    public CompletionStage<Void> consumeEvent(Message<byte[]> message) {
        inbound.process(message, this::onEvent);
        return CompletableFuture.completedFuture(null);
    }

    /** The answer to a command, once the work is done. */
    public CompletionStage<List<RotorEvent>> onCommand(DecodedEvent decoded) {
        if (!(decoded.event() instanceof RotateCredential command)) {
            return none();
        }
        StepScope scope = new StepScope(command.rotationId(), command.credential(), command.spec().platform(),
                Step.PLATFORM_UPDATED);
        Optional<PlatformAdapter> adapter = adapterFor(command.spec());
        if (adapter.isEmpty()) {
            return CompletableFuture.completedFuture(List.of(unsupported(scope, command.spec())));
        }
        return once(scope, () -> authorized(command.credential(), command.rotationId(), command.specDigest())
                .thenCompose(open -> lanes.run(command.credential(), () -> apply.run(command, adapter.get()))));
    }

    /**
     * Only the credential's rotation in flight, with the spec the orchestrator started it with: a replayed command or
     * step of an ended rotation, or one whose spec was swapped, is refused (to the DLQ) and changes nothing.
     */
    private CompletionStage<OpenRotation> authorized(CredentialRef credential, String rotationId, String specDigest) {
        return authority.current(credential, rotationId).thenApply(open -> {
            if (!open.specDigest().equals(specDigest)) {
                throw new RecordRefused(RecordRefused.Reason.SPEC_MISMATCH, "the record's spec of rotation "
                        + rotationId + " of " + credential + " is not the one the orchestrator started it with");
            }
            List<Violation> outside = policy.check(credential.namespace(), open.spec());
            if (!outside.isEmpty()) {
                // The orchestrator refuses such a credential; a record for one is a forgery or predates the policy.
                throw new RecordRefused(RecordRefused.Reason.TARGET_NOT_ALLOWED, "rotation " + rotationId + " of "
                        + credential + " names an endpoint outside the endpoint policy: " + outside);
            }
            return open;
        });
    }

    /** The answer to a step event, once the work is done; most events are not for this rotator and get none. */
    public CompletionStage<List<RotorEvent>> onEvent(DecodedEvent decoded) {
        if (!(decoded.event() instanceof StepCompleted event)
                || !event.spec().strategy().overlap()
                || !adapters.containsKey(event.spec().platform())) {
            return none();
        }
        RetireStep.Retirement what = switch (event.step()) {
            case WORKLOADS_RESTARTED -> RetireStep.Retirement.OLD_VALUE;
            case WORKLOADS_RESTORED -> RetireStep.Retirement.NEW_VALUE;
            default -> null;
        };
        if (what == null) {
            return none();
        }
        StepScope scope = new StepScope(event.rotationId(), event.credential(), event.spec().platform(), what.step);
        Optional<PlatformAdapter> adapter = adapterFor(event.spec());
        if (adapter.isEmpty()) {
            return CompletableFuture.completedFuture(List.of(unsupported(scope, event.spec())));
        }
        return once(scope, () -> authorized(event.credential(), event.rotationId(), SpecDigest.of(event.spec()))
                .thenCompose(open -> retire.schedule(event, decoded.time(), what, adapter.get())));
    }

    /** Old or new values waiting for their propagation delay. */
    public int retirementsWaiting() {
        return retire.waiting();
    }

    public int commandsInFlight() {
        return commandsInFlight.get();
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }

    /**
     * One rotation's step runs once per process: a redelivery that arrives while the first delivery is still being
     * worked on (a rebalance back to this instance) waits for it and answers nothing itself.
     */
    private CompletionStage<List<RotorEvent>> once(StepScope scope,
            Supplier<CompletionStage<List<RotorEvent>>> work) {
        CompletableFuture<List<RotorEvent>> mine = new CompletableFuture<>();
        CompletableFuture<List<RotorEvent>> running = inFlight.putIfAbsent(scope.key(), mine);
        if (running != null) {
            try (var ctx = scope.logContext()) {
                LOG.infof("%s is already being worked on here; this delivery waits for it",
                        scope.step());
            }
            return running.handle((r, e) -> List.of());
        }
        CompletionStage<List<RotorEvent>> started;
        try {
            started = work.get();
        } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e);
        }
        started.whenComplete((r, e) -> {
            inFlight.remove(scope.key(), mine);
            if (e != null) {
                mine.completeExceptionally(e);
            } else {
                mine.complete(r);
            }
        });
        return mine;
    }

    private Optional<PlatformAdapter> adapterFor(ManagedCredentialSpec spec) {
        return Optional.ofNullable(adapters.get(spec.platform()))
                .filter(a -> a.strategies().contains(spec.strategy()));
    }

    private StepFailed unsupported(StepScope scope, ManagedCredentialSpec spec) {
        String message = "this rotator does not handle " + spec.platform().value() + " with strategy "
                + spec.strategy().value() + " (it handles " + adapters.values().stream()
                        .map(a -> a.platform().value() + " " + a.strategies().stream().map(s -> s.value()).sorted().toList())
                        .toList() + ")";
        try (var ctx = scope.logContext()) {
            LOG.error(message);
        }
        return new StepFailed(scope.rotationId(), scope.credential(), scope.step(), KitFailure.UNSUPPORTED.code(),
                message, false, 1, scope.platform());
    }

    private static CompletionStage<List<RotorEvent>> none() {
        return CompletableFuture.completedFuture(List.of());
    }
}
