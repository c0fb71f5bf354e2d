package io.rotor.kit.secret;

import static io.rotor.kit.secret.Layouts.data;
import static io.rotor.kit.secret.Layouts.fields;
import static io.rotor.kit.secret.Layouts.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.kit.secret.SecretLayoutException.Reason;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateLayoutTest {

    private final SecretLayout jdbc = Layouts.template("application.properties",
            "db.url=jdbc:x://db\ndb.user={{ username }}\ndb.password={{password}}\n# {{password}} again\n");

    @Test
    void rendersTheTemplateWithTheFields() {
        Map<String, byte[]> result = jdbc.write(data("other", "kept"),
                fields(CredentialField.USERNAME, "app", CredentialField.PASSWORD, "p$w{d}"));

        assertThat(text(result, "application.properties"))
                .isEqualTo("db.url=jdbc:x://db\ndb.user=app\ndb.password=p$w{d}\n# p$w{d} again\n");
        assertThat(text(result, "other")).isEqualTo("kept");
    }

    @Test
    void aFieldTheRotationDoesNotCarryKeepsTheValueTheSecretHolds() {
        Map<String, byte[]> current = jdbc.write(data(), fields(CredentialField.USERNAME, "app", CredentialField.PASSWORD, "old"));

        Map<String, byte[]> result = jdbc.write(current, fields(CredentialField.PASSWORD, "new"));

        assertThat(text(result, "application.properties"))
                .isEqualTo("db.url=jdbc:x://db\ndb.user=app\ndb.password=new\n# new again\n");
    }

    @Test
    void readsTheFieldsBackFromRenderedContent() {
        Map<String, byte[]> rendered = jdbc.write(data(), fields(CredentialField.USERNAME, "u:1", CredentialField.PASSWORD, "a\nb"));

        var read = jdbc.read(rendered);

        assertThat(read.get(CredentialField.USERNAME).reveal()).isEqualTo("u:1");
        assertThat(read.get(CredentialField.PASSWORD).reveal()).isEqualTo("a\nb");
    }

    @Test
    void aFieldNeitherCarriedNorHeldIsAClearFailure() {
        assertThatThrownBy(() -> jdbc.write(data(), fields(CredentialField.PASSWORD, "p")))
                .isInstanceOf(SecretLayoutException.class).hasMessageContaining("{{username}}")
                .extracting(e -> ((SecretLayoutException) e).reason()).isEqualTo(Reason.MISSING);
    }

    @Test
    void contentThatDoesNotFitTheTemplateCannotBeReadBack() {
        assertThatThrownBy(() -> jdbc.read(data("application.properties", "something else entirely")))
                .extracting(e -> ((SecretLayoutException) e).reason()).isEqualTo(Reason.TEMPLATE_MISMATCH);
    }

    @Test
    void anUnknownPlaceholderOrNoneAtAllIsAnInvalidTemplate() {
        assertThatThrownBy(() -> Layouts.template("k", "x={{token}}"))
                .isInstanceOf(SecretLayoutException.class).hasMessageContaining("{{token}}")
                .extracting(e -> ((SecretLayoutException) e).reason()).isEqualTo(Reason.TEMPLATE_INVALID);
        assertThatThrownBy(() -> Layouts.template("k", "static"))
                .extracting(e -> ((SecretLayoutException) e).reason()).isEqualTo(Reason.TEMPLATE_INVALID);
    }

    @Test
    void aRotationWithNoneOfTheTemplatesFieldsChangesNothing() {
        Map<String, byte[]> data = data("application.properties", "anything");

        assertThat(text(jdbc.write(data, fields(CredentialField.APPLICATION_CREDENTIAL_ID, "x")),
                "application.properties")).isEqualTo("anything");
    }

    @Test
    void theDefaultKeyIsConfig() {
        assertThat(Layouts.template(null, "{{password}}").dataKeys()).containsExactly("config");
    }
}
