package io.rotor.redis.enterprise;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rotor.kit.participant.PlatformException;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every documented error code of the cluster becomes a typed, permanent failure that names it and quotes the cluster. */
class RecErrorCodesTest {

    private final ObjectMapper json = new ObjectMapper();
    private final RecApi api = new RecApi(URI.create("https://rec:9443"), null, null, null, "test", json,
            new java.util.HashSet<>());

    @ParameterizedTest
    @CsvSource({
        "400, password_not_complex, PASSWORD_NOT_COMPLEX",
        "400, new_password_same_as_current, NEW_PASSWORD_SAME_AS_CURRENT",
        "404, user_not_exist, USER_NOT_EXIST",
        "403, unauthorized_action, UNAUTHORIZED_ACTION",
        "400, cannot_delete_last_password, CANNOT_DELETE_LAST_PASSWORD",
        "409, email_already_exists, USER_ALREADY_EXISTS",
        "409, name_already_exists, USER_ALREADY_EXISTS",
        "409, '', USER_ALREADY_EXISTS",
        "403, '', UNAUTHORIZED_ACTION",
        "404, '', USER_NOT_EXIST",
        "400, something_new, UNEXPECTED_RESPONSE"})
    void documentedCodesMapToPermanentFailures(int status, String code, RecFailure expected) {
        RecResponse answer = new RecResponse(status, code.isEmpty() ? null
                : json.valueToTree(Map.of("error_code", code, "message", "text")));

        PlatformException failure = api.failure(answer, "adding a password for admin@example.com");

        assertThat(failure.reason()).isEqualTo(expected);
        assertThat(failure.retriable()).isFalse();
        assertThat(failure.getMessage()).contains("https://rec:9443").contains("HTTP " + status)
                .contains("adding a password for admin@example.com");
        if (!code.isEmpty()) {
            assertThat(failure.getMessage()).contains(code);
        }
    }

    @Test
    void theClustersDescriptionIsQuotedWithoutAnyPasswordOfTheRequest() {
        JsonNode body = json.valueToTree(Map.of("error_code", "password_not_complex",
                "description", "password 'New-pw-2!' is too\nsimple"));
        RecResponse answer = RecResponse.of(400, body, List.of("Old-pw-1!", "New-pw-2!"));

        PlatformException failure = api.failure(answer, "adding a password for admin@example.com");

        assertThat(failure.getMessage()).contains("HTTP 400, password_not_complex: password '[hidden]' is too simple")
                .doesNotContain("New-pw-2!");
    }

    @Test
    void theDocumentedMessageFieldIsReadWhenThereIsNoDescriptionAndLongTextIsCut() {
        assertThat(new RecResponse(400, json.valueToTree(Map.of("error_code", "x", "message", "told so")))
                .description()).isEqualTo("told so");
        assertThat(new RecResponse(400, json.valueToTree(Map.of("description", "y".repeat(1000)))).description())
                .hasSize(RecResponse.MAX_DESCRIPTION + 1);
        assertThat(new RecResponse(502, null).description()).isEmpty();
    }
}
