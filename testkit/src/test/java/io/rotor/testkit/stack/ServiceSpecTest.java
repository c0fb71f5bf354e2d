package io.rotor.testkit.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceSpecTest {

    @Test
    void healthIsOnTheManagementPortWhenTheServiceHasOne() {
        ServiceSpec plain = new ServiceSpec("redis-rotator", "redis-rotator", 18081, Map.of());
        assertThat(plain.healthPort()).isEqualTo(18081);
        assertThat(plain.withEnv(Map.of("QUARKUS_MANAGEMENT_PORT", "19080")).healthPort()).isEqualTo(19080);
        assertThat(plain.withEnv(Map.of("QUARKUS_MANAGEMENT_PORT", " ")).healthPort()).isEqualTo(18081);
        assertThatThrownBy(() -> plain.withEnv(Map.of("QUARKUS_MANAGEMENT_PORT", "nine")).healthPort())
                .hasMessageContaining("redis-rotator");
    }
}
