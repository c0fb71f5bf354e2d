package io.rotor.contracts.sealing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rotor.contracts.envelope.EventJson;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretValueTest {

    private final ObjectMapper mapper = EventJson.newMapper();

    @Test
    void neverPrintsItsValue() {
        SecretValue secret = SecretValue.of("hunter2");

        assertThat(secret.toString()).isEqualTo("[redacted]");
        assertThat(String.valueOf(List.of(secret))).doesNotContain("hunter2");
        assertThat(Map.of("password", secret).toString()).doesNotContain("hunter2");
    }

    @Test
    void jacksonRefusesToWriteThePlainForm() {
        record Carrier(String user, SecretValue password) {
        }

        assertThatThrownBy(() -> mapper.writeValueAsString(new Carrier("u", SecretValue.of("hunter2"))))
                .isInstanceOf(JsonMappingException.class)
                .hasMessageContaining("cannot be written in plain form")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> new ObjectMapper().writeValueAsString(SecretValue.of("hunter2")))
                .isInstanceOf(JsonMappingException.class);
    }

    @Test
    void canBeReadFromJsonBecauseDoorsSealWhatTheyReceive() throws Exception {
        SecretValue read = mapper.readValue("\"from-operator\"", SecretValue.class);

        assertThat(read.reveal()).isEqualTo("from-operator");
    }

    @Test
    void comparesByValueAndCountsBytesAsBcryptDoes() {
        assertThat(SecretValue.of("a")).isEqualTo(SecretValue.of("a")).isNotEqualTo(SecretValue.of("b"));
        assertThat(SecretValue.of("ä").byteLength()).isEqualTo(2);
    }

    @Test
    void destroyOverwritesTheValue() {
        SecretValue secret = SecretValue.of("gone");
        secret.destroy();

        assertThat(secret.reveal()).doesNotContain("gone");
    }
}
