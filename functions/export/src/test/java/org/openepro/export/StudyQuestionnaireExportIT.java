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
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openepro.core.json.Json;
import org.openepro.core.report.Report;
import org.openepro.core.report.ReportItems;
import org.openepro.local.aws.AwsEmulatorExtension;
import org.openepro.local.aws.EmulatedStack;
import org.openepro.local.aws.SampleEvents;
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

    private EmulatedStack stack;
    private ExportHarness exports;
    private QuestionnaireAdminHandler admin;
    private SubmitReportHandler submit;

    @BeforeEach
    void wire(EmulatedStack stack) {
        this.stack = stack;
        this.exports = new ExportHarness(stack, Map.of());
        this.admin = new QuestionnaireAdminHandler(QuestionnaireAdminWiring.of(
                QuestionnaireAdminConfig.fromEnv(stack.env("QuestionnaireAdminFunction")), stack.clients(),
                Clock.systemUTC()));
        this.submit = new SubmitReportHandler(SubmitWiring.builder(
                SubmitConfig.fromEnv(stack.env("SubmitReportFunction")), stack.clients()).build());
    }

    /** The sample diary of events/publish-questionnaire.json (with its German translation), as this study's. */
    private String publishDiary(String studyId) throws Exception {
        APIGatewayV2HTTPEvent event = SampleEvents.httpApi("publish-questionnaire.json");
        ObjectNode q = (ObjectNode) Json.mapper().readTree(event.getBody());
        q.put("url", "https://example.org/studies/" + studyId + "/Questionnaire/sleep-diary");
        event.setRawPath("/v1/studies/" + studyId + "/questionnaires");
        event.setPathParameters(Map.of("studyId", studyId));
        Map<String, String> claims = new HashMap<>(event.getRequestContext().getAuthorizer().getJwt().getClaims());
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
        ObjectNode qr = Json.mapper().createObjectNode();
        qr.put("resourceType", "QuestionnaireResponse");
        qr.put("questionnaire", canonical);
        qr.put("status", "completed");
        qr.put("authored", Instant.now().minus(5, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS)
                .atOffset(ZoneOffset.ofHours(1)).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        qr.put("language", language);
        ArrayNode items = qr.putArray("item");
        items.addObject().put("linkId", "slept-well").putArray("answer").addObject().putObject("valueCoding")
                .put("system", YN).put("code", sleptWell);
        if (sleptWell.equals("no")) {
            items.addObject().put("linkId", "night").putArray("item").addObject().put("linkId", "awake-times")
                    .putArray("answer").addObject().put("valueInteger", 6);
        }
        items.addObject().put("linkId", "rested").putArray("answer").addObject().putObject("valueCoding")
                .put("system", REST).put("code", "a-little");

        APIGatewayV2HTTPEvent event = SampleEvents.httpApi("submit-phq9.json");
        Map<String, String> claims = new HashMap<>(event.getRequestContext().getAuthorizer().getJwt().getClaims());
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
        List<Map<String, AttributeValue>> storedItems = stack.clients().dynamo().scan(b -> b
                .tableName(stack.ref("ReportsTable"))
                .filterExpression("begins_with(pk, :r) AND subjectId = :s AND studyId = :study")
                .expressionAttributeValues(Map.of(":r", AttributeValue.fromS("R#"), ":s", AttributeValue.fromS(subjectId),
                        ":study", AttributeValue.fromS(studyId)))).items();
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
        return stack.clients().s3().getObjectAsBytes(b -> b.bucket(exports.bucket)
                .key(ExportObjects.dictionaryKey(job.path("exportId").asText()))).asUtf8String();
    }

    @Test
    void aStudysPublishedQuestionnaireIsExportedAsCsvWithItsItemsAndTheirTexts() throws Exception {
        // GIVEN a study that published its own diary, and a patient who answered it
        String study = "ST-" + UUID.randomUUID();
        String canonical = publishDiary(study);
        Report report = answer(study, "SUBJ-1", canonical, "en", "no");

        // WHEN staff export the study as CSV, naming the study's questionnaire
        JsonNode job = finished(study, """
                {"format":"csv","from":"%s","to":"%s","profile":"identified","questionnaires":["sleep-diary"]}"""
                .formatted(today(), today()));

        // THEN the row carries the diary's answers under its items' linkIds
        List<Map<String, String>> rows = ExportFiles.rows("csv", file(job));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).containsEntry("reportId", report.reportId())
                .containsEntry("questionnaire", "sleep-diary").containsEntry("slept-well", "no")
                .containsEntry("awake-times", "6").containsEntry("rested", "a-little");
        // AND the dictionary describes them with the published texts and codes
        String dictionary = dictionary(job);
        assertThat(dictionary).contains("Did you sleep well last night?", "How many times were you awake?",
                "How rested do you feel?", "no = No");
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
        assertThat(xml).contains("Did you sleep well last night?", "How many times were you awake?",
                "How rested do you feel?");
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
                {"format":"csv","from":"%s","to":"%s","questionnaires":["sleep-diary"]}"""
                .formatted(today(), today()), b, null);
        APIGatewayV2HTTPResponse forA = exports.post(a, """
                {"format":"csv","from":"%s","to":"%s","questionnaires":["sleep-diary"]}"""
                .formatted(today(), today()), a, null);

        // THEN B gets 422 naming the field and no job is stored for B; A's request is accepted
        assertThat(forB.getStatusCode()).isEqualTo(422);
        assertThat(forB.getBody()).contains("/questionnaires/0", "unknown-questionnaire");
        assertThat(exports.exportItems(b)).isEmpty();
        assertThat(forA.getStatusCode()).as(forA.getBody()).isEqualTo(202);
    }
}
