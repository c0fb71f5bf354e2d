package io.rotor.orchestrator.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rotor.orchestrator.support.WorkerSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A member whose broker is gone keeps rejoining with a growing pause in between; stopping it (a pod's SIGTERM) must
 * not wait that pause out, nor count the stop as another failure.
 */
class OwnerWorkerStopTest {

    @Test
    void aMemberPausingBetweenAttemptsToRejoinStopsAtOnce() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        WorkerParts parts = new WorkerParts(Map.of("bootstrap.servers", "127.0.0.1:" + port), new WorkerSettings(true,
                "rotor-orchestrator-stop-test", Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofMillis(300),
                Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofMinutes(5), java.util.Optional.empty()), null,
                null, null, null, null, null, null, null, null, null, Clock.systemUTC());
        OwnerWorker member = new OwnerWorker("lonely", parts);
        member.start();
        // Unreachable broker: the partition lookup times out, the member counts a crash and pauses for a minute.
        await().atMost(Duration.ofSeconds(30)).until(() -> member.crashes() >= 1);

        long started = System.nanoTime();
        member.stop();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(member.running()).isFalse();
        assertThat(took).as("stop while pausing").isLessThan(Duration.ofSeconds(5));
        assertThat(member.crashes()).as("the stop is not a failure").isEqualTo(1);
    }
}
