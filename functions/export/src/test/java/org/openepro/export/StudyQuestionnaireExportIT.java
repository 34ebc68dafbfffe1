package org.openepro.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openepro.core.json.Json;
import org.openepro.core.questionnaire.SampleResponses;
import org.openepro.core.report.Report;
import org.openepro.core.report.ReportItems;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedStack;
import org.openepro.emulator.SampleEvents;
import org.openepro.submit.QuestionnaireAdminConfig;
import org.openepro.submit.QuestionnaireAdminHandler;
import org.openepro.submit.QuestionnaireAdminWiring;
import org.openepro.submit.SubmitConfig;
import org.openepro.submit.SubmitReportHandler;
import org.openepro.submit.SubmitWiring;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A study's own published questionnaire, end to end: a study designer publishes it through the admin
 * handler, a patient answers it through submit-report, and the study's export (through the export
 * handlers, with the functions' own IAM) carries its items with the published texts. The built-in
 * registry the export functions are given does not know it: only the study's table does.
 */
@ExtendWith(AwsEmulatorExtension.class)
class StudyQuestionnaireExportIT {
    private static final String YN = "https://example.org/fhir/CodeSystem/yes-no";
    private static final String REST = "https://example.org/fhir/CodeSystem/rested";
    private static final String PRO_CTCAE = "https://openepro.dev/fhir/Questionnaire/pro-ctcae|1.1.0";
    private static final String CTCAE = "https://openepro.dev/fhir/CodeSystem/pro-ctcae-response";

    private EmulatedStack stack;
    private ExportHarness exports;
    private QuestionnaireAdminHandler admin;
    private SubmitReportHandler submit;

    @BeforeEach
    void wire(EmulatedStack stack) {
        this.stack = stack;
        this.exports = new ExportHarness(stack, Map.of());
        this.admin = new QuestionnaireAdminHandler(QuestionnaireAdminWiring.of(
                QuestionnaireAdminConfig.fromEnv(stack.env("QuestionnaireAdminFunction")),
                stack.clients(),
                Clock.systemUTC()));
        this.submit = new SubmitReportHandler(
                SubmitWiring.builder(SubmitConfig.fromEnv(stack.env("SubmitReportFunction")), stack.clients())
                        .build());
    }

    /** The sample diary of events/publish-questionnaire.json (with its German translation), as this study's. */
    private String publishDiary(String studyId) throws Exception {
        APIGatewayV2HTTPEvent event = SampleEvents.httpApi("publish-questionnaire.json");
        ObjectNode q = (ObjectNode) Json.mapper().readTree(event.getBody());
        q.put("url", "https://example.org/studies/" + studyId + "/Questionnaire/sleep-diary");
        event.setRawPath("/v1/studies/" + studyId + "/questionnaires");
        event.setPathParameters(Map.of("studyId", studyId));
        Map<String, String> claims =
                new HashMap<>(event.getRequestContext().getAuthorizer().getJwt().getClaims());
        claims.put("studies", "[" + studyId + "]");
        claims.put("roles", "[study-designer]");
        claims.put("sub", UUID.randomUUID().toString());
        event.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
        event.setBody(q.toString());
        APIGatewayV2HTTPResponse published = admin.handleRequest(event, null);
        assertThat(published.getStatusCode()).as(published.getBody()).isEqualTo(201);
        return q.path("url").asText() + "|" + q.path("version").asText();
    }

    /**
     * The patient's answers: slept badly (so the night group is enabled), awake six times, a little rested.
     *
     * @param sleptWell "yes" leaves the night group disabled and unanswered
     */
    private Report answer(String studyId, String subjectId, String canonical, String language, String sleptWell) {
        ObjectNode qr = response(canonical, language);
        ArrayNode items = qr.putArray("item");
        items.addObject()
                .put("linkId", "slept-well")
                .putArray("answer")
                .addObject()
                .putObject("valueCoding")
                .put("system", YN)
                .put("code", sleptWell);
        if (sleptWell.equals("no")) {
            items.addObject()
                    .put("linkId", "night")
                    .putArray("item")
                    .addObject()
                    .put("linkId", "awake-times")
                    .putArray("answer")
                    .addObject()
                    .put("valueInteger", 6);
        }
        items.addObject()
                .put("linkId", "rested")
                .putArray("answer")
                .addObject()
                .putObject("valueCoding")
                .put("system", REST)
                .put("code", "a-little");
        return submitted(studyId, subjectId, qr);
    }

