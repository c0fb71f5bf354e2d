package io.rotor.kit.secret;

import static io.rotor.kit.secret.Layouts.data;
import static io.rotor.kit.secret.Layouts.fields;
import static io.rotor.kit.secret.Layouts.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.kit.secret.SecretLayoutException.Reason;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

class CloudsYamlLayoutTest {

    static final String THREE_CLOUDS = """
            # Managed by the platform team.
            clouds:
              dev:
                auth:
                  auth_url: https://keystone.dev.example:5000/v3
                  username: svc-dev
                  password: dev-secret   # rotated by hand
                  project_name: dev
                region_name: RegionOne
              prod:
                region_name: RegionTwo
                auth:
                  auth_url: "https://keystone.example:5000/v3"
                  username: 'svc-app'
                  password: 'old-prod-secret'
                  project_name: app
                  user_domain_name: Default
                  project_domain_name: Default
                interface: public
              staging:
                auth: {auth_url: 'https://keystone.staging.example:5000/v3', username: svc-stg, password: stg-secret}
            """;

    @Test
    void aCloudsYamlWithThreeCloudsChangesOnlyThatCloudsPassword() {
        Map<String, byte[]> result = Layouts.cloudsYaml("prod").write(data("clouds.yaml", THREE_CLOUDS, "other", "x"),
                fields(CredentialField.PASSWORD, "n3w-pr0d!"));

        assertThat(text(result, "clouds.yaml")).isEqualTo(THREE_CLOUDS.replace(
                "password: 'old-prod-secret'", "password: \"n3w-pr0d!\""));
        assertThat(text(result, "other")).isEqualTo("x");
    }

    @Test
    void readsTheNamedCloudsFields() {
        var read = Layouts.cloudsYaml("prod").read(data("clouds.yaml", THREE_CLOUDS));

        assertThat(read.get(CredentialField.PASSWORD).reveal()).isEqualTo("old-prod-secret");
        assertThat(read.get(CredentialField.USERNAME).reveal()).isEqualTo("svc-app");
        assertThat(read).doesNotContainKey(CredentialField.APPLICATION_CREDENTIAL_ID);
    }

    @Test
    void aPlainValueWithATrailingCommentKeepsTheComment() {
        String result = text(Layouts.cloudsYaml("dev").write(data("clouds.yaml", THREE_CLOUDS),
                fields(CredentialField.PASSWORD, "new")), "clouds.yaml");

        assertThat(result).isEqualTo(THREE_CLOUDS.replace("password: dev-secret   # rotated by hand",
                "password: \"new\"   # rotated by hand"));
    }

    @Test
    void aFlowMappingIsEditedInPlaceToo() {
        String result = text(Layouts.cloudsYaml("staging").write(data("clouds.yaml", THREE_CLOUDS),
                fields(CredentialField.PASSWORD, "new")), "clouds.yaml");

        assertThat(result).isEqualTo(THREE_CLOUDS.replace("password: stg-secret}", "password: \"new\"}"));
    }

    @Test
    void aMissingFieldIsAddedAsTheAuthSectionsLastEntry() {
        String yaml = """
                clouds:
                  app:
                    auth_type: v3applicationcredential
                    auth:
                      auth_url: https://keystone.example:5000/v3
                      application_credential_id: old-id # the id
                    region_name: RegionOne
                """;

        String result = text(Layouts.cloudsYaml("app").write(data("clouds.yaml", yaml), fields(
                CredentialField.APPLICATION_CREDENTIAL_ID, "new-id",
                CredentialField.APPLICATION_CREDENTIAL_SECRET, "new-secret")), "clouds.yaml");

        assertThat(result).isEqualTo("""
                clouds:
                  app:
                    auth_type: v3applicationcredential
                    auth:
                      auth_url: https://keystone.example:5000/v3
                      application_credential_id: "new-id" # the id
                      application_credential_secret: "new-secret"
                    region_name: RegionOne
                """);
    }

