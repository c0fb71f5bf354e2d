package io.rotor.openstack.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.rotor.kit.participant.PlatformException;
import io.rotor.openstack.keystone.DomainSelector;
import io.rotor.openstack.keystone.ProjectScope;
import io.rotor.openstack.keystone.UserSelector;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AdminCloudTest {

    @Test
    void readsUserDomainAndProjectAsOpenstackClientsDo() {
        AdminCloud cloud = parse("""
                clouds:
                  admin:
                    auth:
                      auth_url: https://ignored.example/v3
                      username: admin
                      password: "Admin-Pw-1"
                      user_domain_name: Default
                      project_name: admin
                      project_domain_id: default
                """);

        assertThat(cloud.user()).isEqualTo(UserSelector.byName("admin", DomainSelector.byName("Default")));
        assertThat(cloud.project()).isEqualTo(ProjectScope.byName("admin", DomainSelector.byId("default")));
        assertThat(cloud.password().reveal()).isEqualTo("Admin-Pw-1");
        assertThat(cloud.authUrl()).as("checked against the endpoint policy, not called").isEqualTo(
                "https://ignored.example/v3");
        assertThat(cloud.toString()).doesNotContain("Admin-Pw-1");
    }

    @Test
    void fallsBackToDomainThenToTheDefaultDomain() {
        AdminCloud viaDomain = parse("clouds: {admin: {auth: {username: a, password: p, domain_name: corp, "
                + "project_id: 0123}}}");
        AdminCloud bare = parse("clouds: {admin: {auth: {user_id: u1, password: p}}}");

        assertThat(viaDomain.user().domain()).isEqualTo(DomainSelector.byName("corp"));
        assertThat(viaDomain.project()).isEqualTo(ProjectScope.byId("0123"));
        assertThat(bare.user()).isEqualTo(UserSelector.byId("u1"));
        assertThat(bare.project()).isNull();
        assertThat(parse("clouds: {admin: {auth: {username: a, password: p}}}").user().domain())
                .isEqualTo(DomainSelector.DEFAULT);
    }

    @Test
    void problemsArePermanentAndNeverQuoteTheFile() {
        PlatformException broken = invalid("clouds: {admin: {auth: {password: \"Leak-Me-1\", username: [");
        PlatformException noCloud = invalid("clouds: {other: {auth: {username: a, password: Leak-Me-1}}}");
        PlatformException noPassword = invalid("clouds: {admin: {auth: {username: a}}}");
        PlatformException noUser = invalid("clouds: {admin: {auth: {password: Leak-Me-1}}}");

        for (PlatformException e : new PlatformException[] {broken, noCloud, noPassword, noUser}) {
            assertThat(e.reason()).isEqualTo(KeystoneFailure.ADMIN_CLOUD_INVALID);
            assertThat(e.retriable()).isFalse();
            assertThat(e.getMessage()).contains("Secret x/y").doesNotContain("Leak-Me-1");
        }
    }

    private static AdminCloud parse(String yaml) {
        return AdminCloud.parse(yaml.getBytes(StandardCharsets.UTF_8), "admin", "Secret x/y");
    }

    private static PlatformException invalid(String yaml) {
        return catchThrowableOfType(PlatformException.class, () -> parse(yaml));
    }
}
