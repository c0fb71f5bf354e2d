package io.rotor.kit.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.rotor.contracts.credential.CredentialRef;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretReferencesTest {

    private static final CredentialRef CREDENTIAL = CredentialRef.parse("team/app-db");
    private static final Set<String> SECRETS = Set.of("app-db", "app-db-files");
    private static final ObjectMeta PLAIN = new ObjectMetaBuilder().withName("w").build();

    @Test
    void anEnvSecretKeyRefInAnyContainerMakesAReader() {
        PodTemplateSpec template = new PodTemplateSpecBuilder().withNewSpec()
                .addNewContainer().withName("a").endContainer()
                .addNewContainer().withName("b").addNewEnv().withName("PW").withNewValueFrom()
                .withNewSecretKeyRef().withName("app-db").withKey("password").endSecretKeyRef()
                .endValueFrom().endEnv().endContainer().endSpec().build();

        assertThat(SecretReferences.reasons(PLAIN, template, SECRETS, CREDENTIAL)).containsExactly(ConsumerReason.ENV);
    }

    @Test
    void envFromInAnInitContainerMakesAReader() {
        PodTemplateSpec template = new PodTemplateSpecBuilder().withNewSpec()
                .addNewInitContainer().withName("init").addNewEnvFrom().withNewSecretRef().withName("app-db")
                .endSecretRef().endEnvFrom().endInitContainer().endSpec().build();

        assertThat(SecretReferences.reasons(PLAIN, template, SECRETS, CREDENTIAL)).containsExactly(ConsumerReason.ENV_FROM);
    }

    @Test
    void secretAndProjectedVolumesMakeReaders() {
        PodTemplateSpec template = new PodTemplateSpecBuilder().withNewSpec()
                .addNewVolume().withName("v").withNewSecret().withSecretName("app-db-files").endSecret().endVolume()
                .addNewVolume().withName("p").withNewProjected().addNewSource().withNewConfigMap().withName("cm")
                .endConfigMap().endSource().addNewSource().withNewSecret().withName("app-db").endSecret().endSource()
                .endProjected().endVolume().endSpec().build();

        assertThat(SecretReferences.reasons(PLAIN, template, SECRETS, CREDENTIAL))
                .containsExactlyInAnyOrder(ConsumerReason.VOLUME, ConsumerReason.PROJECTED_VOLUME);
    }

    @Test
    void otherSecretsAndConfigMapsDoNotCount() {
        PodTemplateSpec template = new PodTemplateSpecBuilder().withNewSpec()
                .addNewContainer().withName("c").addNewEnvFrom().withNewSecretRef().withName("app-db-other")
                .endSecretRef().endEnvFrom().addNewEnvFrom().withNewConfigMapRef().withName("app-db").endConfigMapRef()
                .endEnvFrom().endContainer()
                .addNewVolume().withName("v").withNewConfigMap().withName("app-db").endConfigMap().endVolume()
                .endSpec().build();

        assertThat(SecretReferences.reasons(PLAIN, template, SECRETS, CREDENTIAL)).isEmpty();
    }

    @Test
    void theOptInAnnotationNamesTheCredentialByNameOrRefOnTheWorkloadOrItsTemplate() {
        PodTemplateSpec bare = new PodTemplateSpecBuilder().withNewSpec().endSpec().build();
        ObjectMeta byName = new ObjectMetaBuilder().addToAnnotations("rotor.io/restart-on", "x, app-db ,y").build();
        ObjectMeta byRef = new ObjectMetaBuilder().addToAnnotations("rotor.io/restart-on", "team/app-db").build();
        ObjectMeta otherNamespace = new ObjectMetaBuilder().addToAnnotations("rotor.io/restart-on", "other/app-db").build();
        ObjectMeta prefix = new ObjectMetaBuilder().addToAnnotations("rotor.io/restart-on", "app-db-2").build();
        PodTemplateSpec annotatedTemplate = new PodTemplateSpecBuilder().withMetadata(byName).withNewSpec().endSpec().build();

        assertThat(SecretReferences.reasons(byName, bare, SECRETS, CREDENTIAL)).containsExactly(ConsumerReason.ANNOTATION);
        assertThat(SecretReferences.reasons(byRef, bare, SECRETS, CREDENTIAL)).containsExactly(ConsumerReason.ANNOTATION);
        assertThat(SecretReferences.reasons(PLAIN, annotatedTemplate, SECRETS, CREDENTIAL))
                .containsExactly(ConsumerReason.ANNOTATION);
        assertThat(SecretReferences.reasons(otherNamespace, bare, SECRETS, CREDENTIAL)).isEmpty();
        assertThat(SecretReferences.reasons(prefix, bare, SECRETS, CREDENTIAL)).isEmpty();
    }

    @Test
    void aWorkloadWithoutATemplateSpecIsNoReader() {
        assertThat(SecretReferences.reasons(PLAIN, null, SECRETS, CREDENTIAL)).isEmpty();
        assertThat(SecretReferences.reasons(PLAIN, new PodTemplateSpec(), SECRETS, CREDENTIAL)).isEmpty();
    }
}
