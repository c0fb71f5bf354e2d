package io.rotor.orchestrator.query;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.envelope.DecodedEvent;
import io.rotor.contracts.event.RollbackRequested;
import io.rotor.contracts.event.RotationAwaitingOperator;
import io.rotor.contracts.event.RotationCancelled;
import io.rotor.contracts.event.RotationCoalesced;
import io.rotor.contracts.event.RotationCompleted;
import io.rotor.contracts.event.RotationConfirmed;
import io.rotor.contracts.event.RotationFailed;
import io.rotor.contracts.event.RotationOutcome;
import io.rotor.contracts.event.RotationPlan;
import io.rotor.contracts.event.RotationPlanned;
import io.rotor.contracts.event.RotationRejected;
import io.rotor.contracts.event.RotationRolledBack;
import io.rotor.contracts.event.RotationStalled;
import io.rotor.contracts.event.RotationStarted;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.contracts.event.StepFailed;
import io.rotor.contracts.saga.SagaState;
import io.rotor.contracts.saga.Step;
import io.rotor.orchestrator.config.OrchestratorConfig;
import io.rotor.orchestrator.saga.SagaProgress;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Every replica's read model of {@code rotor.events}: rotations with their timelines, the answers to requests (which
 * the REST door waits for), and a live stream for dashboards. Built from the whole topic by a consumer of its own, so
 * any replica can answer for any credential; it holds what is still in the topic's retention, at most
 * {@code rotor.orchestrator.query.max-rotations} rotations.
 */
@ApplicationScoped
public class RotationLog {

    private final int maxRotations;
    private final SagaProgress rules;
    private final Map<String, Tracked> rotations = new LinkedHashMap<>();
    private final Map<String, RotationOutcome> answers = new LinkedHashMap<>();
    private final Map<String, List<CompletableFuture<RotationOutcome>>> waiters = new ConcurrentHashMap<>();
    private final BroadcastProcessor<RotationEventView> live = BroadcastProcessor.create();

    @Inject
    public RotationLog(OrchestratorConfig config, SagaProgress rules) {
        this(config.query().maxRotations(), rules);
    }

    /** @param rules the saga's own rules: the read model follows a rotation the way its owner does */
    public RotationLog(int maxRotations, SagaProgress rules) {
        this.maxRotations = maxRotations;
        this.rules = rules;
    }

