package io.rotor.kit.participant;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.rotor.contracts.policy.EndpointPolicy;
import io.rotor.contracts.sealing.SealingKeys;
import io.rotor.kit.messaging.EventPublisher;
import io.rotor.kit.messaging.InboundProcessor;
import io.rotor.kit.retry.BudgetRule;
import io.rotor.kit.retry.LeaseBudgetStore;
import io.rotor.kit.retry.LoginBudget;
import io.rotor.kit.rotation.RotationAuthority;
import io.rotor.kit.timer.Timers;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Builds the runtime from the service's adapters and configuration. */
public class ParticipantProducer {

    @Produces
    @Singleton
    ParticipantRuntime runtime(Instance<PlatformAdapter> adapters, CurrentValueReader reader, SealingKeys keys,
            EventPublisher publisher, InboundProcessor inbound, Timers timers, ParticipantConfig config,
            MeterRegistry registry, RotationAuthority authority, EndpointPolicy policy) {
        return new ParticipantRuntime(adapters.stream().toList(), reader, keys, publisher, inbound, timers,
                ParticipantSettings.of(config), new ParticipantMetrics(registry), authority, policy);
    }

    void close(@Disposes ParticipantRuntime runtime) {
        runtime.close();
    }

    /**
     * One budget for the service, durable and shared by its replicas: every adapter counts a login with a password it
     * is not sure of before sending it.
     */
    @Produces
    @Singleton
    LoginBudget loginBudget(ParticipantConfig config, Timers timers, KubernetesClient kubernetes) {
        ParticipantConfig.LoginBudget settings = config.loginBudget();
        return new LoginBudget(new LeaseBudgetStore(kubernetes, settings.namespace()),
                new BudgetRule(settings.maxFailures(), settings.resetOnSuccess(), settings.resetAfterQuiet()), timers.clock());
    }
}
