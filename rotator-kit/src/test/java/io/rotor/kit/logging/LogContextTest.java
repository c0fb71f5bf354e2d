package io.rotor.kit.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.rotor.contracts.credential.CredentialRef;
import java.util.Map;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogContextTest {

    private static final CredentialRef APP = CredentialRef.parse("shop/app-db");
    private static final CredentialRef OTHER = CredentialRef.parse("shop/other-db");

    @AfterEach
    void clear() {
        MDC.clear();
    }

    @Test
    void theCredentialAndRotationAreSetWhileOpenAndRemovedAfter() {
        try (var ctx = LogContext.of(APP, "rot-1")) {
            assertThat(MDC.get(LogContext.CREDENTIAL)).isEqualTo("shop/app-db");
            assertThat(MDC.get(LogContext.ROTATION_ID)).isEqualTo("rot-1");
        }

        assertThat(MDC.get(LogContext.CREDENTIAL)).isNull();
        assertThat(MDC.get(LogContext.ROTATION_ID)).isNull();
    }

    @Test
    void closingRestoresTheOuterContextInsteadOfRemovingIt() {
        try (var outer = LogContext.of(APP, "rot-1")) {
            try (var inner = LogContext.of(OTHER, "rot-2")) {
                assertThat(MDC.get(LogContext.CREDENTIAL)).isEqualTo("shop/other-db");
            }

            assertThat(MDC.get(LogContext.CREDENTIAL)).isEqualTo("shop/app-db");
            assertThat(MDC.get(LogContext.ROTATION_ID)).isEqualTo("rot-1");
        }
    }

    @Test
    void workOutsideARotationHidesTheOuterRotationWhileOpen() {
        try (var outer = LogContext.of(APP, "rot-1")) {
            try (var inner = LogContext.of(OTHER, null)) {
                assertThat(MDC.get(LogContext.ROTATION_ID)).isNull();
            }

            assertThat(MDC.get(LogContext.ROTATION_ID)).isEqualTo("rot-1");
        }
    }

    @Test
    void anyKeysCanBeSetAndClosingTwiceChangesNothingMore() {
        MDC.put("workload", "outer");
        LogContext ctx = LogContext.of(Map.of("workload", "deployment/app", "rotationIds", "rot-1,rot-2"));
        assertThat(MDC.get("workload")).isEqualTo("deployment/app");
        ctx.close();
        MDC.put("workload", "changed later");

        ctx.close();

        assertThat(MDC.get("workload")).isEqualTo("changed later");
        assertThat(MDC.get("rotationIds")).isNull();
    }
}
