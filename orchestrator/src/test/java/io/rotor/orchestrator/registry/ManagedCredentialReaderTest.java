package io.rotor.orchestrator.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.rotor.contracts.envelope.EventJson;
import io.rotor.contracts.policy.EndpointPolicy;
import io.rotor.orchestrator.support.Specs;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A ManagedCredential's author names its endpoint; the cluster's policy decides whether Rotor may go there. */
class ManagedCredentialReaderTest {

    private static final EndpointPolicy TEAM_A_ONLY = EndpointPolicy.parse("""
            namespaces:
              team-a:
                redis-acl: {hosts: ["redis-0:6379"]}
            """.getBytes(StandardCharsets.UTF_8), "test");

    @Test
    void anEndpointThePolicyAllowsIsValid() {
        RegisteredCredential read = new ManagedCredentialReader(TEAM_A_ONLY).read(resource("team-a"));

        assertThat(read.problems()).isEmpty();
        assertThat(read.valid()).isTrue();
    }

    @Test
    void theSameSpecInANamespaceThePolicyDoesNotListIsInvalidAndNamesThePolicy() {
        RegisteredCredential read = new ManagedCredentialReader(TEAM_A_ONLY).read(resource("team-b"));

        assertThat(read.valid()).isFalse();
        assertThat(read.spec()).isNull();
        assertThat(read.problemSummary()).contains("spec.endpoint").contains("policy");
    }

    @Test
    void withoutAPolicyNothingIsAllowed() {
        assertThat(new ManagedCredentialReader(EndpointPolicy.none()).read(resource("team-a")).valid()).isFalse();
    }

    @SuppressWarnings("unchecked")
    private static GenericKubernetesResource resource(String namespace) {
        GenericKubernetesResource r = new GenericKubernetesResourceBuilder().withApiVersion("rotor.io/v1alpha1")
                .withKind("ManagedCredential").withNewMetadata().withName("cache").withNamespace(namespace)
                .withGeneration(3L).withUid("u-1").endMetadata().build();
        r.setAdditionalProperty("spec", EventJson.newMapper().convertValue(Specs.redisAcl(), Map.class));
        return r;
    }
}