    /** Registers interest in the answer to a request before it is sent, so a fast answer cannot be missed. */
    public CompletableFuture<RotationOutcome> awaitAnswer(CredentialRef credential, String requestId) {
        String key = answerKey(credential, requestId);
        CompletableFuture<RotationOutcome> future = new CompletableFuture<>();
        waiters.computeIfAbsent(key, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(future);
        future.whenComplete((v, e) -> waiters.computeIfPresent(key, (k, list) -> {
            list.remove(future);
            return list.isEmpty() ? null : list;
        }));
        return future;
    }

    public synchronized Optional<RotationOutcome> answer(CredentialRef credential, String requestId) {
        return Optional.ofNullable(answers.get(answerKey(credential, requestId)));
    }

    public Multi<RotationEventView> live() {
        return live;
    }

    public void apply(DecodedEvent decoded) {
        RotorEvent event = decoded.event();
        Instant at = decoded.time() != null ? decoded.time() : Instant.now();
        RotationEventView view;
        synchronized (this) {
            view = track(event, at, decoded.source());
            if (event instanceof RotationOutcome outcome) {
                requestIdOf(outcome).ifPresent(id -> answers.put(answerKey(event.credential(), id), outcome));
                while (answers.size() > maxRotations * 2) {
                    answers.remove(answers.keySet().iterator().next());
                }
            }
        }
        if (event instanceof RotationOutcome outcome) {
            requestIdOf(outcome).ifPresent(id -> {
                List<CompletableFuture<RotationOutcome>> waiting = waiters.get(answerKey(event.credential(), id));
                if (waiting != null) {
                    waiting.forEach(f -> f.complete(outcome));
                }
            });
        }
        if (view != null) {
            live.onNext(view);
        }
    }

    public synchronized Page<RotationSummary> list(Predicate<RotationSummary> filter, int page, int size) {
        List<RotationSummary> matching = rotations.values().stream().map(Tracked::summary).filter(filter)
                .sorted(Comparator.comparing(RotationSummary::startedAt,
                        Comparator.nullsLast(Comparator.reverseOrder()))).toList();
        int from = Math.min(page * size, matching.size());
        int to = Math.min(from + size, matching.size());
        return new Page<>(matching.subList(from, to), page, size, matching.size());
    }

    public synchronized Optional<RotationDetail> get(String rotationId) {
        Tracked t = rotations.get(rotationId);
        return t == null ? Optional.empty() : Optional.of(t.detail());
    }

    /** The newest rotation (not dry run) of a credential. */
    public synchronized Optional<RotationSummary> latest(CredentialRef credential) {
        String ref = credential.asString();
        return rotations.values().stream().filter(t -> t.credential.equals(ref) && !t.dryRun).map(Tracked::summary)
                .max(Comparator.comparing(RotationSummary::startedAt, Comparator.nullsFirst(Comparator.naturalOrder())));
    }

    private RotationEventView track(RotorEvent event, Instant at, String source) {
        String id = event.rotationId();
        String type = event.getClass().getSimpleName();
        if (id == null) {
            if (event instanceof RotationRejected r) {
                return new RotationEventView(type, null, r.credential().asString(), at, null, null,
                        r.reason() + ": " + r.message());
            }
            return null;
        }
        Tracked t = rotations.get(id);
        if (t == null) {
            if (event instanceof RotationRejected r) {
                // Rejected because this rotation was in flight: not news about the rotation itself.
                return new RotationEventView(type, id, r.credential().asString(), at, null, null,
                        r.reason() + ": " + r.message());
            }
            t = new Tracked(id, event.credential().asString(), at);
            rotations.put(id, t);
            evict();
        }
        if (event instanceof StepCompleted c && t.specDigest != null && SagaProgress.refusal(id, t.specDigest, t.state,
                t.operator != null && t.operator.confirmed(), c).isPresent()) {
            // Refused by the owner too (to the DLQ): a forged step is neither progress nor news.
            return null;
        }
        t.updatedAt = at;
        String step = null;
        String detail = null;
        Duration duration = null;
        if (event instanceof RotationStarted s) {
            t.platform = s.spec().platform().value();
            t.strategy = s.spec().strategy();
            t.specDigest = s.specDigest();
            t.requestId = s.requestId();
            t.requestedBy = s.requestedBy();
            t.reason = s.reason();
            t.startedAt = at;
            t.state = SagaState.STARTED;
            detail = "requested by " + s.requestedBy() + (s.reason() == null ? "" : ": " + s.reason());
        } else if (event instanceof RotationPlanned p) {
            t.requestId = p.requestId();
            t.dryRun = true;
            t.plan = p.plan();
            t.startedAt = at;
            t.endedAt = at;
            detail = "dry run: " + p.plan().secrets().size() + " Secret(s), " + p.plan().workloads().size()
                    + " workload(s)";
        } else if (event instanceof RotationCoalesced c) {
            t.joined.add(c.requestId());
            detail = "request " + c.requestId() + " by " + c.requestedBy() + " joined";
        } else if (event instanceof RotationRejected r) {
            detail = "request " + r.requestId() + " rejected: " + r.reason();
        } else if (event instanceof RotationAwaitingOperator w) {
            t.state = SagaState.AWAITING_OPERATOR;
            t.operator = new OperatorTask(w.instructions(), w.deadline(), false, null);
            detail = "waiting for an operator" + (w.deadline() == null ? "" : " until " + w.deadline());
        } else if (event instanceof RotationConfirmed c) {
            OperatorTask task = t.operator;
            t.operator = new OperatorTask(task == null ? null : task.instructions(), task == null ? null
                    : task.deadline(), true, c.confirmedBy());
            detail = "confirmed by " + c.confirmedBy() + " (request " + c.requestId() + ")";
        } else if (event instanceof StepCompleted c) {
            step = c.step().name();
            duration = c.duration();
            // The owner's rule, so a step overtaken by a later one (steps travel on separate topics) or delivered
            // again does not move the rotation back. The end is shown when the owner's outcome arrives.
            Optional<SagaState> next = t.strategy == null || t.state == null ? Optional.empty()
                    : rules.stateAfter(t.strategy, t.state, c.step());
            if (next.isPresent() && next.get() != t.state) {
                t.lastError = null;
                if (!next.get().terminal()) {
                    t.state = next.get();
                }
            }
            detail = c.step() + " completed";
        } else if (event instanceof StepFailed f) {
            step = f.step().name();
            if (t.operator != null && t.strategy != null
                    && rules.confirmationRefused(t.strategy, t.state, t.operator.confirmed(), f)) {
                // The rotator refused the confirmed password; the orchestrator waits for the operator again.
                t.operator = new OperatorTask(t.operator.instructions(), t.operator.deadline(), false, null);
            }
            t.lastError = f.errorCode() + ": " + f.message();
            detail = f.step() + " failed (" + f.errorCode() + (f.retriable() ? ", retrying" : "") + "): "
                    + f.message();
        } else if (event instanceof RollbackRequested r) {
            step = r.step().name();
            t.state = SagaState.ROLLING_BACK;
            detail = "rollback requested after " + r.step() + " failed";
        } else if (event instanceof RotationStalled s) {
            if (SagaProgress.stallIsNews(s, t.state, t.stalledIn)) {
                t.stalledIn = s.state();
            }
            detail = "stalled in " + s.state() + " since " + s.since()
                    + (s.lastError() == null ? "" : "; last error " + s.lastError());
        } else if (event instanceof RotationCompleted c) {
            end(t, SagaState.COMPLETED, at, c.stepDurations(), c.total());
            detail = "completed in " + c.total();
        } else if (event instanceof RotationFailed f) {
            end(t, SagaState.FAILED, at, f.stepDurations(), null);
            t.lastError = f.errorCode() + ": " + f.message();
            detail = f.step() + " failed: " + f.errorCode() + ": " + f.message();
        } else if (event instanceof RotationRolledBack r) {
            end(t, SagaState.ROLLED_BACK, at, r.stepDurations(), null);
            detail = "rolled back after " + r.failedStep() + " failed: " + r.errorCode();
        } else if (event instanceof RotationCancelled c) {
            end(t, SagaState.CANCELLED, at, null, null);
            detail = "cancelled by " + c.cancelledBy() + (c.reason() == null ? "" : ": " + c.reason())
                    + (c.requestId() == null ? "" : " (request " + c.requestId() + ")");
        } else {
            detail = type;
        }
        t.timeline.add(new TimelineEntry(at, type, source, step, detail, duration));
        return new RotationEventView(type, id, t.credential, at, t.stateName(), step, detail);
    }

    private static void end(Tracked t, SagaState state, Instant at, Map<Step, Duration> durations, Duration total) {
        if (t.endedAt != null && !t.dryRun) {
            return;
        }
        t.state = state;
        t.endedAt = at;
        if (durations != null) {
            t.stepDurations = new EnumMap<>(Step.class);
            t.stepDurations.putAll(durations);
        }
        t.total = total != null ? total : t.startedAt == null ? null : Duration.between(t.startedAt, at);
    }

    private void evict() {
        Iterator<Map.Entry<String, Tracked>> it = rotations.entrySet().iterator();
        while (rotations.size() > maxRotations && it.hasNext()) {
            if (it.next().getValue().endedAt != null) {
                it.remove();
            }
        }
    }

    private static Optional<String> requestIdOf(RotationOutcome outcome) {
        if (outcome instanceof RotationStarted s) {
            return Optional.of(s.requestId());
        }
        if (outcome instanceof RotationCoalesced c) {
            return Optional.of(c.requestId());
        }
        if (outcome instanceof RotationRejected r) {
            return Optional.of(r.requestId());
        }
        if (outcome instanceof RotationPlanned p) {
            return Optional.of(p.requestId());
        }
        if (outcome instanceof RotationConfirmed c) {
            return Optional.of(c.requestId());
        }
        if (outcome instanceof RotationCancelled c) {
            return Optional.ofNullable(c.requestId());
        }
        return Optional.empty();
    }

    private static String answerKey(CredentialRef credential, String requestId) {
        return credential.asString() + " " + requestId;
    }

    /** The mutable view of one rotation; only touched under the log's lock. */
    private static final class Tracked {
        final String rotationId;
        final String credential;
        final List<TimelineEntry> timeline = new ArrayList<>();
        final List<String> joined = new ArrayList<>();
        String platform;
        Strategy strategy;
        /** Null until the log shows where the rotation stands. */
        SagaState state;
        /** The state a stall was reported for: the rotation is stalled while it is still in that state. */
        SagaState stalledIn;
        boolean dryRun;
        String specDigest;
        String requestId;
        String requestedBy;
        String reason;
        Instant startedAt;
        Instant updatedAt;
        Instant endedAt;
        Duration total;
        Map<Step, Duration> stepDurations;
        String lastError;
        RotationPlan plan;
        OperatorTask operator;

        Tracked(String rotationId, String credential, Instant at) {
            this.rotationId = rotationId;
            this.credential = credential;
            this.updatedAt = at;
        }

        String stateName() {
            if (state != null) {
                return state.name();
            }
            return dryRun ? "PLANNED" : "UNKNOWN";
        }

        RotationSummary summary() {
            return new RotationSummary(rotationId, credential, platform, strategy == null ? null : strategy.value(),
                    stateName(), state != null && state == stalledIn, dryRun, requestId,
                    requestedBy, reason, startedAt, updatedAt, endedAt, total, endedAt == null ? operator : null);
        }

        RotationDetail detail() {
            return new RotationDetail(summary(), List.copyOf(timeline), stepDurations, List.copyOf(joined),
                    lastError, plan);
        }
    }
}
