package io.rotor.kit.retry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * A budget store in this process's memory: a test double. A restart forgets it and replicas do not share it, which is
 * what issue 14 found locking accounts; services use {@link LeaseBudgetStore}.
 */
public final class InMemoryBudgetStore implements BudgetStore {

    private final Map<String, AccountState> states = new ConcurrentHashMap<>();

    @Override
    public AccountState read(String account) {
        return states.getOrDefault(account, AccountState.EMPTY);
    }

    @Override
    public AccountState update(String account, UnaryOperator<AccountState> change) {
        return states.compute(account, (k, state) -> change.apply(state == null ? AccountState.EMPTY : state));
    }

    @Override
    public String where(String account) {
        return "the rotator's memory";
    }
}
