package io.rotor.kit.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.rotor.kit.participant.KitFailure;
import io.rotor.kit.participant.PlatformException;
import io.rotor.kit.timer.ManualTimers;
import io.rotor.testkit.kubernetes.KubernetesSandbox;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The durable budget against a Kubernetes API (the sandbox's fabric8 mock server in CRUD mode). */
class LeaseBudgetStoreMockTest {

    private static final String NAMESPACE = "rotor";
    private static final String ACCOUNT = "https://rec.example:9443|admin@example.com";

    private static KubernetesSandbox sandbox;
    private final ManualTimers timers = new ManualTimers(Instant.parse("2026-01-01T00:00:00Z"));
    private final BudgetRule rule = BudgetRule.untilSuccessOrQuiet(2, Duration.ofMinutes(15));

    @BeforeAll
    static void start() {
        sandbox = KubernetesSandbox.builder().withoutController().start();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private LoginBudget replica() {
        return new LoginBudget(new LeaseBudgetStore(sandbox.newClient(), NAMESPACE), rule, timers.clock());
    }

    @Test
    void aRestartedRotatorReadsTheCountItsPredecessorWrote() {
        String account = ACCOUNT + "|restart";
        replica().begin(account, "admin");
        // The process dies here: no outcome was ever reported.
        LoginBudget afterRestart = replica();
        afterRestart.begin(account, "admin");

        LoginBudget afterSecondRestart = replica();
        assertThatThrownBy(() -> afterSecondRestart.begin(account, "admin"))
                .isInstanceOfSatisfying(PlatformException.class, e -> {
                    assertThat(e.reason()).isEqualTo(KitFailure.LOGIN_BUDGET_EXHAUSTED);
                    assertThat(e.getMessage()).contains("Lease rotor/rotor-login-budget-");
                });
    }

    @Test
    void twoReplicasShareOneBudgetAndNeitherCountOverwritesTheOther() throws Exception {
        String account = ACCOUNT + "|replicas";
        LoginBudget wide = new LoginBudget(new LeaseBudgetStore(sandbox.newClient(), NAMESPACE),
                BudgetRule.untilQuiet(40, Duration.ofMinutes(15)), timers.clock());
        LoginBudget other = new LoginBudget(new LeaseBudgetStore(sandbox.newClient(), NAMESPACE),
                BudgetRule.untilQuiet(40, Duration.ofMinutes(15)), timers.clock());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                LoginBudget replica = i % 2 == 0 ? wide : other;
                all.add(CompletableFuture.runAsync(() -> {
                    await(go);
                    replica.begin(account, "admin");
                }, pool));
            }
            go.countDown();
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        assertThat(wide.counted(account)).as("every attempt of both replicas counted once").isEqualTo(40);
        assertThat(other.allows(account)).isFalse();
    }

    @Test
    void aWriteBasedOnAStaleReadIsRefusedByTheApiServer() {
        String account = ACCOUNT + "|stale";
        replica().begin(account, "admin");
        Lease stale = sandbox.client().leases().inNamespace(NAMESPACE).withName(LeaseBudgetStore.name(account)).get();
        replica().begin(account, "admin");

        stale.getMetadata().getAnnotations().put("budget.rotor.io/counted", "0");
        assertThatThrownBy(() -> sandbox.client().leases().inNamespace(NAMESPACE).resource(stale).update())
                .as("the compare-and-set the store relies on").hasMessageContaining("409");
    }

    @Test
    void twoReplicasTogetherStopAtTheBudget() {
        String account = ACCOUNT + "|together";
        LoginBudget first = replica();
        LoginBudget second = replica();
        first.begin(account, "admin");
        second.begin(account, "admin");

        assertThat(first.allows(account)).isFalse();
        assertThat(second.allows(account)).isFalse();
    }

    @Test
    void theLeaseHoldsCountsAndTheAccountNeverAPassword() {
        String account = ACCOUNT + "|contents";
        LoginBudget budget = replica();
        budget.begin(account, "admin");
        Lease lease = sandbox.client().leases().inNamespace(NAMESPACE)
                .withName(LeaseBudgetStore.name(account)).get();

        assertThat(lease.getMetadata().getAnnotations()).containsEntry("budget.rotor.io/counted", "1")
                .containsEntry("budget.rotor.io/last-counted", "2026-01-01T00:00:00Z")
                .containsEntry("budget.rotor.io/account", account)
                .containsOnlyKeys("budget.rotor.io/counted", "budget.rotor.io/last-counted", "budget.rotor.io/account");
        assertThat(lease.getMetadata().getName()).matches("rotor-login-budget-[0-9a-f]{32}");
        assertThat(lease.getSpec().getHolderIdentity()).as("nothing is held").isNull();

        budget.begin(account, "admin").succeeded();
        assertThat(budget.counted(account)).isZero();
    }

    @Test
    void deletingTheLeaseResetsTheBudget() {
        String account = ACCOUNT + "|reset";
        LoginBudget budget = new LoginBudget(new LeaseBudgetStore(sandbox.newClient(), NAMESPACE),
                BudgetRule.untilSuccess(1), timers.clock());
        budget.begin(account, "alice");
        assertThat(budget.allows(account)).isFalse();

        sandbox.client().leases().inNamespace(NAMESPACE).withName(LeaseBudgetStore.name(account)).delete();

        assertThat(budget.allows(account)).isTrue();
    }

    @Test
    void aLeaseEditedIntoNonsenseCountsAsSpent() {
        String account = ACCOUNT + "|garbled";
        replica().begin(account, "admin");
        Lease lease = sandbox.client().leases().inNamespace(NAMESPACE)
                .withName(LeaseBudgetStore.name(account)).get();
        lease.getMetadata().getAnnotations().put("budget.rotor.io/counted", "many");
        sandbox.client().leases().inNamespace(NAMESPACE).resource(lease).update();

        assertThat(replica().allows(account)).isFalse();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
