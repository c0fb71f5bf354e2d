package io.rotor.kit.retry;

import java.util.function.UnaryOperator;

/**
 * Where the login budget lives. Production keeps it in the Kubernetes API ({@link LeaseBudgetStore}), so that it
 * survives restarts and every replica sees the same count; {@link InMemoryBudgetStore} is the test double.
 */
public interface BudgetStore {

    AccountState read(String account);

    /**
     * Applies {@code change} atomically: with concurrent writers (replicas) the change is applied again to what the
     * other wrote, never over it. An exception thrown by {@code change} leaves the state as it was and is rethrown.
     *
     * @return the state written
     */
    AccountState update(String account, UnaryOperator<AccountState> change);

    /** Where an operator finds (and may delete, to reset) the account's budget, for messages. */
    String where(String account);
}
