package io.rotor.kit.timer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Timers driven by hand: the clock stands still until {@link #advance} moves it, which fires every timer that has
 * come due, in order. For tests and simulations of propagation delays, backoffs and lockout windows.
 */
public final class ManualTimers implements Timers {

    private final MovableClock clock;
    private final PriorityQueue<Waiting> queue = new PriorityQueue<>();
    private long sequence;

    public ManualTimers(Instant start) {
        this.clock = new MovableClock(start);
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public CompletionStage<Void> at(Instant due) {
        synchronized (this) {
            if (due.isAfter(clock.instant())) {
                CompletableFuture<Void> fired = new CompletableFuture<>();
                queue.add(new Waiting(due, sequence++, fired));
                return fired;
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Moves the clock forward and fires, on the caller's thread, every timer due by then. */
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("time only moves forward");
        }
        List<CompletableFuture<Void>> due = new ArrayList<>();
        synchronized (this) {
            clock.now = clock.now.plus(by);
            while (!queue.isEmpty() && !queue.peek().due.isAfter(clock.now)) {
                due.add(queue.poll().fired);
            }
        }
        due.forEach(f -> f.complete(null));
    }

    /** The earliest moment a timer waits for, if any. */
    public synchronized Instant nextDue() {
        return queue.isEmpty() ? null : queue.peek().due;
    }

    @Override
    public synchronized int pending() {
        return queue.size();
    }

    private record Waiting(Instant due, long sequence, CompletableFuture<Void> fired) implements Comparable<Waiting> {
        @Override
        public int compareTo(Waiting o) {
            int byTime = due.compareTo(o.due);
            return byTime != 0 ? byTime : Long.compare(sequence, o.sequence);
        }
    }

    private static final class MovableClock extends Clock {

        private volatile Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the manual clock is UTC only");
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
