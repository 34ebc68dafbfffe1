package org.openepro.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openepro.core.json.Json;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedStack;

@ExtendWith(AwsEmulatorExtension.class)
class ExportRequestRulesIT {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            another study                 | OTHER | | {"format":"csv","from":"2026-03-01","to":"2026-03-02"}                         | 403 | forbidden
            unknown format                | SAME  | | {"format":"pdf","from":"2026-03-01","to":"2026-03-02"}                         | 400 | invalid-parameters
            missing format                | SAME  | | {"from":"2026-03-01","to":"2026-03-02"}                                        | 400 | invalid-parameters
            malformed date                | SAME  | | {"format":"csv","from":"01/03/2026","to":"2026-03-02"}                         | 400 | invalid-parameters
            unknown field                 | SAME  | | {"format":"csv","from":"2026-03-01","to":"2026-03-02","subject":"SUBJ-1"}      | 400 | invalid-parameters
            unknown profile               | SAME  | | {"format":"csv","from":"2026-03-01","to":"2026-03-02","profile":"raw"}         | 400 | invalid-parameters
            not JSON                      | SAME  | | {"format":                                                                     | 400 | malformed-request
            inverted range                | SAME  | | {"format":"csv","from":"2026-03-05","to":"2026-03-01"}                         | 422 | validation-failed
            range over the maximum        | SAME  | | {"format":"csv","from":"2025-01-01","to":"2026-03-01"}                         | 422 | validation-failed
            unknown questionnaire         | SAME  | | {"format":"csv","from":"2026-03-01","to":"2026-03-02","questionnaires":["x"]}  | 422 | validation-failed
            identified without the role   | SAME  | | {"format":"csv","from":"2026-03-01","to":"2026-03-02","profile":"identified"}  | 403 | forbidden
            identified with another role  | SAME  | monitor | {"format":"csv","from":"2026-03-01","to":"2026-03-02","profile":"identified"} | 403 | forbidden
            compliance by a week          | SAME  | | {"format":"compliance-csv","from":"2026-03-01","to":"2026-03-02","by":"week"} | 400 | invalid-parameters
            compliance of questionnaires  | SAME  | | {"format":"compliance-csv","from":"2026-03-01","to":"2026-03-02","questionnaires":["pain-nrs"]} | 422 | validation-failed
            compliance in a layout        | SAME  | | {"format":"compliance-csv","from":"2026-03-01","to":"2026-03-02","layout":"long"} | 422 | validation-failed
            compliance over 92 days       | SAME  | | {"format":"compliance-csv","from":"2026-01-01","to":"2026-04-03"}              | 422 | validation-failed
            compliance identified, no role| SAME  | | {"format":"compliance-csv","from":"2026-03-01","to":"2026-03-02","profile":"identified"} | 403 | forbidden
            by on a report format         | SAME  | | {"format":"csv","from":"2026-03-01","to":"2026-03-02","by":"subject"}          | 422 | validation-failed
            """)
    void refusesWithAProblemAndCreatesNothing(
            String why, String assigned, String roles, String body, int status, String problem, EmulatedStack stack)
            throws Exception {
        // GIVEN staff assigned to a study (or to another one)
        ExportHarness h = new ExportHarness(stack, Map.of());
        String study = "ST-" + UUID.randomUUID();
        String studies = assigned.equals("SAME") ? study : "ST-" + UUID.randomUUID();

        // WHEN they ask for an export the rules refuse
        APIGatewayV2HTTPResponse response = h.post(study, body, studies, roles);

        // THEN a problem document says why
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders()).containsEntry("content-type", "application/problem+json");
        JsonNode doc = Json.mapper().readTree(response.getBody());
        assertThat(doc.path("type").asText()).endsWith("/" + problem);
        assertThat(doc.path("status").asInt()).isEqualTo(status);

        // AND nothing was created: no job, no audit event, no queue message
        assertThat(h.exportItems(study)).isEmpty();
        assertThat(h.auditActions(study)).isEmpty();
        assertThat(h.queuedMessages()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            identified with the role | export-identified | identified
            deidentified by default  |                   | deidentified
            """)
    void acceptsWhatTheRulesAllow(String why, String roles, String profile, EmulatedStack stack) throws Exception {
        ExportHarness h = new ExportHarness(stack, Map.of());
        String study = "ST-" + UUID.randomUUID();
        String body = profile.equals("identified")
                ? "{\"format\":\"csv\",\"from\":\"2026-03-01\",\"to\":\"2026-03-02\",\"profile\":\"identified\"}"
                : "{\"format\":\"csv\",\"from\":\"2026-03-01\",\"to\":\"2026-03-02\"}";

        String exportId = h.request(study, body, roles);

        assertThat(h.exportItems(study)).hasSize(1);
        assertThat(h.queuedMessages()).isEqualTo(1);
        assertThat(h.status(exportId, study, roles).path("profile").asText()).isEqualTo(profile);
        // an identified export's status and link are also for role holders only
        if (profile.equals("identified")) {
            assertThat(h.get(exportId, study, null).getStatusCode()).isEqualTo(403);
        }
    }
}
