package io.rotor.redis.enterprise;

import io.rotor.contracts.sealing.SecretValue;

/**
 * A Basic-auth login to the cluster.
 *
 * @param refusedAs what a 401 means for this login: the current password or the new one refused
 */
record RecLogin(String username, SecretValue password, RecFailure refusedAs) {

    @Override
    public String toString() {
        return "RecLogin[" + username + "]";
    }
}