    private static ObjectNode response(String canonical, String language) {
        ObjectNode qr = SampleResponses.envelope(
                canonical, SampleResponses.authored(Instant.now().minus(5, ChronoUnit.MINUTES), ZoneOffset.ofHours(1)));
        if (language != null) {
            qr.put("language", language);
        }
        return qr;
    }

    /** Posts the response as the subject's app does, and projects the stored report as index-report does. */
    private Report submitted(String studyId, String subjectId, ObjectNode qr) {
        APIGatewayV2HTTPEvent event = SampleEvents.httpApi("submit-phq9.json");
        Map<String, String> claims =
                new HashMap<>(event.getRequestContext().getAuthorizer().getJwt().getClaims());
        claims.put("study_id", studyId);
        claims.put("site_id", "SITE-01");
        claims.put("subject_id", subjectId);
        claims.put("sub", UUID.randomUUID().toString());
        event.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.put("idempotency-key", UUID.randomUUID().toString());
        event.setHeaders(headers);
        event.setBody(qr.toString());
        APIGatewayV2HTTPResponse stored = submit.handleRequest(event, null);
        assertThat(stored.getStatusCode()).as(stored.getBody()).isEqualTo(201);
        List<Map<String, AttributeValue>> storedItems = stack.clients()
                .dynamo()
                .scan(b -> b.tableName(stack.ref("ReportsTable"))
                        .filterExpression("begins_with(pk, :r) AND subjectId = :s AND studyId = :study")
                        .expressionAttributeValues(Map.of(
                                ":r",
                                AttributeValue.fromS("R#"),
                                ":s",
                                AttributeValue.fromS(subjectId),
                                ":study",
                                AttributeValue.fromS(studyId))))
                .items();
        assertThat(storedItems).hasSize(1);
        Report report = ReportItems.fromItem(storedItems.get(0));
        // the projection rows index-report writes for it (the export reads those)
        exports.seed(List.of(report));
        return report;
    }

    private String today() {
        return LocalDate.now(ZoneOffset.UTC).toString();
    }

    private JsonNode finished(String studyId, String body) throws Exception {
        String exportId = exports.request(studyId, body, "export-identified");
        exports.drain();
        JsonNode job = exports.status(exportId, studyId, "export-identified");
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        return job;
    }

    private byte[] file(JsonNode job) throws Exception {
        return exports.download(job.path("download").path("url").asText()).body();
    }

    private String dictionary(JsonNode job) {
        return stack.clients()
                .s3()
                .getObjectAsBytes(b -> b.bucket(exports.bucket)
                        .key(ExportObjects.dictionaryKey(job.path("exportId").asText())))
                .asUtf8String();
    }

