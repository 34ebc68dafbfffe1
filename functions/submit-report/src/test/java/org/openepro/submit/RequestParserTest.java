package org.openepro.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.openepro.core.http.ApiException;

class RequestParserTest {
    private final RequestParser parser = new RequestParser();

    private ApiException reject(String json) {
        try {
            parser.parse(json.getBytes(StandardCharsets.UTF_8));
        } catch (ApiException e) {
            assertThat(e.problem().status()).isEqualTo(400);
            return e;
        }
        throw new AssertionError("expected a 400");
    }

    @Test
    void rejectsDuplicateKeysDeepNestingLongNumbersAndWrongTypesWithoutQuotingTheInput() {
        ApiException duplicate = reject("{\"status\":\"a\",\"status\":\"PATIENT-NAME\"}");
        ApiException deep = reject("{\"meta\":" + "{\"a\":".repeat(40) + "1" + "}".repeat(41));
        ApiException longNumber = reject("{\"item\":[{\"answer\":[{\"valueInteger\":" + "9".repeat(120) + "}]}]}");
        ApiException wrongType =
                reject("{\"item\":[{\"linkId\":\"x\",\"answer\":[{\"valueInteger\":\"PATIENT-NAME\"}]}]}");
        ApiException broken = reject("{\"status\": \"PATIENT-NAME");

        assertThat(duplicate.problem().detail()).contains("repeats a key").doesNotContain("PATIENT-NAME");
        assertThat(deep.problem().detail()).contains("deeper than 32");
        assertThat(longNumber.problem().detail()).contains("longer than 100 digits");
        assertThat(wrongType.problem().errors())
                .singleElement()
                .satisfies(e -> assertThat(e.pointer()).isEqualTo("/item/0/answer/0/valueInteger"));
        assertThat(wrongType.problem().detail()).doesNotContain("PATIENT-NAME");
        assertThat(broken.problem().detail()).doesNotContain("PATIENT-NAME");
    }

    @Test
    void rejectsEmptyAndNonObjectBodies() {
        assertThatThrownBy(() -> parser.parse(new byte[0])).isInstanceOf(ApiException.class);
        reject("null");
        reject("[1,2]");
        reject("\"text\"");
    }
}