    @Test
    void aMissingFieldInAFlowMappingIsAppendedInside() {
        String yaml = "clouds: {c: {auth: {auth_url: 'https://k:5000/v3'}}}\n";

        String result = text(Layouts.cloudsYaml("c").write(data("clouds.yaml", yaml),
                fields(CredentialField.PASSWORD, "p")), "clouds.yaml");

        assertThat(result).isEqualTo("clouds: {c: {auth: {auth_url: 'https://k:5000/v3', password: \"p\"}}}\n");
    }

    @Test
    void aJsonCloudsFileWorks() {
        String json = "{\"clouds\": {\"c\": {\"auth\": {\"username\": \"u\", \"password\": \"old\"}}}}";

        String result = text(Layouts.cloudsYaml("c").write(data("clouds.yaml", json),
                fields(CredentialField.PASSWORD, "new")), "clouds.yaml");

        assertThat(result).isEqualTo(json.replace("\"old\"", "\"new\""));
    }

    @Test
    void aBlockScalarIsReplacedAndTheNextKeyStaysOnItsOwnLine() {
        String yaml = """
                clouds:
                  c:
                    auth:
                      password: |
                        old
                      username: u
                """;

        String result = text(Layouts.cloudsYaml("c").write(data("clouds.yaml", yaml),
                fields(CredentialField.PASSWORD, "new")), "clouds.yaml");

        assertThat(result).isEqualTo("""
                clouds:
                  c:
                    auth:
                      password: "new"
                      username: u
                """);
    }

    @Test
    void nonAsciiTextBeforeTheValueDoesNotShiftTheEdit() {
        String yaml = "# \uD83D\uDD11 Schl\u00fcssel \u4e2d\u6587\nclouds:\n  c:\n    auth:\n      password: \u00e4lt\n      username: u\n";

        String result = text(Layouts.cloudsYaml("c").write(data("clouds.yaml", yaml),
                fields(CredentialField.PASSWORD, "neu")), "clouds.yaml");

        assertThat(result).isEqualTo(yaml.replace("password: \u00e4lt", "password: \"neu\""));
    }

    @Test
    void crlfLineEndingsAreKept() {
        String yaml = "clouds:\r\n  c:\r\n    auth:\r\n      username: u\r\n    region_name: R\r\n";

        String result = text(Layouts.cloudsYaml("c").write(data("clouds.yaml", yaml),
                fields(CredentialField.PASSWORD, "p")), "clouds.yaml");

        assertThat(result).isEqualTo("clouds:\r\n  c:\r\n    auth:\r\n      username: u\r\n      password: \"p\"\r\n"
                + "    region_name: R\r\n");
    }

    @Test
    void anUnknownCloudIsAClearFailureNamingTheCloudsThatExist() {
        assertThatThrownBy(() -> Layouts.cloudsYaml("qa").write(data("clouds.yaml", THREE_CLOUDS),
                fields(CredentialField.PASSWORD, "x")))
                .isInstanceOf(SecretLayoutException.class)
                .hasMessageContaining("no cloud 'qa'").hasMessageContaining("[dev, prod, staging]")
                .extracting(e -> ((SecretLayoutException) e).reason()).isEqualTo(Reason.CLOUD_NOT_FOUND);
    }

    @Test
    void aPasswordSharedThroughAnAnchorIsNotEdited() {
        String yaml = """
                clouds:
                  a:
                    auth:
                      password: &pw shared
                  b:
                    auth:
                      password: *pw
                """;

        for (String cloud : new String[] {"a", "b"}) {
            assertThatThrownBy(() -> Layouts.cloudsYaml(cloud).write(data("clouds.yaml", yaml),
                    fields(CredentialField.PASSWORD, "x")))
                    .isInstanceOf(SecretLayoutException.class).hasMessageContaining("anchor or alias")
                    .extracting(e -> ((SecretLayoutException) e).reason()).isEqualTo(Reason.NOT_EDITABLE);
        }
    }