    @Test
    void aStudysPublishedQuestionnaireIsExportedAsCsvWithItsItemsAndTheirTexts() throws Exception {
        // GIVEN a study that published its own diary, and a patient who answered it
        String study = "ST-" + UUID.randomUUID();
        String canonical = publishDiary(study);
        Report report = answer(study, "SUBJ-1", canonical, "en", "no");

        // WHEN staff export the study as CSV, naming the study's questionnaire
        JsonNode job = finished(study, """
                {"format":"csv","from":"%s","to":"%s","profile":"identified","questionnaires":["sleep-diary"]}""".formatted(today(), today()));

        // THEN the row carries the diary's answers under its items' linkIds
        List<Map<String, String>> rows = ExportFiles.rows("csv", file(job));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0))
                .containsEntry("reportId", report.reportId())
                .containsEntry("questionnaire", "sleep-diary")
                .containsEntry("slept-well", "no")
                .containsEntry("awake-times", "6")
                .containsEntry("rested", "a-little");
        // AND the dictionary describes them with the published texts and codes
        String dictionary = dictionary(job);
        assertThat(dictionary)
                .contains(
                        "Did you sleep well last night?",
                        "How many times were you awake?",
                        "How rested do you feel?",
                        "no = No");
        // AND no built-in instrument's items were exported for a request that named only the diary
        assertThat(rows.get(0)).doesNotContainKey("phq9-1");
    }

    @Test
    void aStudysPublishedQuestionnaireIsExportedAsOdmWithItsItemDefsAndAnswers() throws Exception {
        // GIVEN a study that published its own diary, and a patient who answered it
        String study = "ST-" + UUID.randomUUID();
        String canonical = publishDiary(study);
        answer(study, "SUBJ-2", canonical, "en", "no");

        // WHEN staff export the study as ODM
        JsonNode job = finished(study, """
                {"format":"odm-xml","from":"%s","to":"%s","profile":"identified"}""".formatted(today(), today()));

        // THEN the metadata defines the diary's items with their texts, and the clinical data holds the answers
        String xml = new String(file(job), StandardCharsets.UTF_8);
        assertThat(xml)
                .contains(
                        "Did you sleep well last night?", "How many times were you awake?", "How rested do you feel?");
        assertThat(xml).containsPattern("<ItemData ItemOID=\"[^\"]*slept-well[^\"]*\" Value=\"no\"");
        assertThat(xml).containsPattern("<ItemData ItemOID=\"[^\"]*awake-times[^\"]*\" Value=\"6\"");
    }

    @Test
    void aQuestionnaireAnotherStudyPublishedIsUnknownToThisStudysExport() throws Exception {
        // GIVEN study A published the diary; study B did not
        String a = "ST-" + UUID.randomUUID();
        String b = "ST-" + UUID.randomUUID();
        publishDiary(a);

        // WHEN B's staff ask for an export of it, and A's staff too
        APIGatewayV2HTTPResponse forB = exports.post(b, """
                {"format":"csv","from":"%s","to":"%s","questionnaires":["sleep-diary"]}""".formatted(today(), today()), b, null);
        APIGatewayV2HTTPResponse forA = exports.post(a, """
                {"format":"csv","from":"%s","to":"%s","questionnaires":["sleep-diary"]}""".formatted(today(), today()), a, null);

        // THEN B gets 422 naming the field and no job is stored for B; A's request is accepted
        assertThat(forB.getStatusCode()).isEqualTo(422);
        assertThat(forB.getBody()).contains("/questionnaires/0", "unknown-questionnaire");
        assertThat(exports.exportItems(b)).isEmpty();
        assertThat(forA.getStatusCode()).as(forA.getBody()).isEqualTo(202);
    }

    @Test
    void aGermanSubmissionExportsLanguageDeInCsvFhirNdjsonAndOdm() throws Exception {
        // GIVEN the study's diary (it has a German translation), answered once in German and once in English
        String study = "ST-" + UUID.randomUUID();
        String canonical = publishDiary(study);
        Report german = answer(study, "SUBJ-DE", canonical, "de", "no");
        Report english = answer(study, "SUBJ-EN", canonical, "en", "no");
        assertThat(german.language()).isEqualTo("de");
        String range = "\"from\":\"%s\",\"to\":\"%s\"".formatted(today(), today());

        // WHEN staff export it as CSV, FHIR NDJSON and ODM
        List<Map<String, String>> csv = ExportFiles.rows(
                "csv", file(finished(study, "{\"format\":\"csv\"," + range + ",\"profile\":\"identified\"}")));
        String ndjson = new String(
                file(finished(study, "{\"format\":\"fhir-ndjson\"," + range + ",\"profile\":\"identified\"}")),
                StandardCharsets.UTF_8);
        String odm = new String(
                file(finished(study, "{\"format\":\"odm-xml\"," + range + ",\"profile\":\"identified\"}")),
                StandardCharsets.UTF_8);

        // THEN each row / resource / form carries the language it was answered in
        assertThat(csv)
                .extracting(r -> r.get("subjectId") + ":" + r.get("language"))
                .containsExactlyInAnyOrder("SUBJ-DE:de", "SUBJ-EN:en");
        Map<String, String> byReport = new HashMap<>();
        for (String line : ndjson.split("\n")) {
            JsonNode qr = Json.mapper().readTree(line);
            byReport.put(qr.path("id").asText(), qr.path("language").asText(null));
        }
        assertThat(byReport).containsEntry(german.reportId(), "de").containsEntry(english.reportId(), "en");
        assertThat(odm)
                .contains(
                        "<ItemData ItemOID=\"I.REPORT.LANGUAGE\" Value=\"de\"/>",
                        "<ItemData ItemOID=\"I.REPORT.LANGUAGE\" Value=\"en\"/>");
    }

    @Test
    void aDisabledItemIsExportedEmptyNotZeroAndTheDictionarySaysWhenEachItemIsAsked() throws Exception {
        // GIVEN a patient who slept well, so the night group (awake-times) was not asked
        String study = "ST-" + UUID.randomUUID();
        String canonical = publishDiary(study);
        Report report = answer(study, "SUBJ-3", canonical, "en", "yes");
        assertThat(report.disabled()).contains("awake-times");

        // WHEN staff export it as CSV, wide and long
        String range = "\"from\":\"%s\",\"to\":\"%s\"".formatted(today(), today());
        JsonNode wideJob = finished(study, "{\"format\":\"csv\"," + range + ",\"profile\":\"identified\"}");
        List<Map<String, String>> wide = ExportFiles.rows("csv", file(wideJob));
        List<Map<String, String>> tidy = ExportFiles.rows(
                "csv",
                file(finished(
                        study, "{\"format\":\"csv\"," + range + ",\"profile\":\"identified\",\"layout\":\"long\"}")));

        // THEN awake-times is an empty cell (not 0), and the long layout has no row for it
        assertThat(wide).singleElement().satisfies(r -> {
            assertThat(r).containsEntry("slept-well", "yes").containsEntry("rested", "a-little");
            assertThat(r.get("awake-times")).isNullOrEmpty();
        });
        assertThat(tidy)
                .extracting(r -> r.get("item"))
                .contains("slept-well", "rested")
                .doesNotContain("awake-times");
        // AND the dictionary states each item's enableWhen in words
        List<Map<String, String>> dictionary =
                ExportFiles.rows("csv", dictionary(wideJob).getBytes(StandardCharsets.UTF_8));
        Map<String, String> asked = new HashMap<>();
        dictionary.forEach(e -> asked.put(e.get("variable"), e.get("enableWhen")));
        assertThat(asked.get("slept-well")).isEqualTo("Always asked.");
        assertThat(asked.get("awake-times"))
                .contains("its group 'night' is asked")
                .contains("'slept-well' (Did you sleep well last night?)")
                .contains("No [no]");
    }

    @Test
    void aProCtcaeReportWhoseFrequencyIsNeverExportsSeverityAndInterferenceZeroWithTheBranchSkippedFlag()
            throws Exception {
        // GIVEN a PRO-CTCAE response: nausea rarely/mild, fatigue none, pain never (severity, interference not asked)
        String study = "ST-" + UUID.randomUUID();
        ObjectNode qr = response(PRO_CTCAE, null);
        ArrayNode items = qr.putArray("item");
        for (String[] a : new String[][] {
            {"nausea-frequency", "rarely"},
            {"nausea-severity", "mild"},
            {"fatigue-severity", "none"},
            {"pain-frequency", "never"}
        }) {
            items.addObject()
                    .put("linkId", a[0])
                    .putArray("answer")
                    .addObject()
                    .putObject("valueCoding")
                    .put("system", CTCAE)
                    .put("code", a[1]);
        }
        submitted(study, "SUBJ-4", qr);

        // WHEN staff export PRO-CTCAE as CSV, wide and long
        String range = "\"from\":\"%s\",\"to\":\"%s\"".formatted(today(), today());
        JsonNode wideJob = finished(
                study,
                "{\"format\":\"csv\"," + range + ",\"profile\":\"identified\",\"questionnaires\":[\"pro-ctcae\"]}");
        Map<String, String> wide = ExportFiles.rows("csv", file(wideJob)).get(0);
        List<Map<String, String>> tidy = ExportFiles.rows(
                "csv",
                file(
                        finished(
                                study,
                                "{\"format\":\"csv\"," + range
                                        + ",\"profile\":\"identified\",\"layout\":\"long\",\"questionnaires\":[\"pro-ctcae\"]}")));

        // THEN the skipped attributes hold the instrument's "not present" option, flagged; answered ones are not
        // flagged
        assertThat(wide)
                .containsEntry("pain-severity", "none")
                .containsEntry("pain-severity.branchSkipped", "true")
                .containsEntry("pain-interference", "not-at-all")
                .containsEntry("pain-interference.branchSkipped", "true")
                .containsEntry("fatigue-interference", "not-at-all")
                .containsEntry("fatigue-interference.branchSkipped", "true")
                .containsEntry("nausea-severity", "mild")
                .containsEntry("nausea-severity.branchSkipped", "false");
        // AND an item the instrument never records for a skip has no flag column
        assertThat(wide).doesNotContainKey("pain-frequency.branchSkipped");
        // AND the long layout scores them 0 with the flag field set
        Map<String, Map<String, String>> rows = new HashMap<>();
        tidy.forEach(r -> rows.put(r.get("item"), r));
        assertThat(rows.get("pain-severity")).containsEntry("value", "0").containsEntry("branchSkipped", "true");
        assertThat(rows.get("pain-interference")).containsEntry("value", "0").containsEntry("branchSkipped", "true");
        assertThat(rows.get("nausea-severity")).containsEntry("value", "1").containsEntry("branchSkipped", "false");
        // AND the dictionary describes the flag and says when the attribute is asked
        String dictionary = dictionary(wideJob);
        assertThat(dictionary).contains("pain-severity.branchSkipped", "flagged branch-skipped");
    }
}
