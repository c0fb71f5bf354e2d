package io.rotor.kit.participant;

import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.sealing.CredentialMaterial;

/**
 * Reads the credential's current value, which an adapter authenticates with and which becomes the previous value of
 * the rotation. It lives in the first Secret the spec lists.
 */
public interface CurrentValueReader {

    /** @throws PlatformException when the Secret is missing, unreadable or in a format this reader does not know */
    CredentialMaterial read(CredentialRef credential, ManagedCredentialSpec spec);
}