    @Test
    void anAuthSectionSharedThroughAnAliasIsNotEdited() {
        String yaml = """
                common: &auth
                  password: shared
                clouds:
                  a:
                    auth: *auth
                """;

        assertThatThrownBy(() -> Layouts.cloudsYaml("a").write(data("clouds.yaml", yaml),
                fields(CredentialField.PASSWORD, "x")))
                .isInstanceOf(SecretLayoutException.class)
                .extracting(e -> ((SecretLayoutException) e).reason()).isEqualTo(Reason.NOT_EDITABLE);
    }

    @Test
    void invalidYamlIsReportedByPositionWithoutQuotingTheContent() {
        String yaml = "clouds:\n  c:\n    auth:\n      password: \"very-secret\n";

        assertThatThrownBy(() -> Layouts.cloudsYaml("c").write(data("clouds.yaml", yaml),
                fields(CredentialField.PASSWORD, "x")))
                .isInstanceOf(SecretLayoutException.class)
                .hasMessageContaining("line").hasMessageNotContaining("very-secret")
                .extracting(e -> ((SecretLayoutException) e).reason()).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void moreThanOneDocumentIsRefused() {
        assertThatThrownBy(() -> Layouts.cloudsYaml("c").read(data("clouds.yaml",
                "clouds: {c: {auth: {password: a}}}\n---\nclouds: {}\n")))
                .extracting(e -> ((SecretLayoutException) e).reason()).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void duplicateKeysAreRefusedRatherThanGuessed() {
        String yaml = "clouds:\n  c:\n    auth:\n      password: a\n      password: b\n";

        assertThatThrownBy(() -> Layouts.cloudsYaml("c").write(data("clouds.yaml", yaml),
                fields(CredentialField.PASSWORD, "x")))
                .extracting(e -> ((SecretLayoutException) e).reason()).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void aMissingFileIsCreatedWithJustTheCloudsAuth() {
        Map<String, byte[]> result = Layouts.cloudsYaml("new cloud").write(data(),
                fields(CredentialField.USERNAME, "u", CredentialField.PASSWORD, "p"));

        assertThat(text(result, "clouds.yaml")).isEqualTo("""
                clouds:
                  "new cloud":
                    auth:
                      username: "u"
                      password: "p"
                """);
        assertThat(Layouts.cloudsYaml("new cloud").read(result).get(CredentialField.PASSWORD).reveal()).isEqualTo("p");
    }

    @Test
    void fieldsACloudsYamlHasNoPlaceForChangeNothing() {
        Map<String, byte[]> data = data("clouds.yaml", THREE_CLOUDS);

        assertThat(text(Layouts.cloudsYaml("prod").write(data, Map.of()), "clouds.yaml")).isEqualTo(THREE_CLOUDS);
    }

    @Test
    void anyValueRoundTripsThroughAYamlParser() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        for (int i = 0; i < 2_000; i++) {
            String value = Layouts.awkwardValue(random);
            Map<String, byte[]> result = Layouts.cloudsYaml("prod").write(data("clouds.yaml", THREE_CLOUDS),
                    fields(CredentialField.PASSWORD, value));

            @SuppressWarnings("unchecked")
            Map<String, Map<String, Map<String, Map<String, Object>>>> parsed = yaml.load(text(result, "clouds.yaml"));
            assertThat(parsed.get("clouds").get("prod").get("auth").get("password"))
                    .as("seed %d, value #%d", seed, i).isEqualTo(value);
            assertThat(Layouts.cloudsYaml("prod").read(result).get(CredentialField.PASSWORD).reveal())
                    .as("seed %d, value #%d", seed, i).isEqualTo(value);
            assertThat(parsed.get("clouds").get("dev").get("auth").get("password")).isEqualTo("dev-secret");
        }
    }
}
