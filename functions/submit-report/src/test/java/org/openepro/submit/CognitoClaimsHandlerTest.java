package org.openepro.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CognitoClaimsHandlerTest {

    @Test
    @SuppressWarnings("unchecked")
    void copiesTheParticipantsAttributesIntoTheAccessTokenAndNothingElse() {
        Map<String, Object> event = Map.of(
                "version",
                "2",
                "triggerSource",
                "TokenGeneration_Authentication",
                "request",
                Map.of(
                        "userAttributes",
                        Map.of(
                                "custom:study_id",
                                "STUDY-1",
                                "custom:site_id",
                                "SITE-01",
                                "custom:subject_id",
                                "SUBJ-7",
                                "email",
                                "someone@example.org",
                                "phone_number",
                                "+100")),
                "response",
                Map.of());

        Map<String, Object> out = new CognitoClaimsHandler().handleRequest(event, null);

        Map<String, Object> details =
                (Map<String, Object>) ((Map<String, Object>) out.get("response")).get("claimsAndScopeOverrideDetails");
        Map<String, Object> access = (Map<String, Object>)
                ((Map<String, Object>) details.get("accessTokenGeneration")).get("claimsToAddOrOverride");
        assertThat(access)
                .containsExactly(
                        Map.entry("study_id", "STUDY-1"),
                        Map.entry("site_id", "SITE-01"),
                        Map.entry("subject_id", "SUBJ-7"));
        assertThat(out.get("version")).isEqualTo("2");
    }
}
