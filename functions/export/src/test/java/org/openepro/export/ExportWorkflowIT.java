package org.openepro.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openepro.core.json.Json;
import org.openepro.core.report.Answer;
import org.openepro.core.report.Report;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedStack;
import org.openepro.export.format.ExporterRegistry;
import org.openepro.export.profile.PseudonymStore;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@ExtendWith(AwsEmulatorExtension.class)
class ExportWorkflowIT {
    private final TestReports reports = new TestReports(11);

    /** 30 reports over three days in the range, plus rows that must stay out (other study, day outside the range). */
    private List<Report> seedStudy(ExportHarness h, String study) {
        List<Report> inRange = new ArrayList<>();
        String[] questionnaires = {"phq-9", "eq-5d-5l", "diary"};
        for (int i = 0; i < 30; i++) {
            inRange.add(reports.report(
                    study,
                    "SITE-" + (i % 2),
                    "SUBJ-" + study.substring(0, 4) + "-" + (i % 4),
                    questionnaires[i % 3],
                    Instant.parse("2026-03-01T06:00:00Z").plusSeconds(7_000L * i)));
        }
        List<Report> all = new ArrayList<>(inRange);
        all.add(reports.report(study, "SITE-0", "SUBJ-X", "phq-9", Instant.parse("2026-03-05T06:00:00Z")));
        all.add(reports.report("OTHER-" + study, "SITE-0", "SUBJ-Y", "phq-9", Instant.parse("2026-03-02T06:00:00Z")));
        h.seed(all);
        return inRange;
    }

    @ParameterizedTest
    @ValueSource(strings = {"csv", "json", "ndjson", "xlsx", "fhir-ndjson"})
    void exportsAStudyInEachFormatBehindAShortLivedAuditedLink(String format, EmulatedStack stack) throws Exception {
        // GIVEN a study's reports in the projections
        ExportHarness h = new ExportHarness(stack, Map.of());
        String study = "ST-" + UUID.randomUUID();
        List<Report> expected = seedStudy(h, study);

        // WHEN staff request a limited export of three days and the worker takes the queued message
        String exportId = h.request(study, """
                {"format":"%s","from":"2026-03-01","to":"2026-03-03","profile":"limited"}""".formatted(format), null);
        assertThat(h.status(exportId, study, null).path("status").asText()).isEqualTo("QUEUED");
        h.drain();

        // THEN the job succeeded with its facts
        JsonNode job = h.status(exportId, study, null);
        assertThat(job.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(job.path("rowCount").asLong()).isEqualTo(expected.size());
        assertThat(job.path("format").asText()).isEqualTo(format);
        assertThat(job.path("profile").asText()).isEqualTo("limited");
        assertThat(job.path("questionnaireVersions"))
                .extracting(JsonNode::asText)
                .containsExactlyInAnyOrder(
                        "https://openepro.dev/fhir/Questionnaire/phq-9|1.0.0",
                        "https://openepro.dev/fhir/Questionnaire/eq-5d-5l|1.0.0",
                        "https://openepro.dev/fhir/Questionnaire/diary|1.0.0");
        assertManifest(h, job, study, exportId, format, expected.size());

        // AND the link lives at most 15 minutes and names a file that carries no personal data
        String url = job.path("download").path("url").asText();
        Map<String, String> query = query(url);
        assertThat(Integer.parseInt(query.get("X-Amz-Expires"))).isPositive().isLessThanOrEqualTo(900);
        String disposition = query.get("response-content-disposition");
        assertThat(disposition)
                .isEqualTo("attachment; filename=\"openepro-export-" + exportId + "."
                        + (format.equals("fhir-ndjson") ? "ndjson" : format) + "\"");
        assertThat(URI.create(url).getPath())
                .endsWith("/exports/" + exportId + "/data." + (format.equals("fhir-ndjson") ? "ndjson" : format));

        // AND the file downloaded with a plain HTTP client is saved under that name, with the format's
        // media type, and has the announced size and SHA-256
        HttpResponse<byte[]> download = h.download(url);
        assertThat(download.headers().firstValue("content-disposition")).hasValue(disposition);
        assertThat(download.headers().firstValue("content-type"))
                .hasValue(ExporterRegistry.standard().find(format).orElseThrow().contentType());
        byte[] file = download.body();
        assertThat(job.path("bytes").asLong()).isEqualTo(file.length);
        assertThat(job.path("sha256").asText())
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(file)));

