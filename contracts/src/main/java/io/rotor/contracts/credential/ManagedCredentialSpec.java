package io.rotor.contracts.credential;

import io.rotor.contracts.validation.Validatable;
import io.rotor.contracts.password.PasswordGenerator;
import io.rotor.contracts.password.UnsatisfiablePolicyException;
import io.rotor.contracts.validation.Validator;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The spec of a ManagedCredential: one credential, the platform it lives on, every Secret (and Vault path) that holds
 * a copy, the workloads that read it, and when and how it rotates. Events carry a snapshot of it so that every
 * participant in one rotation works from the same spec, even if the resource changes meanwhile.
 */
public record ManagedCredentialSpec(
        Platform platform,
        Strategy strategy,
        Endpoint endpoint,
        Identity identity,
        List<SecretTarget> secrets,
        VaultTarget vault,
        Consumers consumers,
        Duration propagationDelay,
        Schedule schedule,
        PasswordPolicy passwordPolicy,
        RedisEnterpriseOptions redisEnterprise,
        KeystoneOptions keystone,
        ConfigUiOptions configUi,
        RedisAclOptions redisAcl) implements Validatable {

    public static final int MAX_SECRETS = 50;
    public static final Duration MAX_PROPAGATION_DELAY = Duration.ofHours(24);
    /**
     * The shortest propagation delay a Redis Enterprise credential may have. Rotor never restarts the cluster's own
     * nodes, so they and the operator pick up a changed Secret by themselves: the operator caches Vault secrets for
     * 120 s, and the kubelet refreshes mounted Secret files ({@code /opt/redislabs/credentials}) only on its sync
     * period (1 minute by default) plus its cache's delay. An old password removed sooner can still be in use, and its
     * failed logins lock the admin out (5 in 15 minutes). The default stays the documented five minutes.
     */
    public static final Duration REDIS_ENTERPRISE_MIN_PROPAGATION_DELAY = Duration.ofMinutes(2);
    private static final Pattern USERNAME_PLACEHOLDER = Pattern.compile("\\{\\{\\s*username\\s*}}");

    /** The spec without Redis ACL options, as it was before they existed. */
    public ManagedCredentialSpec(Platform platform, Strategy strategy, Endpoint endpoint, Identity identity,
            List<SecretTarget> secrets, VaultTarget vault, Consumers consumers, Duration propagationDelay,
            Schedule schedule, PasswordPolicy passwordPolicy, RedisEnterpriseOptions redisEnterprise,
            KeystoneOptions keystone, ConfigUiOptions configUi) {
        this(platform, strategy, endpoint, identity, secrets, vault, consumers, propagationDelay, schedule,
                passwordPolicy, redisEnterprise, keystone, configUi, null);
    }

    public Duration propagationDelayOrDefault() {
        return propagationDelay != null ? propagationDelay : platform.defaultPropagationDelay();
    }

    public PasswordPolicy effectivePasswordPolicy() {
        return (passwordPolicy == null ? PasswordPolicy.defaultsFor(platform) : passwordPolicy.withDefaults(platform));
    }

    public Consumers consumersOrDefault() {
        return consumers == null ? new Consumers(null, null, null, null) : consumers;
    }

    public List<SecretTarget> secretList() {
        return secrets == null ? List.of() : secrets;
    }

    @Override
    public void validate(Validator v) {
        v.required("platform", platform);
        v.required("strategy", strategy);
        if (platform != null && strategy != null && !platform.supports(strategy)) {
            v.fail("strategy", "'" + strategy.value() + "' is not available for platform " + platform.value()
                    + "; use one of " + platform.strategies().stream().map(Strategy::value).sorted().toList());
        }
        v.check("endpoint", endpoint);
        v.check("identity", identity);
        if (v.required("secrets", secrets)) {
            if (secrets.isEmpty()) {
                v.fail("secrets", "must list at least one Secret");
            }
            v.maxSize("secrets", secrets, MAX_SECRETS);
            v.each("secrets", secrets);
            long distinct = secrets.stream().filter(s -> s != null && s.name() != null)
                    .map(SecretTarget::name).distinct().count();
            if (distinct < secrets.stream().filter(s -> s != null && s.name() != null).count()) {
                v.fail("secrets", "names a Secret more than once; give one entry per Secret");
            }
        }
        v.check("vault", vault);
        v.check("consumers", consumers);
        v.notNegative("propagationDelay", propagationDelay);
        if (propagationDelay != null && propagationDelay.compareTo(MAX_PROPAGATION_DELAY) > 0) {
            v.fail("propagationDelay", "must be at most 24 hours");
        }
        v.check("schedule", schedule);
        v.check("passwordPolicy", passwordPolicy);
        v.check("redisEnterprise", redisEnterprise);
        v.check("keystone", keystone);
        v.check("configUi", configUi);
        v.check("redisAcl", redisAcl);
        if (platform != null) {
            validateForPlatform(v);
        }
    }

    private void validateForPlatform(Validator v) {
        switch (platform) {
            case REDIS_ENTERPRISE -> {
                requireUrl(v);
                requireUsername(v);
                if (strategy == Strategy.NEW_IDENTITY
                        && (redisEnterprise == null || redisEnterprise.clusterName() == null)) {
                    v.fail("redisEnterprise.clusterName", "is required for new-identity: the RedisEnterpriseCluster to point at the new admin");
                }
                if (strategy == Strategy.NEW_IDENTITY) {
                    requireUsernameInEverySecret(v);
                }
                if (propagationDelay != null
                        && propagationDelay.compareTo(REDIS_ENTERPRISE_MIN_PROPAGATION_DELAY) < 0) {
                    v.fail("propagationDelay", "must be at least " + REDIS_ENTERPRISE_MIN_PROPAGATION_DELAY
                            + " for redis-enterprise: the cluster's nodes and operator read the Secret by themselves "
                            + "(kubelet refresh, the operator's 120 s Vault cache), and an old password removed "
                            + "sooner can lock the admin out; the default is the documented PT5M");
                }
            }
            case REDIS_ACL -> {
                if (endpoint == null || endpoint.hostList().isEmpty()) {
                    v.fail("endpoint.hosts", "must list every Redis node (host:port): ACLs are per node");
                }
                requireUsername(v);
            }
            case OPENSTACK_KEYSTONE -> {
                requireUrl(v);
                if (identity == null || identity.userId() == null
                        && (identity.username() == null || identity.domain() == null)) {
                    v.fail("identity", "needs userId, or username and domain, to find the Keystone user");
                }
            }
            case CONFIGUI -> {
                if (strategy == Strategy.REPLACE && (configUi == null || configUi.portalUrl() == null
                        || configUi.recipe() == null)) {
                    v.fail("configUi", "needs portalUrl and recipe for strategy replace (the HTTP recipe mode); "
                            + "use strategy manual where the portal has no HTTP way to change the password");
                }
            }
        }
        if (passwordPolicy != null && passwordPolicy.length() != null
                && passwordPolicy.length() > PasswordPolicy.maxBytes(platform)) {
            v.fail("passwordPolicy.length", "must be at most " + PasswordPolicy.maxBytes(platform)
                    + " for " + platform.value() + (platform == Platform.OPENSTACK_KEYSTONE
                            ? ": bcrypt ignores everything after 72 bytes" : ""));
        }
        if (passwordPolicy != null && passwordPolicy.hasShapeRules()
                && v.violations().stream().noneMatch(x -> x.field().startsWith("passwordPolicy"))) {
            // Refused here, not at the first rotation: a rule generation cannot meet (or meets too rarely to be sure).
            try {
                PasswordGenerator.requireSatisfiable(passwordPolicy, platform);
            } catch (UnsatisfiablePolicyException e) {
                v.fail("passwordPolicy", e.getMessage());
            }
        }
    }

    /**
     * new-identity changes the admin's username as well as its password: every Secret must take both, or it would pair
     * the new password with the old username.
     */
    private void requireUsernameInEverySecret(Validator v) {
        for (int i = 0; i < secretList().size(); i++) {
            SecretTarget secret = secretList().get(i);
            if (secret == null || secret.format() == null) {
                continue;
            }
            if (secret.format() == SecretFormat.KEYS && secret.keys() != null && !secret.keys().isEmpty()
                    && !secret.keys().containsKey(CredentialField.USERNAME.key())) {
                v.element("secrets", i).fail("keys", "must map username for new-identity: the new admin's username "
                        + "is written with its password, and a Secret that kept the old username would not match the "
                        + "new password");
            }
            if (secret.format() == SecretFormat.TEMPLATE && secret.template() != null
                    && !USERNAME_PLACEHOLDER.matcher(secret.template()).find()) {
                v.element("secrets", i).fail("template", "must use {{username}} for new-identity: the new admin's "
                        + "username is written with its password");
            }
        }
    }

    private void requireUrl(Validator v) {
        if (endpoint == null || endpoint.url() == null) {
            v.fail("endpoint.url", "is required for platform " + platform.value());
        }
    }

    private void requireUsername(Validator v) {
        if (identity == null || identity.username() == null) {
            v.fail("identity.username", "is required for platform " + platform.value());
        }
    }
}
