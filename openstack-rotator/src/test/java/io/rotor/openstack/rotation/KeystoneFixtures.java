package io.rotor.openstack.rotation;

import io.rotor.contracts.credential.ApplicationCredentialOptions;
import io.rotor.contracts.credential.CredentialRef;
import io.rotor.contracts.credential.Endpoint;
import io.rotor.contracts.credential.Identity;
import io.rotor.contracts.credential.KeystoneOptions;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.Platform;
import io.rotor.contracts.credential.SecretFormat;
import io.rotor.contracts.credential.SecretKeyRef;
import io.rotor.contracts.credential.SecretTarget;
import io.rotor.contracts.credential.Strategy;
import io.rotor.contracts.validation.Validator;
import io.rotor.testkit.keystone.Keystone;
import java.time.Duration;
import java.util.List;

/** Specs and Secret contents for Keystone adapter tests. */
final class KeystoneFixtures {

    static final String NAMESPACE = "apps";
    static final String CLOUD = "prod";
    static final String ADMIN_SECRET = "keystone-admin";

    private KeystoneFixtures() {
    }

    static ManagedCredentialSpec spec(Keystone keystone, Strategy strategy, Identity identity, String secretName,
            KeystoneOptions options) {
        ManagedCredentialSpec spec = new ManagedCredentialSpec(Platform.OPENSTACK_KEYSTONE, strategy,
                new Endpoint(keystone.url().toString(), null, null, null, Duration.ofSeconds(30)), identity,
                List.of(new SecretTarget(secretName, SecretFormat.CLOUDS_YAML, null, "clouds.yaml", CLOUD, null, null)),
                null, null, Duration.ZERO, null, null, null, options, null);
        Validator.requireValid(spec);
        return spec;
    }

    static KeystoneOptions adminMode() {
        return new KeystoneOptions(new SecretKeyRef(ADMIN_SECRET, "clouds.yaml"), "admin", null);
    }

    static KeystoneOptions applicationCredentials(boolean unrestricted, Duration expiresAfter, List<String> roles) {
        return new KeystoneOptions(null, null,
                new ApplicationCredentialOptions("rotor", roles, expiresAfter, unrestricted));
    }

    static KeystoneOptions applicationCredentialsManagedByOwner(Duration expiresAfter) {
        return new KeystoneOptions(new SecretKeyRef(ADMIN_SECRET, "clouds.yaml"), "owner",
                new ApplicationCredentialOptions("rotor", null, expiresAfter, false));
    }

    /** A clouds.yaml with a password login, plus an unrelated cloud that must survive untouched. */
    static String passwordClouds(Keystone keystone, String cloud, String username, String password,
            String project) {
        return "clouds:\n"
                + "  " + cloud + ":\n"
                + "    auth:\n"
                + "      auth_url: " + keystone.url() + "\n"
                + "      username: " + username + "\n"
                + "      password: \"" + password + "\"\n"
                + "      user_domain_name: Default\n"
                + (project == null ? "" : "      project_name: " + project + "\n"
                        + "      project_domain_id: default\n")
                + "    region_name: RegionOne\n"
                + "  other:\n"
                + "    auth:\n"
                + "      auth_url: https://elsewhere.example/v3\n"
                + "      username: someone-else\n"
                + "      password: \"not-ours\"\n";
    }

    static String applicationCredentialClouds(Keystone keystone, String id, String secret) {
        return "clouds:\n"
                + "  " + CLOUD + ":\n"
                + "    auth_type: v3applicationcredential\n"
                + "    auth:\n"
                + "      auth_url: " + keystone.url() + "\n"
                + "      application_credential_id: " + id + "\n"
                + "      application_credential_secret: \"" + secret + "\"\n"
                + "    region_name: RegionOne\n";
    }

    static CredentialRef ref(String name) {
        return CredentialRef.parse(NAMESPACE + "/" + name);
    }
}
