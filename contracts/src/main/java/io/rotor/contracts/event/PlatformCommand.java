package io.rotor.contracts.event;

/** What the orchestrator sends a platform's rotator on {@code rotor.commands.<rotator>}. */
public sealed interface PlatformCommand extends RotorEvent permits RotateCredential {
}
