package io.rotor.contracts.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.rotor.contracts.envelope.EventJson;
import io.rotor.contracts.fixtures.Samples;
import io.rotor.contracts.validation.Validatable;
import io.rotor.contracts.validation.Validator;
import io.rotor.contracts.validation.Violation;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ManagedCredentialSpecTest {

    private final ObjectMapper json = EventJson.newMapper();

    @ParameterizedTest
    @ValueSource(strings = {"redis-enterprise", "keystone", "configui", "redis-acl"})
    void theExampleResourcesReadStrictlyAndValidate(String example) throws Exception {
        ManagedCredentialSpec spec = readExample(example);

        assertThat(violations(spec)).isEmpty();
    }

    @Test
    void theSamplesAreValid() {
        for (ManagedCredentialSpec spec : List.of(Samples.redisEnterprise(), Samples.redisAcl(), Samples.keystone(),
                Samples.configUi())) {
            assertThat(violations(spec)).as(spec.platform().value()).isEmpty();
        }
    }

    @Test
    void aStrategyThePlatformCannotDoIsRefusedWithTheAlternatives() {
        ManagedCredentialSpec s = Samples.keystone();
        ManagedCredentialSpec spec = new ManagedCredentialSpec(s.platform(), Strategy.DUAL_PASSWORD, s.endpoint(),
                s.identity(), s.secrets(), null, null, null, null, null, null, null, null);

        assertThat(violations(spec)).containsExactly(new Violation("strategy",
                "'dual-password' is not available for platform openstack-keystone; use one of [new-identity, replace]"));
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsPath() {
        ManagedCredentialSpec spec = new ManagedCredentialSpec(Platform.REDIS_ACL, Strategy.DUAL_PASSWORD,
                new Endpoint(null, List.of("no-port"), null, null, Duration.ofSeconds(-1)),
                new Identity(null, null, null),
                List.of(new SecretTarget("Bad_Name", SecretFormat.KEYS, Map.of("pass", "p w"), null, null, null, null)),
                null, null, Duration.ofSeconds(-5), null, null, null, null, null);

        assertThat(violations(spec)).extracting(Violation::field).contains(
                "endpoint.hosts[0]", "endpoint.timeout", "secrets[0].name", "secrets[0].keys.pass",
                "propagationDelay", "identity.username");
    }

    @Test
    void keystonePasswordsLongerThanBcryptReadsAreRefused() {
        ManagedCredentialSpec s = Samples.keystone();
        ManagedCredentialSpec spec = new ManagedCredentialSpec(s.platform(), s.strategy(), s.endpoint(), s.identity(),
                s.secrets(), null, null, null, null, new PasswordPolicy(80, null, null, null, null, null, null, null),
                null, null, null);

        assertThat(violations(spec)).containsExactly(new Violation("passwordPolicy.length",
                "must be at most 72 for openstack-keystone: bcrypt ignores everything after 72 bytes"));
    }

    @Test
    void aPasswordPatternThatCannotBeMetOrIsInvalidIsRefusedAtValidation() {
        ManagedCredentialSpec s = Samples.keystone();
        PasswordPolicy unmet = new PasswordPolicy(20, null, null, null, null, "!@#$%^&*", null, null, "letter",
                "^[0-9]");
        PasswordPolicy invalid = new PasswordPolicy(20, null, null, null, null, null, null, null, "first", "^[a-z");
        PasswordPolicy met = new PasswordPolicy(20, 1, 1, 1, 1, "!@#$%^&*", null, null, "letter",
                "^(?=.*\\d)(?=.*[!@#$%^&*])[A-Za-z][A-Za-z0-9!@#$%^&*]{7,}$");

        assertThat(violations(keystoneWith(s, unmet))).singleElement().satisfies(violation -> {
            assertThat(violation.field()).isEqualTo("passwordPolicy");
            assertThat(violation.reason()).startsWith("the pattern ^[0-9] is met by none of 1000 sample passwords");
        });
        assertThat(violations(keystoneWith(s, invalid))).extracting(Violation::field)
                .containsExactly("passwordPolicy.firstCharacter", "passwordPolicy.pattern");
        assertThat(violations(keystoneWith(s, invalid)).get(1).reason())
                .startsWith("is not a valid regular expression: Unclosed character class");
        assertThat(violations(keystoneWith(s, met))).isEmpty();
    }

    @Test
    void thePasswordShapeFieldsReadFromJson() throws Exception {
        PasswordPolicy policy = json.readValue("""
                {"length": 20, "specialCharacters": "!@#$%^&*", "firstCharacter": "letter", "pattern": "^[A-Za-z]"}""",
                PasswordPolicy.class);

        assertThat(policy).isEqualTo(new PasswordPolicy(20, null, null, null, null, "!@#$%^&*", null, null, "letter",
                "^[A-Za-z]"));
    }

    private static ManagedCredentialSpec keystoneWith(ManagedCredentialSpec s, PasswordPolicy policy) {
        return new ManagedCredentialSpec(s.platform(), s.strategy(), s.endpoint(), s.identity(), s.secrets(), null,
                null, null, null, policy, null, null, null);
    }

    @Test
    void aRedisEnterpriseNewIdentityNeedsTheUsernameInEverySecret() {
        List<SecretTarget> secrets = List.of(
                new SecretTarget("rec", SecretFormat.KEYS, Map.of("password", "password"), null, null, null, null),
                new SecretTarget("rec-url", SecretFormat.TEMPLATE, null, "URL", null, "https://admin:{{password}}@rec",
                        null),
                new SecretTarget("rec-copy", SecretFormat.KEYS, Map.of("username", "user", "password", "pass"), null,
                        null, null, null),
                new SecretTarget("rec-netrc", SecretFormat.TEMPLATE, null, null, null,
                        "login {{ username }} password {{password}}", null));

        assertThat(violations(recSpec(Strategy.NEW_IDENTITY, secrets, null))).extracting(Violation::field)
                .containsExactly("secrets[0].keys", "secrets[1].template");
        assertThat(violations(recSpec(Strategy.NEW_IDENTITY, secrets, null)).get(0).reason())
                .startsWith("must map username for new-identity");
        assertThat(violations(recSpec(Strategy.DUAL_PASSWORD, secrets, null))).isEmpty();
    }

    @Test
    void aRedisEnterprisePropagationDelayBelowTwoMinutesIsRefused() {
        List<SecretTarget> secrets = Samples.redisEnterprise().secrets();

        assertThat(violations(recSpec(Strategy.DUAL_PASSWORD, secrets, Duration.ZERO))).singleElement()
                .satisfies(violation -> {
                    assertThat(violation.field()).isEqualTo("propagationDelay");
                    assertThat(violation.reason()).startsWith("must be at least PT2M for redis-enterprise");
                });
        assertThat(violations(recSpec(Strategy.NEW_IDENTITY, secrets, Duration.ofSeconds(119)))).hasSize(1);
        assertThat(violations(recSpec(Strategy.DUAL_PASSWORD, secrets, Duration.ofMinutes(2)))).isEmpty();
        assertThat(violations(recSpec(Strategy.DUAL_PASSWORD, secrets, null))).isEmpty();
        ManagedCredentialSpec acl = Samples.redisAcl();
        assertThat(violations(new ManagedCredentialSpec(acl.platform(), acl.strategy(), acl.endpoint(), acl.identity(),
                acl.secrets(), null, null, Duration.ZERO, null, null, null, null, null))).isEmpty();
    }

    @Test
    void defaultsComeFromThePlatform() {
        assertThat(Samples.redisEnterprise().propagationDelayOrDefault()).isEqualTo(Duration.ofMinutes(5));
        assertThat(Samples.configUi().effectivePasswordPolicy()).isEqualTo(PasswordPolicy.defaultsFor(Platform.CONFIGUI));
        assertThat(Samples.keystone().consumersOrDefault().restartStrategyOrDefault()).isEqualTo(RestartStrategy.ROLLOUT);
        assertThat(Samples.keystone().secrets().get(0).fileKey()).isEqualTo("clouds.yaml");
    }

    @Test
    void schedulesNeedExactlyOneOfCronAndInterval() {
        assertThat(violations(new Schedule(null, null, null, null))).containsExactly(
                new Violation("", "needs exactly one of cron or interval"));
        assertThat(violations(new Schedule("0 3 * * *", Duration.ofDays(1), null, null))).hasSize(1);
        assertThat(violations(new Schedule("every day", null, null, "Mars/Olympus"))).extracting(Violation::field)
                .containsExactly("cron", "timeZone");
        assertThat(violations(new Schedule(null, Duration.ofDays(30), new Window("25:00", "03:00", null), null)))
                .containsExactly(new Violation("window.start", "must be a time of day as HH:mm"));
    }

    @Test
    void credentialRefsAreNamespaceSlashNameInDns1123() {
        assertThat(CredentialRef.parse("team-a/redis.admin")).isEqualTo(new CredentialRef("team-a", "redis.admin"));
        assertThatThrownBy(() -> CredentialRef.parse("no-slash")).hasMessageContaining("exactly one '/'");
        assertThatThrownBy(() -> CredentialRef.parse("a/b/c")).hasMessageContaining("exactly one '/'");
        assertThatThrownBy(() -> CredentialRef.parse("Team/x")).hasMessageContaining("namespace: must be a DNS-1123 label");
        assertThatThrownBy(() -> CredentialRef.parse("team/-x")).hasMessageContaining("name: must be a DNS-1123 subdomain");
        assertThatThrownBy(() -> CredentialRef.parse("a".repeat(64) + "/x")).hasMessageContaining("at most 63");
        assertThatThrownBy(() -> CredentialRef.parse(" ")).hasMessageContaining("is required");
    }

    @Test
    void redisAclAdminLoginsComeFromASecretAndDefaultToTheDefaultUser() throws Exception {
        ManagedCredentialSpec example = readExample("redis-acl");
        assertThat(example.redisAcl().adminUsernameOrDefault()).isEqualTo("rotor-admin");
        assertThat(example.redisAcl().adminSecretRef()).isEqualTo(new SecretKeyRef("redis-rotor-admin", "password"));
        assertThat(new RedisAclOptions(null, new SecretKeyRef("a", "b")).adminUsernameOrDefault()).isEqualTo("default");

        ManagedCredentialSpec s = Samples.redisAcl();
        ManagedCredentialSpec noPassword = new ManagedCredentialSpec(s.platform(), s.strategy(), s.endpoint(),
                s.identity(), s.secrets(), null, null, null, null, null, null, null, null,
                new RedisAclOptions("admin user", null));

        assertThat(violations(noPassword)).extracting(Violation::field)
                .containsExactlyInAnyOrder("redisAcl.adminUsername", "redisAcl.adminSecretRef");
    }

    private static ManagedCredentialSpec recSpec(Strategy strategy, List<SecretTarget> secrets, Duration delay) {
        ManagedCredentialSpec s = Samples.redisEnterprise();
        return new ManagedCredentialSpec(s.platform(), strategy, s.endpoint(), s.identity(), secrets, null, null, delay,
                null, null, new RedisEnterpriseOptions("rec", null), null, null);
    }

    private ManagedCredentialSpec readExample(String name) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/examples/" + name + ".yaml")) {
            JsonNode resource = new ObjectMapper(new YAMLFactory()).readTree(in);
            assertThat(resource.path("apiVersion").asText()).isEqualTo(ManagedCredentials.API_VERSION);
            assertThat(resource.path("kind").asText()).isEqualTo(ManagedCredentials.KIND);
            return json.treeToValue(resource.path("spec"), ManagedCredentialSpec.class);
        }
    }

    private static List<Violation> violations(Validatable value) {
        Validator v = Validator.root();
        value.validate(v);
        return v.violations();
    }
}
