package io.rotor.openstack.rotation;

import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.policy.EndpointPolicy;
import io.rotor.kit.lookup.SecretLookup;
import io.rotor.kit.participant.Applied;
import io.rotor.kit.participant.Change;
import io.rotor.kit.participant.PlatformAdapter;
import io.rotor.kit.participant.Rotation;
import io.rotor.kit.retry.LoginBudget;
import io.rotor.kit.timer.Timers;
import java.util.Set;

/**
 * OpenStack Keystone for the participant runtime: user passwords ({@code replace}, {@link PasswordRotation}) and
 * application credentials ({@code new-identity}, {@link ApplicationCredentialRotation}). The runtime knows one
 * adapter per platform, so this one hands each operation to the strategy's half.
 */
public final class KeystoneAdapter implements PlatformAdapter {

    private final PasswordRotation passwords;
    private final ApplicationCredentialRotation applicationCredentials;

    /** @param policy the cluster's endpoint policy, which an admin cloud's {@code auth_url} must pass as well */
    public KeystoneAdapter(SecretLookup secrets, LoginBudget budget, Timers timers, KeystoneSettings settings,
            EndpointPolicy policy) {
        KeystoneEndpoints endpoints = new KeystoneEndpoints(secrets, settings.concurrency());
        Logins logins = new Logins(secrets, budget, policy);
        this.passwords = new PasswordRotation(endpoints, logins, timers, settings);
        this.applicationCredentials = new ApplicationCredentialRotation(endpoints, logins, timers);
    }

    @Override
    public Platform platform() {
        return Platform.OPENSTACK_KEYSTONE;
    }

    @Override
    public Set<Strategy> strategies() {
        return Set.of(Strategy.REPLACE, Strategy.NEW_IDENTITY);
    }

    @Override
    public String endpointKey(ManagedCredentialSpec spec) {
        return KeystoneEndpoints.key(spec.endpoint());
    }

    @Override
    public Applied apply(Rotation rotation) {
        return of(rotation).apply(rotation);
    }

    @Override
    public void verify(Rotation rotation) {
        of(rotation).verify(rotation);
    }

    @Override
    public Change revoke(Rotation rotation) {
        return of(rotation).revoke(rotation);
    }

    @Override
    public Change removeNew(Rotation rotation) {
        return of(rotation).removeNew(rotation);
    }

    private StrategyRotation of(Rotation rotation) {
        return switch (rotation.spec().strategy()) {
            case REPLACE -> passwords;
            case NEW_IDENTITY -> applicationCredentials;
            default -> throw new IllegalArgumentException("Keystone credentials rotate with replace or new-identity, "
                    + "not " + rotation.spec().strategy().value());
        };
    }
}
