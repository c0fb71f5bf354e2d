package io.rotor.redis.acl;

import io.rotor.contracts.sealing.SecretValue;

/**
 * Who the rotator logs in as on the nodes: the admin ACL user, or the rotated user itself.
 *
 * @param refusedAs what a refused login means (an admin login refused, or the rotated user's password refused)
 */
record AclLogin(String username, SecretValue password, AclFailure refusedAs) {

    @Override
    public String toString() {
        return "AclLogin[" + username + "]";
    }
}
