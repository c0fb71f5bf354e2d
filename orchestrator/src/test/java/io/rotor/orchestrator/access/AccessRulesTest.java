package io.rotor.orchestrator.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.orchestrator.support.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The access rules without Quarkus or an API server: who is who, what each may do, what is remembered and when. */
class AccessRulesTest {

    private static final Caller ALICE = new Caller("alice", "u-1", List.of("team-a"), Caller.Source.KUBERNETES);
    private static final CredentialRef SHOP_DB = CredentialRef.parse("shop/db");
    private static final CredentialRef PAY_DB = CredentialRef.parse("payments/db");

    /** Grants as (verb, namespace, name-or-null); records every question. */
    private static final class Grants implements AccessReview {
        final Set<String> granted;
        final List<String> asked = new ArrayList<>();

        Grants(String... granted) {
            this.granted = Set.of(granted);
        }

        @Override
        public boolean allows(Caller caller, Verb verb, String namespace, String name) {
            String q = verb.rbacVerb() + " " + namespace + "/" + (name == null ? "*" : name);
            asked.add(q);
            return granted.contains(q);
        }
    }

    @Test
    void aNamespaceWideGrantOrANamedOneLetsTheCallerActAndNothingElseDoes() {
        Access access = new Access(new Grants("get shop/*", "rotate shop/db"));

        assertThat(access.may(ALICE, Verb.GET, SHOP_DB)).isTrue();
        assertThat(access.may(ALICE, Verb.ROTATE, SHOP_DB)).isTrue();
        assertThat(access.may(ALICE, Verb.CONFIRM, SHOP_DB)).isFalse();
        assertThat(access.may(ALICE, Verb.GET, PAY_DB)).isFalse();
        assertThat(access.actions(ALICE, SHOP_DB)).containsExactly("rotate");
        assertThat(access.viewable(ALICE).test("shop/db")).isTrue();
        assertThat(access.viewable(ALICE).test("payments/db")).isFalse();
        assertThat(access.viewable(ALICE).test("not a reference")).isFalse();
        assertThatThrownBy(() -> access.require(ALICE, Verb.CONFIRM, SHOP_DB)).isInstanceOf(NotPermitted.class)
                .hasMessage("alice may not confirm ManagedCredential shop/db (needs the verb confirm on "
                        + "managedcredentials.rotor.io, e.g. ClusterRole rotor-operator bound in namespace shop)");
    }

    @Test
    void theLocalOperatorMayDoEverythingWithoutAskingAnyone() {
        Grants grants = new Grants();
        Access access = new Access(grants);

        assertThat(access.may(Caller.LOCAL_OPERATOR, Verb.CONFIRM, PAY_DB)).isTrue();
        assertThat(access.viewable(Caller.LOCAL_OPERATOR).test("payments/db")).isTrue();
        assertThat(grants.asked).isEmpty();
    }

    @Test
    void tokensAreTriedInTurnAndOneNobodyKnowsIsRefused() throws TokenRefused {
        Callers callers = new Callers(List.of(new LocalTokenReviewer("local-secret"),
                token -> token.equals("k8s") ? Optional.of(ALICE) : Optional.empty()));

        assertThat(callers.authenticate("local-secret")).isEqualTo(Caller.LOCAL_OPERATOR);
        assertThat(callers.authenticate("k8s")).isEqualTo(ALICE);
        assertThatThrownBy(() -> callers.authenticate("local-secre")).isInstanceOf(TokenRefused.class)
                .hasMessage("the bearer token is not valid");
        assertThatThrownBy(() -> callers.authenticate(" ")).isInstanceOf(TokenRefused.class);
        assertThatThrownBy(() -> new Callers(List.of()).authenticate("local-secret"))
                .isInstanceOf(TokenRefused.class);
    }

    @Test
    void theRecordedActorIsTheAuthenticatedNameInTheShapeEventsAccept() {
        assertThat(new Caller("system:serviceaccount:ci:deployer", null, null, Caller.Source.KUBERNETES).actor())
                .isEqualTo("system:serviceaccount:ci:deployer");
        assertThat(new Caller("https://issuer.example#Jane Doe", null, null, Caller.Source.KUBERNETES).actor())
                .isEqualTo("https://issuer.example_Jane_Doe");
        assertThat(new Caller("x".repeat(300), null, null, Caller.Source.KUBERNETES).actor()).hasSize(128);
    }

    @Test
    void answersAreKeptForTheirTimeOnlyAndFailuresAreNeverKept() {
        MutableClock clock = new MutableClock();
        ShortCache<String, Integer> cache = new ShortCache<>(Duration.ofSeconds(10), 3, clock);
        int[] computed = {0};
        ShortCache.Computation<Integer, RuntimeException> compute = () -> ++computed[0];

        assertThat(cache.get("a", compute)).isEqualTo(1);
        assertThat(cache.get("a", compute)).as("kept").isEqualTo(1);
        clock.advance(Duration.ofSeconds(10));
        assertThat(cache.get("a", compute)).as("expired, asked again").isEqualTo(2);

        assertThatThrownBy(() -> cache.get("b", () -> {
            throw new IllegalStateException("API server down");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(cache.get("b", compute)).as("a failure is not remembered").isEqualTo(3);

        cache.get("c", compute);
        cache.get("d", compute);
        assertThat(cache.size()).as("bounded").isLessThanOrEqualTo(3);
    }
}
