package io.rotor.orchestrator.plan;

import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Strategy;
import java.util.ArrayList;
import java.util.List;

/** The platform calls a rotation makes, in order, as a person would want to read them in a plan. Never values. */
final class PlatformCalls {

    private PlatformCalls() {
    }

    static List<String> of(ManagedCredentialSpec spec) {
        String user = spec.identity() == null ? null : spec.identity().username();
        String url = spec.endpoint() == null ? null : spec.endpoint().url();
        String delay = spec.propagationDelayOrDefault().toString();
        List<String> calls = new ArrayList<>();
        switch (spec.platform()) {
            case REDIS_ENTERPRISE -> {
                if (spec.strategy() == Strategy.NEW_IDENTITY) {
                    calls.add("POST " + url + "/v1/users (create a new admin user with role "
                            + (spec.redisEnterprise() == null ? "admin" : spec.redisEnterprise().roleOrDefault()) + ")");
                    calls.add("verify: authenticate as the new user");
                    calls.add("PATCH RedisEnterpriseCluster " + (spec.redisEnterprise() == null ? "?"
                            : spec.redisEnterprise().clusterName()) + " spec.username (point the operator at it)");
                    calls.add("after the Secrets are written, the consumers restarted and " + delay + " passed: "
                            + "DELETE " + url + "/v1/users/{uid} (the old admin " + user + ")");
                } else {
                    calls.add("POST " + url + "/v1/users/password (add a second password for " + user + ")");
                    calls.add("verify: authenticate as " + user + " with the new password");
                    calls.add("after the Secrets are written, the consumers restarted and " + delay + " passed: "
                            + "DELETE " + url + "/v1/users/password (remove the old password)");
                }
            }
            case REDIS_ACL -> {
                for (String host : spec.endpoint().hostList()) {
                    calls.add("ACL SETUSER " + user + " >(new password) on " + host + ", then ACL SAVE if an "
                            + "aclfile is used");
                }
                calls.add("verify: AUTH " + user + " with the new password on every node");
                calls.add("after the Secrets are written, the consumers restarted and " + delay + " passed: "
                        + "ACL SETUSER " + user + " <(old password) on every node");
            }
            case OPENSTACK_KEYSTONE -> {
                String who = spec.identity().userId() != null ? spec.identity().userId()
                        : spec.identity().username() + "@" + spec.identity().domain();
                if (spec.strategy() == Strategy.NEW_IDENTITY) {
                    calls.add("POST " + url + "/v3/users/" + who + "/application_credentials (a new application "
                            + "credential)");
                    calls.add("verify: issue a token with the new application credential");
                    calls.add("after the Secrets are written, the consumers restarted and " + delay + " passed: "
                            + "DELETE " + url + "/v3/users/" + who + "/application_credentials/{old id}");
                } else if (spec.keystone() != null && spec.keystone().adminMode()) {
                    calls.add("PATCH " + url + "/v3/users/" + who + " (admin reset; revokes the user's tokens)");
                    calls.add("verify: issue a token with the new password");
                } else {
                    calls.add("POST " + url + "/v3/users/" + who + "/password (with the original password; revokes "
                            + "the user's tokens: consumers fail until they restart)");
                    calls.add("verify: issue a token with the new password");
                }
            }
            case CONFIGUI -> {
                if (spec.strategy() == Strategy.MANUAL) {
                    calls.add("none by Rotor: an operator changes the admin password in the Developer Portal's Admin "
                            + "view and confirms it to Rotor");
                    calls.add("verify: sign in to the Config UI with the confirmed password, where possible");
                } else {
                    calls.add("HTTP recipe against " + url + ": sign in, change the admin password");
                    calls.add("verify: sign in with the new password");
                }
            }
        }
        return calls;
    }
}
