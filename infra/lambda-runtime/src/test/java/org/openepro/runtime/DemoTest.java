package org.openepro.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openepro.core.json.Json;

class DemoTest {
    @Test
    void readsThePresignedLinkOfASucceededExport() throws Exception {
        assertThat(Demo.presignedLink(
                        Json.mapper().readTree("{\"status\":\"SUCCEEDED\",\"download\":{\"url\":\"http://h/x\"}}")))
                .contains("http://h/x");
        assertThat(Demo.presignedLink(Json.mapper().readTree("{\"download\":{\"url\":\"ftp://h/y\"}}")))
                .isEmpty();
        assertThat(Demo.presignedLink(Json.mapper().readTree("{\"status\":\"RUNNING\"}")))
                .isEmpty();
    }

    @Test
    void printsAProblemResponseWithItsFieldErrorsOnOneLine() {
        String body = """
                {"type":"https://openepro.dev/problems/validation-failed","title":"Validation failed","status":422,
                 "detail":"2 answers are invalid","errors":[{"pointer":"/item/0","linkId":"72514-3","code":"out-of-range"},
                 {"pointer":"/authored","code":"in-future"}]}
                """;

        String line = Demo.problem(new LocalApiClient.Response(422, Map.of(), body));

        assertThat(line)
                .isEqualTo("Validation failed: 2 answers are invalid [72514-3 out-of-range] [/authored in-future]");
        assertThat(Demo.problem(
                        new LocalApiClient.Response(401, Map.of("x", List.of()), "{\"message\":\"Unauthorized\"}")))
                .isEqualTo("Unauthorized");
    }
}
