package org.openepro.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openepro.core.audit.Actor;
import org.openepro.core.audit.ActorRole;
import org.openepro.core.audit.AuditAction;
import org.openepro.core.audit.AuditEvent;
import org.openepro.core.audit.AuditLog;
import org.openepro.core.json.Json;
import org.openepro.core.report.Answer;
import org.openepro.core.report.Report;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedLambdaContext;
import org.openepro.emulator.EmulatedStack;

@ExtendWith(AwsEmulatorExtension.class)
class AuditCsvExportIT {
    private static final List<String> MONITOR_SCOPES = List.of("epro/export", "epro/alerts");
    private static final String SECRET_ANSWER = "Zq7-private-diary-text";
    private static final Actor PATIENT = new Actor("patient-sub-91", EnumSet.of(ActorRole.PATIENT));
    private static final Actor NURSE = new Actor("nurse-sub-12", EnumSet.of(ActorRole.RESEARCH_NURSE));
    private static final String GUARDED_REASON = "=HYPERLINK(\"http://evil.example\",\"x\")";

    private final TestReports reports = new TestReports(41);

    @Test
    void exportsTheStudysTrailInTheRangeOldestFirstWithoutAnswersAndWithFormulasGuarded(EmulatedStack stack)
            throws Exception {
        // GIVEN a report with a free-text answer, and the study's trail: its creation, an amendment whose reason a
        // spreadsheet would run, an acknowledgement; plus events just outside [from, to+1 day) and another study's
        ExportHarness h = new ExportHarness(stack, Map.of());
        AuditLog audit = new AuditLog(stack.clients().dynamo(), stack.ref("AuditTable"));
        String study = "ST-" + UUID.randomUUID();
        String other = "ST-" + UUID.randomUUID();
        Report report = withComment(
                reports.report(study, "SITE-1", "SUBJ-7", "diary", Instant.parse("2026-05-01T08:55:00Z")),
                SECRET_ANSWER);
        h.seed(List.of(report));
        List<AuditEvent> inRange = List.of(
                created(study, report.reportId(), "2026-05-01T00:00:00Z"),
                AuditEvent.of(AuditAction.REPORT_AMENDED, PATIENT, Instant.parse("2026-05-01T10:00:00Z"))
                        .study(study)
                        .entity(report.reportId())
                        .reason(GUARDED_REASON)
                        .detail("version", "2")
                        .detail("subjectId", "SUBJ-7")
                        .build(),
                AuditEvent.of(AuditAction.ALERT_ACKNOWLEDGED, NURSE, Instant.parse("2026-05-02T23:59:59.999Z"))
                        .study(study)
                        .entity("AL-1")
                        .reason("Called back, \"fine\", no action")
                        .detail("reportId", report.reportId())
                        .detail("severity", "URGENT")
                        .build());
        List<AuditEvent> outside = List.of(
                created(study, "R-before", "2026-04-30T23:59:59.999Z"),
                created(study, "R-after", "2026-05-03T00:00:00Z"),
                created(other, "R-other", "2026-05-01T12:00:00Z"));
        // written newest first: the file's order must come from the sort key, not from the writes
        for (AuditEvent e : List.of(
                inRange.get(2), outside.get(0), inRange.get(1), outside.get(2), inRange.get(0), outside.get(1))) {
            audit.append(e);
        }

        // WHEN a monitor asks for the trail of 1-2 May and downloads it
        String exportId = requestTrail(h, study, """
                {"format":"audit-csv","from":"2026-05-01","to":"2026-05-02"}""");
        h.drain();
        JsonNode job = h.status(exportId, study, null, MONITOR_SCOPES);
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        byte[] file = h.download(job.path("download").path("url").asText()).body();
        String text = new String(file, StandardCharsets.UTF_8);

        // THEN it holds exactly the study's events in the range, oldest first, with every field as stored
        assertThat(text).startsWith("at,eventId,action,actorRole,actor,entityType,entityId,reason,details\r\n");
        List<Map<String, String>> rows = ExportFiles.rows("csv", file);
        assertThat(rows)
                .extracting(r -> r.get("eventId"))
                .containsExactlyElementsOf(
                        inRange.stream().map(AuditEvent::eventId).toList());
        assertThat(rows.get(0))
                .containsEntry("at", "2026-05-01T00:00:00.000Z")
                .containsEntry("action", "REPORT_CREATED")
                .containsEntry("actorRole", "patient")
                .containsEntry("actor", "patient-sub-91")
                .containsEntry("entityType", "report")
                .containsEntry("entityId", report.reportId())
                .containsEntry(
                        "details",
                        "{\"questionnaire\":\"diary|1\",\"siteId\":\"SITE-1\",\"subjectId\":\"SUBJ-7\","
                                + "\"version\":\"1\"}");
        assertThat(rows.get(0).get("reason")).isNullOrEmpty();
        // AND a reason a spreadsheet would evaluate starts with an apostrophe; quotes and commas survive
        assertThat(rows.get(1)).containsEntry("reason", "'" + GUARDED_REASON).containsEntry("action", "REPORT_AMENDED");
        assertThat(rows.get(2))
                .containsEntry("reason", "Called back, \"fine\", no action")
                .containsEntry("actorRole", "research-nurse")
                .containsEntry("entityType", "alert")
                .containsEntry("at", "2026-05-02T23:59:59.999Z");

        // AND no answer, nothing of the other study and nothing outside the range is in the file
        assertThat(text)
                .doesNotContain(SECRET_ANSWER)
                .doesNotContain("R-before")
                .doesNotContain("R-after")
                .doesNotContain("R-other")
                .doesNotContain(other);
        for (AuditEvent e : outside) {
            assertThat(text).doesNotContain(e.eventId());
        }

        // AND the job and its manifest carry the row count, size, SHA-256 and the identified profile (ids as stored)
        assertThat(job.path("format").asText()).isEqualTo("audit-csv");
        assertThat(job.path("profile").asText()).isEqualTo("identified");
        assertThat(job.path("rowCount").asLong()).isEqualTo(3);
        assertThat(job.path("subjectCount").asLong()).isEqualTo(1);
        assertThat(job.path("bytes").asLong()).isEqualTo(file.length);
        assertThat(job.path("sha256").asText())
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(file)));
        assertThat(job.path("download").path("fileName").asText()).isEqualTo("openepro-export-" + exportId + ".csv");
        assertThat(job.path("manifest").path("output").get(0).path("type").asText())
                .isEqualTo("AuditEvent");

        // AND its data dictionary describes the nine columns
        List<Map<String, String>> dictionary = ExportFiles.rows(
                "csv", h.download(job.path("dictionary").path("url").asText()).body());
        assertThat(dictionary)
                .extracting(r -> r.get("variable"))
                .containsExactly(
                        "at", "eventId", "action", "actorRole", "actor", "entityType", "entityId", "reason", "details");
        assertThat(dictionary).allSatisfy(r -> assertThat(r.get("text")).isNotBlank());
    }

    @Test
    void anEntityFilterKeepsOnlyThatEntitysEventsOfThisStudy(EmulatedStack stack) throws Exception {
        // GIVEN two reports' events, and the same report id in another study
        ExportHarness h = new ExportHarness(stack, Map.of());
        AuditLog audit = new AuditLog(stack.clients().dynamo(), stack.ref("AuditTable"));
        String study = "ST-" + UUID.randomUUID();
        AuditEvent first = created(study, "R-1", "2026-05-01T08:00:00Z");
        AuditEvent second = AuditEvent.of(AuditAction.REPORT_VIEWED, NURSE, Instant.parse("2026-05-01T09:00:00Z"))
                .study(study)
                .entity("R-1")
                .detail("versions", "1")
                .build();
        AuditEvent another = created(study, "R-2", "2026-05-01T08:30:00Z");
        AuditEvent elsewhere = created("ST-" + UUID.randomUUID(), "R-1", "2026-05-01T08:45:00Z");
        for (AuditEvent e : List.of(second, another, elsewhere, first)) {
            audit.append(e);
        }

        // WHEN the trail of report R-1 is exported
        String exportId = requestTrail(h, study, """
                {"format":"audit-csv","from":"2026-05-01","to":"2026-05-01","entity":"report:R-1"}""");
        h.drain();
        JsonNode job = h.status(exportId, study, null, MONITOR_SCOPES);
        List<Map<String, String>> rows = ExportFiles.rows(
                "csv", h.download(job.path("download").path("url").asText()).body());

        // THEN only this study's events about R-1 are in it, oldest first
        assertThat(rows).extracting(r -> r.get("eventId")).containsExactly(first.eventId(), second.eventId());
        assertThat(h.auditEvents(study))
                .filteredOn(i -> i.get("action").s().equals("EXPORT_REQUESTED"))
                .singleElement()
                .satisfies(
                        i -> assertThat(i.get("details").m().get("entity").s()).isEqualTo("report:R-1"));
    }

    @Test
    void aTrailCutByDeadlinesContinuesOnTheSortKeyAndCompletes(EmulatedStack stack) throws Exception {
        // GIVEN 150 events, and a worker whose every invocation runs out of time after a few dozen rows
        ExportHarness h = new ExportHarness(stack, Map.of());
        AuditLog audit = new AuditLog(stack.clients().dynamo(), stack.ref("AuditTable"));
        String study = "ST-" + UUID.randomUUID();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            AuditEvent e = created(
                    study,
                    "R-" + i,
                    Instant.parse("2026-05-01T00:00:00Z").plusSeconds(60L * i).toString());
            audit.append(e);
            ids.add(e.eventId());
        }
        String exportId = requestTrail(h, study, """
                {"format":"audit-csv","from":"2026-05-01","to":"2026-05-01"}""");

        // WHEN the worker handles what the queue delivers, every message delivered twice
        h.drain(() -> EmulatedLambdaContext.running("ExportWorkerFunction", 3, 300_000, 1_000), true);

        // THEN it took several invocations and the file holds every event once, in order, as announced
        JsonNode job = h.status(exportId, study, null, MONITOR_SCOPES);
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(h.invocations).isGreaterThanOrEqualTo(3);
        byte[] file = h.download(job.path("download").path("url").asText()).body();
        assertThat(ExportFiles.rows("csv", file))
                .extracting(r -> r.get("eventId"))
                .containsExactlyElementsOf(ids);
        assertThat(job.path("rowCount").asLong()).isEqualTo(150);
        assertThat(job.path("subjectCount").asLong()).isEqualTo(1);
        assertThat(job.path("sha256").asText())
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(file)));
        assertThat(h.objectKeys(exportId))
                .containsExactlyInAnyOrder(
                        "exports/" + exportId + "/data.csv",
                        "exports/" + exportId + "/dictionary.csv",
                        "exports/" + exportId + "/manifest.json");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a de-identified trail     | epro/export epro/alerts | {"format":"audit-csv","from":"2026-05-01","to":"2026-05-02","profile":"deidentified"} | 422 | validation-failed
            a site                    | epro/export epro/alerts | {"format":"audit-csv","from":"2026-05-01","to":"2026-05-02","siteId":"SITE-1"}        | 422 | validation-failed
            a layout                  | epro/export epro/alerts | {"format":"audit-csv","from":"2026-05-01","to":"2026-05-02","layout":"long"}          | 422 | validation-failed
            questionnaires            | epro/export epro/alerts | {"format":"audit-csv","from":"2026-05-01","to":"2026-05-02","questionnaires":["phq-9"]} | 422 | validation-failed
            an unknown entity type    | epro/export epro/alerts | {"format":"audit-csv","from":"2026-05-01","to":"2026-05-02","entity":"patient:P-1"}   | 400 | invalid-parameters
            an entity without an id   | epro/export epro/alerts | {"format":"audit-csv","from":"2026-05-01","to":"2026-05-02","entity":"report"}        | 400 | invalid-parameters
            an entity of a csv export | epro/export epro/alerts | {"format":"csv","from":"2026-05-01","to":"2026-05-02","entity":"report:R-1"}          | 422 | validation-failed
            an inverted range         | epro/export epro/alerts | {"format":"audit-csv","from":"2026-05-03","to":"2026-05-02"}                          | 422 | validation-failed
            no audit scope            | epro/export             | {"format":"audit-csv","from":"2026-05-01","to":"2026-05-02"}                          | 403 | forbidden
            """)
    void refusesABadTrailRequestWithAProblemAndCreatesNothing(
            String why, String scopes, String body, int status, String problem, EmulatedStack stack) throws Exception {
        // GIVEN staff assigned to the study, with a trail to export
        ExportHarness h = new ExportHarness(stack, Map.of());
        String study = "ST-" + UUID.randomUUID();
        int queuedBefore = h.queuedMessages();

        // WHEN they ask for it in a way the rules refuse
        APIGatewayV2HTTPResponse response = h.post(study, body, study, null, List.of(scopes.split(" ")));

        // THEN a problem document says why, naming the field when a field is wrong
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders()).containsEntry("content-type", "application/problem+json");
        JsonNode doc = Json.mapper().readTree(response.getBody());
        assertThat(doc.path("type").asText()).endsWith("/" + problem);
        assertThat(doc.path("status").asInt()).isEqualTo(status);
        if (status != 403) {
            assertThat(doc.toString())
                    .contains(
                            body.contains("entity")
                                    ? "/entity"
                                    : body.contains("profile")
                                            ? "/profile"
                                            : body.contains("siteId")
                                                    ? "/siteId"
                                                    : body.contains("layout")
                                                            ? "/layout"
                                                            : body.contains("questionnaires")
                                                                    ? "/questionnaires"
                                                                    : "/to");
        }

        // AND nothing was created: no job, no audit event, no queue message
        assertThat(h.exportItems(study)).isEmpty();
        assertThat(h.auditActions(study)).isEmpty();
        assertThat(h.queuedMessages()).isEqualTo(queuedBefore);
    }

    @Test
    void aTrailsStatusAndLinkNeedTheAuditScopeToo(EmulatedStack stack) throws Exception {
        // GIVEN a finished trail export
        ExportHarness h = new ExportHarness(stack, Map.of());
        String study = "ST-" + UUID.randomUUID();
        new AuditLog(stack.clients().dynamo(), stack.ref("AuditTable"))
                .append(created(study, "R-1", "2026-05-01T08:00:00Z"));
        String exportId = requestTrail(h, study, """
                {"format":"audit-csv","from":"2026-05-01","to":"2026-05-01"}""");
        h.drain();
        int linksBefore = (int) h.auditActions(study).stream()
                .filter("EXPORT_LINK_ISSUED"::equals)
                .count();

        // WHEN staff with the export scope only ask for its link
        APIGatewayV2HTTPResponse response = h.get(exportId, study, null, List.of("epro/export"));

        // THEN they are refused, and no link was issued or audited
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(403);
        assertThat(response.getBody()).doesNotContain("X-Amz-Signature");
        assertThat(h.auditActions(study).stream()
                        .filter("EXPORT_LINK_ISSUED"::equals)
                        .count())
                .isEqualTo(linksBefore);
    }

    private static String requestTrail(ExportHarness h, String study, String body) throws Exception {
        APIGatewayV2HTTPResponse r = h.post(study, body, study, null, MONITOR_SCOPES);
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(202);
        return Json.mapper().readTree(r.getBody()).path("exportId").asText();
    }

    private static AuditEvent created(String study, String reportId, String at) {
        return AuditEvent.of(AuditAction.REPORT_CREATED, PATIENT, Instant.parse(at))
                .study(study)
                .entity(reportId)
                .detail("version", "1")
                .detail("questionnaire", "diary|1")
                .detail("siteId", "SITE-1")
                .detail("subjectId", "SUBJ-7")
                .build();
    }

    private static Report withComment(Report r, String comment) {
        List<Answer> answers = new ArrayList<>();
        for (Answer a : r.answers()) {
            answers.add(a.linkId().equals("comment") ? Answer.text("comment", a.type(), comment) : a);
        }
        return r.toBuilder().answers(answers).build();
    }
}
