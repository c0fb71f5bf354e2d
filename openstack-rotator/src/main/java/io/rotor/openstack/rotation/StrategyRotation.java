package io.rotor.openstack.rotation;

import io.rotor.kit.participant.Applied;
import io.rotor.kit.participant.Change;
import io.rotor.kit.participant.Rotation;

/** One strategy's half of {@link KeystoneAdapter}: the kit's adapter operations for one kind of credential. */
interface StrategyRotation {

    Applied apply(Rotation rotation);

    void verify(Rotation rotation);

    Change revoke(Rotation rotation);

    Change removeNew(Rotation rotation);
}
