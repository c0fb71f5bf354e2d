package io.rotor.orchestrator.intake;

import io.rotor.contracts.event.RotationPlan;
import io.rotor.orchestrator.registry.RegisteredCredential;

/** Says what a rotation of a credential would do, changing nothing. */
@FunctionalInterface
public interface DryRunPlanner {

    RotationPlan plan(RegisteredCredential credential);
}