        // AND it holds exactly the study's reports of the range, value for value
        List<Map<String, String>> rows =
                format.equals("fhir-ndjson") ? ExportFiles.fhir(file) : ExportFiles.rows(format, file);
        assertThat(rows).hasSize(expected.size());
        Map<String, String> pseudonyms = pseudonyms(h, study);
        Map<String, Map<String, String>> byId =
                rows.stream().collect(Collectors.toMap(r -> r.get("reportId"), Function.identity()));
        for (Report r : expected) {
            Map<String, String> row = byId.get(r.reportId());
            assertThat(row).as("row of report %s", r.reportId()).isNotNull();
            assertThat(row.getOrDefault("pseudonym", row.get("subject"))).isEqualTo(pseudonyms.get(r.subjectId()));
            for (Answer a : r.answers()) {
                assertThat(row.get(a.linkId())).as("%s %s", format, a.linkId()).isNotNull();
                if (a.type().numeric()) {
                    assertThat(new BigDecimal(row.get(a.linkId())))
                            .as(a.linkId())
                            .isEqualByComparingTo(a.number());
                } else {
                    assertThat(row.get(a.linkId())).as(a.linkId()).isEqualTo(expectedText(a));
                }
            }
        }

        // AND requesting and issuing the link were audited
        assertThat(h.auditActions(study)).contains("EXPORT_REQUESTED", "EXPORT_LINK_ISSUED");

        // AND the export wrote exactly its file, its data dictionary and its manifest, each encrypted
        assertThat(h.assertEveryObjectEncrypted(exportId))
                .containsExactlyInAnyOrder(
                        "exports/" + exportId + "/data." + (format.equals("fhir-ndjson") ? "ndjson" : format),
                        "exports/" + exportId + "/dictionary.csv",
                        "exports/" + exportId + "/manifest.json");

