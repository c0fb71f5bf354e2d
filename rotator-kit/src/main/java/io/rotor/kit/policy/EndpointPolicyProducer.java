package io.rotor.kit.policy;

import io.rotor.contracts.policy.EndpointPolicy;
import io.rotor.kit.KitConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jboss.logging.Logger;

/** The endpoint policy, read once; a policy file that is configured but unreadable stops the service at start-up. */
public class EndpointPolicyProducer {

    private static final Logger LOG = Logger.getLogger(EndpointPolicyProducer.class);

    @Produces
    @Singleton
    EndpointPolicy policy(KitConfig config) {
        return load(config.policy().file());
    }

    public static EndpointPolicy load(Optional<Path> file) {
        if (file.isEmpty()) {
            LOG.warn("no endpoint policy configured (rotor.policy.file): no ManagedCredential may name an endpoint");
            return EndpointPolicy.none();
        }
        try {
            EndpointPolicy policy = EndpointPolicy.parse(Files.readAllBytes(file.get()), file.get().toString());
            LOG.infof("endpoint policy read from %s", file.get());
            return policy;
        } catch (IOException e) {
            throw new UncheckedIOException("the endpoint policy " + file.get() + " cannot be read", e);
        }
    }
}
