package io.rotor.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SingleNodeBrokerSettingsTest {

    @Test
    void givesTheContainerTheSameSettingsInTheApacheKafkaImageEnvironmentForm() {
        assertThat(SingleNodeBrokerSettings.asContainerEnvironment())
                .hasSameSizeAs(SingleNodeBrokerSettings.asBrokerProperties())
                .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .containsEntry("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
    }

    @Test
    void setsEveryInternalTopicToOneReplicaSoConsumersDoNotWaitForever() {
        assertThat(SingleNodeBrokerSettings.asBrokerProperties())
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1")
                .containsEntry("share.coordinator.state.topic.replication.factor", "1")
                .containsEntry("group.initial.rebalance.delay.ms", "0");
    }
}
