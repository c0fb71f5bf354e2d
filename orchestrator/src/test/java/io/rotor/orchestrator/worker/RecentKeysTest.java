package io.rotor.orchestrator.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentKeysTest {

    @Test
    void pastItsCapacityItForgetsTheOldestKeyOnly() {
        RecentKeys keys = new RecentKeys(3);
        keys.add("a");
        keys.add("b");
        keys.add("c");

        keys.add("d");

        assertThat(keys.contains("a")).isFalse();
        assertThat(keys.contains("b")).isTrue();
        assertThat(keys.contains("c")).isTrue();
        assertThat(keys.contains("d")).isTrue();
        assertThat(keys.size()).isEqualTo(3);
    }

    @Test
    void addingAKeyAgainDoesNotMakeItYounger() {
        RecentKeys keys = new RecentKeys(2);
        keys.add("a");
        keys.add("b");
        keys.add("a");

        keys.add("c");

        assertThat(keys.contains("a")).as("insertion order: a is still the oldest").isFalse();
        assertThat(keys.contains("b")).isTrue();
    }
}
