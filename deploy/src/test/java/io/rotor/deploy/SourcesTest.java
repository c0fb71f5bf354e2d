package io.rotor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.ManagedCredentials;
import io.rotor.contracts.credential.SecretTarget;
import io.rotor.contracts.envelope.EventJson;
import io.rotor.contracts.policy.EndpointPolicy;
import io.rotor.contracts.validation.Validator;
import io.rotor.contracts.validation.Violation;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The files in deploy/ that are copies of, or examples for, what the code defines. */
class SourcesTest {

    @Test
    void theDeployedCrdIsTheOneContractsShips() throws Exception {
        JsonNode deployed = Kustomize.read(Kustomize.ROOT.resolve("base/crd/managedcredentials.rotor.io.yaml")).get(0);
        JsonNode shipped;
        try (InputStream in = ManagedCredentials.class.getResourceAsStream("/crd/managedcredentials.rotor.io.yaml")) {
            shipped = Kustomize.YAML.readTree(in);
        }
        assertThat(deployed).as("copy contracts/src/main/resources/crd/ to deploy/kubernetes/base/crd/").isEqualTo(shipped);
    }

    @Test
    void everyExampleManagedCredentialReadsStrictlyAndValidates() throws Exception {
        List<Path> files = exampleFiles();
        assertThat(files).extracting(p -> p.getFileName().toString())
                .contains("redis-enterprise.yaml", "openstack.yaml", "configui.yaml");
        int count = 0;
        for (Path file : files) {
            for (ObjectNode resource : Kustomize.read(file)) {
                String where = file.getFileName() + " " + resource.path("metadata").path("name").asText();
                if (resource.path("kind").asText().equals("Secret")) {
                    assertThat(resource.path("apiVersion").asText()).as(where).isEqualTo("v1");
                    continue;
                }
                assertThat(resource.path("apiVersion").asText()).as(where).isEqualTo(ManagedCredentials.API_VERSION);
                assertThat(resource.path("kind").asText()).as(where).isEqualTo(ManagedCredentials.KIND);
                ManagedCredentialSpec spec = spec(resource);
                Validator v = Validator.root();
                spec.validate(v);
                List<Violation> violations = new ArrayList<>(v.violations());
                assertThat(violations).as(where).isEmpty();
                count++;
            }
        }
        assertThat(count).isGreaterThanOrEqualTo(5);
    }

    /**
     * Existing Secrets are Rotor's to read and write only when they opt in with the label naming the credential: each
     * example carries, next to its ManagedCredentials, every Secret they name (label only, no data), so that applying
     * the example labels them.
     */
    @Test
    void everySecretAnExampleNamesCarriesTheOptInLabel() throws Exception {
        for (Path file : exampleFiles()) {
            List<ObjectNode> resources = Kustomize.read(file);
            Map<String, ObjectNode> secrets = new TreeMap<>();
            for (ObjectNode r : resources) {
                if (r.path("kind").asText().equals("Secret")) {
                    secrets.put(r.path("metadata").path("namespace").asText() + "/" + r.path("metadata").path("name").asText(), r);
                    // Metadata only: applying the example must never replace the credential it labels.
                    assertThat(r.has("data") || r.has("stringData")).as(file.getFileName() + " " + r.path("metadata")).isFalse();
                }
            }
            Set<String> named = new TreeSet<>();
            for (ObjectNode r : resources) {
                if (!r.path("kind").asText().equals(ManagedCredentials.KIND)) {
                    continue;
                }
                String namespace = r.path("metadata").path("namespace").asText();
                String credential = r.path("metadata").path("name").asText();
                for (SecretTarget target : spec(r).secretList()) {
                    String key = namespace + "/" + target.name();
                    named.add(key);
                    ObjectNode secret = secrets.get(key);
                    assertThat(secret).as(file.getFileName() + ": Secret " + key + " of " + credential).isNotNull();
                    assertThat(secret.path("metadata").path("labels").path(ManagedCredentials.CREDENTIAL_LABEL).asText())
                            .as(file.getFileName() + ": label on Secret " + key).isEqualTo(credential);
                }
            }
            assertThat(secrets.keySet()).as(file.getFileName() + ": Secrets no credential names").isEqualTo(named);
        }
    }

    /**
     * Each example comes with the endpoint policy it needs (examples/policy/), which allows it; the base policy allows
     * none of them.
     */
    @Test
    void eachExampleIsAllowedByItsPolicySnippetAndRefusedByTheBasePolicy() throws Exception {
        EndpointPolicy base = EndpointPolicy.parse(Files.readAllBytes(Kustomize.ROOT.resolve("base/policy/endpoint-policy.yaml")), "base");
        for (Path file : exampleFiles()) {
            Path snippet = Kustomize.ROOT.resolve("examples/policy").resolve(file.getFileName());
            assertThat(snippet).as("policy snippet for " + file.getFileName()).exists();
            EndpointPolicy policy = EndpointPolicy.parse(Files.readAllBytes(snippet), snippet.toString());
            for (ObjectNode r : Kustomize.read(file)) {
                if (!r.path("kind").asText().equals(ManagedCredentials.KIND)) {
                    continue;
                }
                String namespace = r.path("metadata").path("namespace").asText();
                String where = file.getFileName() + " " + r.path("metadata").path("name").asText();
                ManagedCredentialSpec spec = spec(r);
                assertThat(policy.check(namespace, spec)).as(where + " under " + snippet.getFileName()).isEmpty();
                assertThat(base.check(namespace, spec)).as(where + " under the base policy").isNotEmpty();
                // A snippet is for its own namespaces: the same credential elsewhere is refused.
                assertThat(policy.check(namespace + "-elsewhere", spec)).as(where + " in another namespace").isNotEmpty();
            }
        }
    }

    private static List<Path> exampleFiles() throws Exception {
        try (Stream<Path> s = Files.list(Kustomize.ROOT.resolve("examples"))) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    private static ManagedCredentialSpec spec(ObjectNode resource) throws Exception {
        return EventJson.newMapper().treeToValue(resource.path("spec"), ManagedCredentialSpec.class);
    }

    @Test
    void theExamplesFollowTheSourceDocuments() throws Exception {
        String rec = Files.readString(Kustomize.ROOT.resolve("examples/redis-enterprise.yaml"));
        assertThat(rec).contains("- name: rec\n").contains("keys: {username: username, password: password}");
        String configui = Files.readString(Kustomize.ROOT.resolve("examples/configui.yaml"));
        assertThat(configui).contains("name: configui-user-secrets").contains(".mlc_password")
                .contains("configui-deploy");
        String openstack = Files.readString(Kustomize.ROOT.resolve("examples/openstack.yaml"));
        assertThat(openstack).contains("format: clouds-yaml").contains("format: openrc");
    }
}
