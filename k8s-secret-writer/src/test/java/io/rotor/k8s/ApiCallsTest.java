package io.rotor.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.rotor.kit.retry.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ApiCallsTest {

    private final List<Duration> pauses = new ArrayList<>();
    private final ApiCalls api = new ApiCalls(new Backoff(Duration.ofMillis(100), 2.0, Duration.ofMillis(300), 4, 0),
            pauses::add);

    @Test
    void anUnavailableApiServerIsRetriedWithGrowingCappedPauses() {
        AtomicInteger calls = new AtomicInteger();

        String result = api.call("reading", () -> {
            if (calls.incrementAndGet() < 4) {
                throw failure(503, "ServiceUnavailable");
            }
            return "ok";
        });

        assertThat(result).isEqualTo("ok");
        assertThat(pauses).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300));
    }

    @Test
    void theRetryBudgetIsBounded() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> api.call("reading", () -> {
            calls.incrementAndGet();
            throw failure(500, "InternalError");
        })).isInstanceOf(KubernetesClientException.class);
        assertThat(calls).hasValue(4);
    }

    @Test
    void whatNoRetryFixesIsThrownAtOnce() {
        for (int code : new int[] {403, 404, 409, 422}) {
            AtomicInteger calls = new AtomicInteger();
            assertThatThrownBy(() -> api.call("writing", () -> {
                calls.incrementAndGet();
                throw failure(code, "x");
            })).isInstanceOf(KubernetesClientException.class);
            assertThat(calls).as("HTTP %d", code).hasValue(1);
        }
        assertThat(pauses).isEmpty();
    }

    @Test
    void anInterruptedPauseMeansTheServiceIsStoppingNotThatTheCallFailed() {
        ApiCalls interrupted = new ApiCalls(new Backoff(Duration.ofMillis(1), 2.0, Duration.ofMillis(1), 3, 0), d -> {
            throw new InterruptedException();
        });

        assertThatThrownBy(() -> interrupted.call("reading Secret a/b", () -> {
            throw failure(503, "ServiceUnavailable");
        })).isInstanceOf(ServiceStopping.class).hasMessageContaining("reading Secret a/b");
        assertThat(Thread.interrupted()).isTrue();
    }

    @Test
    void conflictsAndCreatesThatFindAnObjectAreToldApart() {
        assertThat(ApiError.of(failure(409, "Conflict"))).isEqualTo(ApiError.CONFLICT);
        assertThat(ApiError.of(failure(409, "AlreadyExists"))).isEqualTo(ApiError.ALREADY_EXISTS);
        assertThat(ApiError.of(failure(429, "TooManyRequests"))).isEqualTo(ApiError.UNAVAILABLE);
        assertThat(ApiError.of(new KubernetesClientException("connection refused"))).isEqualTo(ApiError.UNAVAILABLE);
    }

    private static KubernetesClientException failure(int code, String reason) {
        return new KubernetesClientException(new StatusBuilder().withCode(code).withReason(reason)
                .withMessage("the server says " + reason).build());
    }
}
