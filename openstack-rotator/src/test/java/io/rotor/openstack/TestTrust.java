package io.rotor.openstack;

import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.policy.EndpointPolicy;
import io.rotor.contracts.sealing.Keyring;
import io.rotor.contracts.sealing.Sealer;
import io.rotor.contracts.sealing.SealingKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** The keys and the endpoint policy tests run the rotator with, as the service's %test profile configures them. */
public final class TestTrust {

    /** The openstack audience's keyring in the compact form (the %test profile's rotor.sealing.keys.openstack). */
    public static final String KEYRING = "test=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    public static final SealingKeys KEYS = SealingKeys.of(Map.of(SealingKeys.audienceOf(Platform.OPENSTACK_KEYSTONE),
            Keyring.parse(KEYRING)));
    public static final Sealer SEALER = KEYS.sealerFor(Platform.OPENSTACK_KEYSTONE);

    private TestTrust() {
    }

    /** src/test/resources/endpoint-policy.yaml: every host, http allowed. */
    public static EndpointPolicy allowEverything() {
        try (InputStream in = TestTrust.class.getResourceAsStream("/endpoint-policy.yaml")) {
            return EndpointPolicy.parse(in.readAllBytes(), "endpoint-policy.yaml");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
