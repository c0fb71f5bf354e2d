package io.rotor.contracts.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotor.contracts.credential.Endpoint;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.SecretKeyRef;
import io.rotor.contracts.credential.VaultTarget;
import io.rotor.contracts.fixtures.Samples;
import io.rotor.contracts.validation.Violation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointPolicyTest {

    private static final String YAML = """
            namespaces:
              "*":
                redis-acl: {hosts: ["127.0.0.1"]}
              redis:
                redis-enterprise: {hosts: ["*.redis.svc:9443"]}
                vault: {hosts: ["vault.vault.svc"]}
              team-b:
                openstack-keystone: {hosts: ["127.0.0.1"], allowHttp: true}
            """;

    private final EndpointPolicy policy = EndpointPolicy.parse(YAML.getBytes(StandardCharsets.UTF_8), "test.yaml");

    @Test
    void anEndpointTheNamespaceMayUsePasses() {
        assertThat(policy.check("redis", Samples.redisEnterprise())).isEmpty();
        // "*" rules apply in every namespace.
        assertThat(policy.check("anywhere", Samples.redisAcl())).isEmpty();
        assertThat(policy.check("team-b", Samples.keystone())).isEmpty();
    }

    @Test
    void aHostTheNamespaceMayNotUseIsRefusedWithWhereAndWhy() {
        ManagedCredentialSpec elsewhere = withEndpoint(Samples.redisEnterprise(), "https://attacker.example:9443");

        List<Violation> problems = policy.check("redis", elsewhere);

        assertThat(problems).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("spec.endpoint.url");
            assertThat(v.reason()).contains("attacker.example:9443").contains("redis-enterprise")
                    .contains("namespace redis").contains("test.yaml");
        });
        // The same endpoint from another namespace: the redis namespace's rules are not theirs.
        assertThat(policy.check("team-b", Samples.redisEnterprise())).hasSize(1);
        // A port the rule does not name.
        assertThat(policy.check("redis", withEndpoint(Samples.redisEnterprise(), "https://rec.redis.svc:8443")))
                .hasSize(1);
        // A suffix rule is not a substring rule.
        assertThat(policy.check("redis", withEndpoint(Samples.redisEnterprise(), "https://rec.redis.svc.evil:9443")))
                .hasSize(1);
        assertThat(policy.check("redis", withEndpoint(Samples.redisEnterprise(), "https://evilredis.svc:9443")))
                .hasSize(1);
    }

    @Test
    void plainHttpIsRefusedUnlessTheRuleAllowsIt() {
        assertThat(policy.check("anywhere", withEndpoint(Samples.keystone(), "http://127.0.0.1:5000/v3")))
                .singleElement().satisfies(v -> assertThat(v.reason()).contains("not allowed for openstack-keystone"));
        ManagedCredentialSpec rec = withEndpoint(Samples.redisEnterprise(), "http://rec.redis.svc:9443");
        assertThat(policy.check("redis", rec)).singleElement()
                .satisfies(v -> assertThat(v.reason()).contains("plain http").contains("use https"));
    }

    @Test
    void redisNodesAndVaultAddressesAreCheckedToo() {
        ManagedCredentialSpec acl = Samples.redisAcl();
        ManagedCredentialSpec strayNode = new ManagedCredentialSpec(acl.platform(), acl.strategy(),
                new Endpoint(null, List.of("127.0.0.1:6379", "10.0.0.9:6379"), null, null, null), acl.identity(),
                acl.secrets(), new VaultTarget("https://vault.elsewhere:8200", "secret/data/x", new SecretKeyRef("t", "token"),
                        null), null, null, null, null, null, null, null, null);

        assertThat(policy.check("redis", strayNode)).extracting(Violation::field)
                .containsExactlyInAnyOrder("spec.endpoint.hosts", "spec.vault.address");
    }

    @Test
    void withoutAPolicyNothingIsAllowed() {
        assertThat(EndpointPolicy.none().check("redis", Samples.redisEnterprise())).singleElement()
                .satisfies(v -> assertThat(v.reason()).contains("no endpoint policy is configured"));
    }

    @Test
    void aPolicyThatDoesNotReadIsRefusedAtOnce() {
        assertThatThrownBy(() -> EndpointPolicy.parse("namespaces:\n  a:\n    vault: {hosts: ['http://x']}\n"
                .getBytes(StandardCharsets.UTF_8), "bad.yaml")).hasMessageContaining("is not a host pattern");
        assertThatThrownBy(() -> EndpointPolicy.parse("namespace: {}\n".getBytes(StandardCharsets.UTF_8), "bad.yaml"))
                .hasMessageContaining("does not read");
    }

    private static ManagedCredentialSpec withEndpoint(ManagedCredentialSpec s, String url) {
        return new ManagedCredentialSpec(s.platform(), s.strategy(), new Endpoint(url, null, s.endpoint().caSecretRef(),
                null, null), s.identity(), s.secrets(), s.vault(), s.consumers(), s.propagationDelay(), s.schedule(),
                s.passwordPolicy(), s.redisEnterprise(), s.keystone(), s.configUi(), s.redisAcl());
    }
}
