package io.rotor.orchestrator.worker;

import io.rotor.contracts.credential.CredentialRef;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Which partition a credential's records live in: the one Kafka's default partitioner picks for its ref as key, the
 * same on {@code rotor.requests}, {@code rotor.events} and {@code rotor.state} as long as they have the same number
 * of partitions (checked at start-up).
 */
public record CredentialPartitions(int count) {

    public CredentialPartitions {
        if (count < 1) {
            throw new IllegalArgumentException("partition count must be positive");
        }
    }

    public int of(CredentialRef ref) {
        byte[] key = ref.asString().getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(key)) % count;
    }
}