        // AND its provenance names the subjects, the as-of time, the writer and every file's hash
        assertThat(job.path("subjectCount").asLong())
                .isEqualTo(expected.stream().map(Report::subjectId).distinct().count());
        assertThat(Instant.parse(job.path("asOf").asText()))
                .isBetween(
                        Instant.parse(job.path("createdAt").asText()),
                        Instant.parse(job.path("completedAt").asText()));
        assertThat(job.path("writtenBy").asText()).matches("OpenEPRO \\d+\\.\\d+\\.\\d+.*");
        JsonNode files = job.path("files");
        assertThat(files)
                .extracting(f -> f.path("name").asText())
                .containsExactly("data." + (format.equals("fhir-ndjson") ? "ndjson" : format), "dictionary.csv");
        assertThat(files.get(0).path("sha256").asText())
                .isEqualTo(job.path("sha256").asText());
        assertThat(files.get(0).path("rows").asLong()).isEqualTo(expected.size());
        byte[] dictionary =
                h.download(job.path("dictionary").path("url").asText()).body();
        assertThat(files.get(1).path("sha256").asText())
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(dictionary)));
        assertThat(new String(dictionary, StandardCharsets.UTF_8))
                .startsWith("variable,source,questionnaire,")
                .contains("44250-9,item,phq-9,1.0.0 1.1.0,44250-9,Little interest or pleasure in doing things,choice,");
        assertThat(job.path("manifest").path("extension").path("openepro").path("files"))
                .isEqualTo(files);
    }

    /**
     * The manifest GET returns is shaped like a FHIR Bulk Data manifest, with the fresh link as its url;
     * the copy stored next to the file is the same but for how its url reaches the file.
     */
    private static void assertManifest(
            ExportHarness h, JsonNode job, String study, String exportId, String format, int rows) throws Exception {
        JsonNode manifest = job.path("manifest");
        assertThat(Instant.parse(manifest.path("transactionTime").asText()))
                .isEqualTo(Instant.parse(job.path("createdAt").asText()));
        // the Bulk Data spec's request: the full URL of the kick-off request
        assertThat(manifest.path("request").asText())
                .isEqualTo("https://" + ExportHarness.API_DOMAIN + "/v1/studies/" + study + "/exports");
        assertThat(manifest.path("requiresAccessToken").asBoolean(true)).isFalse();
        assertThat(manifest.path("error").isArray()).isTrue();
        assertThat(manifest.path("output")).hasSize(1);
        JsonNode output = manifest.path("output").get(0);
        assertThat(output.path("type").asText())
                .isEqualTo(format.equals("fhir-ndjson") ? "QuestionnaireResponse" : "ExportRow");
        assertThat(output.path("count").asLong()).isEqualTo(rows);
        assertThat(output.path("url").asText())
                .isEqualTo(job.path("download").path("url").asText());
        assertThat(manifest.path("extension").path("openepro").path("profile").asText())
                .isEqualTo("limited");
        assertThat(manifest.path("extension").path("openepro").path("links").asText())
                .isEqualTo("/v1/exports/" + exportId);

        JsonNode stored = json(h.stack
                .clients()
                .s3()
                .getObjectAsBytes(b -> b.bucket(h.bucket).key("exports/" + exportId + "/manifest.json"))
                .asUtf8String());
        String dataName = "data." + (format.equals("fhir-ndjson") ? "ndjson" : format);
        assertThat(stored.path("output").get(0).path("url").asText()).isEqualTo(dataName);
        assertThat(URI.create("s3://" + h.bucket + "/exports/" + exportId + "/manifest.json")
                        .resolve(stored.path("output").get(0).path("url").asText())
                        .getPath())
                .isEqualTo("/exports/" + exportId + "/" + dataName);
        assertThat(stored.path("requiresAccessToken").asBoolean(false)).isTrue();
        com.fasterxml.jackson.databind.node.ObjectNode expected = manifest.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode)
                        expected.path("output").get(0))
                .put("url", dataName);
        expected.put("requiresAccessToken", true);
        assertThat(stored).isEqualTo(expected);
    }

    private static String expectedText(Answer a) {
        return switch (a.type()) {
            case CHOICE -> a.code();
            case BOOLEAN -> a.bool().toString();
            default -> a.text();
        };
    }

    @Test
    void filtersBySiteAndQuestionnaireThroughTheSiteIndex(EmulatedStack stack) throws Exception {
        ExportHarness h = new ExportHarness(stack, Map.of("EXPORT_PAGE_LIMIT", "2"));
        String study = "ST-" + UUID.randomUUID();
        List<Report> seeded = seedStudy(h, study);

        String exportId = h.request(study, """
                {"format":"ndjson","from":"2026-03-01","to":"2026-03-03","siteId":"SITE-1",
                 "questionnaires":["phq-9","diary"],"profile":"limited"}""", null);
        h.drain();

        JsonNode job = h.status(exportId, study, null);
        List<String> expected = seeded.stream()
                .filter(r -> r.siteId().equals("SITE-1") && !r.questionnaireId().equals("eq-5d-5l"))
                .map(Report::reportId)
                .toList();
        List<Map<String, String>> rows = ExportFiles.rows(
                "ndjson", h.download(job.path("download").path("url").asText()).body());
        assertThat(rows).extracting(r -> r.get("reportId")).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(expected).isNotEmpty();
    }

    @Test
    void eachGetIssuesAFreshLinkAndAuditsIt(EmulatedStack stack) throws Exception {
        // GIVEN a finished export
        ExportHarness h = new ExportHarness(stack, Map.of());
        String study = "ST-" + UUID.randomUUID();
        seedStudy(h, study);
        String exportId = h.request(study, "{\"format\":\"csv\",\"from\":\"2026-03-01\",\"to\":\"2026-03-01\"}", null);
        h.drain();

        // WHEN its status is read twice, back to back (within the signature's one-second resolution)
        String first =
                h.status(exportId, study, null).path("download").path("url").asText();
        String second =
                h.status(exportId, study, null).path("download").path("url").asText();

        // THEN each GET issued its own link, each naming the audit event that recorded its issue
        assertThat(first).isNotEqualTo(second);
        List<String> issued = h.auditEvents(study).stream()
                .filter(e -> e.get("action").s().equals("EXPORT_LINK_ISSUED"))
                .map(e -> e.get("eventId").s())
                .toList();
        assertThat(issued)
                .hasSize(2)
                .containsExactlyInAnyOrder(
                        query(first).get(ExportRequests.LINK_PARAMETER),
                        query(second).get(ExportRequests.LINK_PARAMETER));

        // AND both links download the same file, to be saved under the export's file name
        HttpResponse<byte[]> a = h.download(first);
        HttpResponse<byte[]> b = h.download(second);
        assertThat(a.body()).isNotEmpty().isEqualTo(b.body());
        for (HttpResponse<byte[]> download : List.of(a, b)) {
            assertThat(download.headers().firstValue("content-disposition"))
                    .hasValue("attachment; filename=\"openepro-export-" + exportId + ".csv\"");
        }
        assertThat(h.status(exportId, study, null).path("profile").asText()).isEqualTo("deidentified");
    }

    @Test
    void aStaffTokenWithoutTheExportScopeIsRefusedAndCreatesNothing(EmulatedStack stack) throws Exception {
        // GIVEN staff assigned to the study whose token lacks the epro/export scope
        ExportHarness h = new ExportHarness(stack, Map.of());
        String study = "ST-" + UUID.randomUUID();
        List<String> scopes = List.of("epro/alerts");

        // WHEN they request an export
        var response = h.post(
                study, "{\"format\":\"csv\",\"from\":\"2026-03-01\",\"to\":\"2026-03-01\"}", study, null, scopes);

        // THEN it is forbidden, and there is no job, no audit event and no queue message
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(403);
        assertThat(response.getHeaders()).containsEntry("content-type", "application/problem+json");
        assertThat(h.exportItems(study)).isEmpty();
        assertThat(h.auditActions(study)).isEmpty();
        assertThat(h.queuedMessages()).isZero();

        // AND the same token cannot read (and so link) an existing export of the study either
        String exportId = h.request(study, "{\"format\":\"csv\",\"from\":\"2026-03-01\",\"to\":\"2026-03-01\"}", null);
        h.drain();
        assertThat(h.get(exportId, study, null, scopes).getStatusCode()).isEqualTo(403);
        assertThat(h.auditActions(study)).doesNotContain("EXPORT_LINK_ISSUED");
    }

    @Test
    void anotherStudysStaffCannotReadTheJob(EmulatedStack stack) throws Exception {
        ExportHarness h = new ExportHarness(stack, Map.of());
        String study = "ST-" + UUID.randomUUID();
        String exportId = h.request(study, "{\"format\":\"csv\",\"from\":\"2026-03-01\",\"to\":\"2026-03-01\"}", null);

        assertThat(h.get(exportId, "SOME-OTHER-STUDY", null).getStatusCode()).isEqualTo(403);
        assertThat(h.get(UUID.randomUUID().toString(), study, null).getStatusCode())
                .isEqualTo(404);
        assertThat(h.auditActions(study)).doesNotContain("EXPORT_LINK_ISSUED");
    }

    private static Map<String, String> pseudonyms(ExportHarness h, String study) {
        return h
                .stack
                .clients()
                .dynamo()
                .query(b -> b.tableName(h.stack.ref("ExportsTable"))
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(PseudonymStore.pk(study)))))
                .items()
                .stream()
                .collect(Collectors.toMap(
                        i -> i.get("sk").s().substring(2),
                        i -> i.get("pseudonym").s()));
    }

    static Map<String, String> query(String url) {
        return java.util.Arrays.stream(URI.create(url).getRawQuery().split("&"))
                .map(p -> p.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
    }

    static JsonNode json(String body) throws java.io.IOException {
        return Json.mapper().readTree(body);
    }
}
