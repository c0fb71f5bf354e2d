package io.rotor.orchestrator.worker;

import io.rotor.orchestrator.saga.SagaRecord;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Where saga state is persisted and restored from ({@link SagaStateStore}: {@code rotor.state}); tests hold it in memory. */
interface SagaStates extends AutoCloseable {

    /** Returns once the state is acknowledged; throws when it is not, and then nothing may depend on it. */
    void write(SagaRecord record) throws InterruptedException, ExecutionException, TimeoutException;

    /** Every saga state persisted for one partition, and the latest records it could not read. */
    RestoredPartition restore(int partition);

    @Override
    void close();
}
