package io.rotor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rotor.contracts.credential.ManagedCredentialSpec;
import io.rotor.contracts.credential.ManagedCredentials;
import io.rotor.contracts.envelope.EventJson;
import io.rotor.contracts.validation.Validator;
import io.rotor.contracts.validation.Violation;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        List<Path> files;
        try (Stream<Path> s = Files.list(Kustomize.ROOT.resolve("examples"))) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString())
                .contains("redis-enterprise.yaml", "openstack.yaml", "configui.yaml");
        int count = 0;
        for (Path file : files) {
            for (ObjectNode resource : Kustomize.read(file)) {
                String where = file.getFileName() + " " + resource.path("metadata").path("name").asText();
                assertThat(resource.path("apiVersion").asText()).as(where).isEqualTo(ManagedCredentials.API_VERSION);
                assertThat(resource.path("kind").asText()).as(where).isEqualTo(ManagedCredentials.KIND);
                ManagedCredentialSpec spec = EventJson.newMapper().treeToValue(resource.path("spec"), ManagedCredentialSpec.class);
                Validator v = Validator.root();
                spec.validate(v);
                List<Violation> violations = new ArrayList<>(v.violations());
                assertThat(violations).as(where).isEmpty();
                count++;
            }
        }
        assertThat(count).isGreaterThanOrEqualTo(5);
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
