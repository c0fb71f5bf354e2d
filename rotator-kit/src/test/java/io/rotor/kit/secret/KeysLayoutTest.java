package io.rotor.kit.secret;

import static io.rotor.kit.secret.Layouts.data;
import static io.rotor.kit.secret.Layouts.fields;
import static io.rotor.kit.secret.Layouts.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rotor.contracts.credential.CredentialField;
import io.rotor.contracts.sealing.SecretValue;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeysLayoutTest {

    private final SecretLayout rec = Layouts.keys(Map.of("username", "username", "password", "password"));
    private final SecretLayout configUi = Layouts.keys(Map.of("password", ".mlc_password"));

    @Test
    void writesEachFieldUnderItsKeyAndKeepsOtherKeys() {
        Map<String, byte[]> result = configUi.write(data(".mlc_password", "old", ".mlc_server_secret", "untouched"),
                fields(CredentialField.PASSWORD, "new-pw"));

        assertThat(text(result, ".mlc_password")).isEqualTo("new-pw");
        assertThat(text(result, ".mlc_server_secret")).isEqualTo("untouched");
    }

    @Test
    void aKeyWhoseFieldTheRotationDoesNotCarryIsLeftAlone() {
        Map<String, byte[]> result = rec.write(data("username", "admin@example.com", "password", "old"),
                fields(CredentialField.PASSWORD, "new"));

        assertThat(text(result, "username")).isEqualTo("admin@example.com");
        assertThat(text(result, "password")).isEqualTo("new");
    }

    @Test
    void fieldsWithoutAKeyAreIgnored() {
        Map<String, byte[]> result = configUi.write(data(), fields(CredentialField.USERNAME, "u", CredentialField.PASSWORD, "p"));

        assertThat(result).containsOnlyKeys(".mlc_password");
    }

    @Test
    void readsTheFieldsThatArePresent() {
        Map<CredentialField, SecretValue> read = rec.read(data("password", "pw"));

        assertThat(read).containsOnlyKeys(CredentialField.PASSWORD);
        assertThat(read.get(CredentialField.PASSWORD).reveal()).isEqualTo("pw");
    }

    @Test
    void requireNamesTheMissingKey() {
        assertThatThrownBy(() -> configUi.require(data(), CredentialField.PASSWORD))
                .isInstanceOf(SecretLayoutException.class)
                .hasMessageContaining("key '.mlc_password'")
                .extracting(e -> ((SecretLayoutException) e).reason()).isEqualTo(SecretLayoutException.Reason.MISSING);
    }

    @Test
    void binaryDataIsRefusedNotMangled() {
        Map<String, byte[]> data = Map.of(".mlc_password", new byte[] {(byte) 0xff, (byte) 0xfe});

        assertThatThrownBy(() -> configUi.read(data)).isInstanceOf(SecretLayoutException.class)
                .extracting(e -> ((SecretLayoutException) e).reason()).isEqualTo(SecretLayoutException.Reason.NOT_UTF8);
    }

    @Test
    void theInputIsNeverModified() {
        Map<String, byte[]> data = data(".mlc_password", "old");

        configUi.write(data, fields(CredentialField.PASSWORD, "new"));

        assertThat(text(data, ".mlc_password")).isEqualTo("old");
    }

    @Test
    void dataKeysAndFieldsNameWhatItMayChange() {
        assertThat(rec.dataKeys()).containsExactlyInAnyOrder("username", "password");
        assertThat(configUi.fields()).containsExactly(CredentialField.PASSWORD);
    }
}
