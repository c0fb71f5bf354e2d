package io.rotor.secret;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.rotor.contracts.event.RollbackRequested;
import io.rotor.contracts.event.RotorEvent;
import io.rotor.contracts.event.StepCompleted;
import io.rotor.testing.Rotations;
import io.rotor.testing.StartedRotations;
import java.time.Clock;

/**
 * The writer's Secret and Vault work, given the spec the API server holds (here: the record's). Tests of what the
 * writer refuses before that go through {@link SecretWriter#handle} instead.
 */
final class TestWriter {

    final SecretWriter writer;

    private TestWriter(SecretWriter writer) {
        this.writer = writer;
    }

    static TestWriter of(KubernetesClient client, WriterConfig config, Clock clock) {
        return new TestWriter(new SecretWriter(Rotations.KEYS, client, config, clock, d -> { },
                new StartedRotations(client), Rotations.ALLOW_ALL));
    }

    RotorEvent write(StepCompleted event) {
        return writer.write(event, event.spec());
    }

    RotorEvent restore(RollbackRequested event) {
        return writer.restore(event, event.spec());
    }
}
