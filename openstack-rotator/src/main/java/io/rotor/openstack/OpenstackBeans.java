package io.rotor.openstack;

import io.rotor.contracts.policy.EndpointPolicy;
import io.rotor.kit.lookup.SecretLookup;
import io.rotor.kit.participant.CurrentValueReader;
import io.rotor.kit.participant.PlatformAdapter;
import io.rotor.kit.retry.LoginBudget;
import io.rotor.kit.timer.Timers;
import io.rotor.openstack.rotation.KeystoneAdapter;
import io.rotor.openstack.rotation.KeystoneSettings;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The Keystone adapter for the kit's participant runtime, and a current-value reader that knows clouds.yaml. */
public class OpenstackBeans {

    @Produces
    @Singleton
    PlatformAdapter keystoneAdapter(SecretLookup secrets, LoginBudget budget, Timers timers, OpenstackConfig config,
            EndpointPolicy policy) {
        return new KeystoneAdapter(secrets, budget, timers, new KeystoneSettings(config.keystoneConcurrency(),
                config.tokenRevocationWait(), config.verifyAttempts()), policy);
    }

    @Produces
    @Singleton
    CurrentValueReader currentValueReader(SecretLookup secrets) {
        return new LayoutCurrentValueReader(secrets);
    }
}
