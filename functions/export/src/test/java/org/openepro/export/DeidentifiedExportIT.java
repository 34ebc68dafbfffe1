package org.openepro.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openepro.core.json.Json;
import org.openepro.core.report.Report;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedStack;
import org.openepro.export.profile.PseudonymStore;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@ExtendWith(AwsEmulatorExtension.class)
class DeidentifiedExportIT {
    private static final List<String> FORMATS = List.of("csv", "json", "ndjson", "xlsx", "fhir-ndjson");
    private static final String CALENDAR_DATE = "(19|20)\\d\\d-\\d\\d-\\d\\d";

    @Test
    void holdsNoSubjectIdNoCalendarDateAndNoFreeTextInAnyFormat(EmulatedStack stack) throws Exception {
        // GIVEN diaries with free text and a date answer, and PHQ-9s, from four subjects
        ExportHarness h = new ExportHarness(stack, Map.of());
        TestReports reports = new TestReports(5);
        String study = "ST-" + UUID.randomUUID();
        List<Report> seeded = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            seeded.add(reports.report(
                    study,
                    "SITE-1",
                    "SUBJ-" + study.substring(3, 9) + "-" + (i % 4),
                    i % 2 == 0 ? "diary" : "phq-9",
                    Instant.parse("2026-03-01T09:00:00Z").plusSeconds(20_000L * i)));
        }
        h.seed(seeded);

        // WHEN the same data is exported de-identified in every format, and once identified as a control
        List<String> pseudonymsSeen = new ArrayList<>();
        for (String format : FORMATS) {
            String text = export(h, study, format, "deidentified", null);

            // THEN no subject id, report id, calendar date or free text appears
            for (Report r : seeded) {
                assertThat(text).as(format).doesNotContain(r.subjectId(), r.reportId(), r.submittedBy());
            }
            assertThat(text).as(format).doesNotContain(TestReports.FREE_TEXT).doesNotContainPattern(CALENDAR_DATE);
            pseudonymsSeen.add(text);
        }
        String identified = export(h, study, "fhir-ndjson", "identified", "export-identified");
        assertThat(identified)
                .contains(seeded.get(0).subjectId(), TestReports.FREE_TEXT)
                .containsPattern(CALENDAR_DATE);

        // AND each subject has one random pseudonym, the same in every export, held only in the mapping
        var mapping = h.stack
                .clients()
                .dynamo()
                .query(b -> b.tableName(h.stack.ref("ExportsTable"))
                        .keyConditionExpression("pk = :pk")
                        .consistentRead(true)
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(PseudonymStore.pk(study)))))
                .items();
        assertThat(mapping).hasSize(4);
        for (var entry : mapping) {
            String pseudonym = entry.get("pseudonym").s();
            assertThat(pseudonym).matches("P[0-9A-Z]{12}");
            assertThat(entry).containsKey("anchorDay");
            pseudonymsSeen.forEach(text -> assertThat(text).contains(pseudonym));
        }
    }

    @Test
    void studyDaysCountFromTheSubjectsFirstReportWhateverRangeWasExportedFirst(EmulatedStack stack) throws Exception {
        // GIVEN one subject's reports authored on 1 March and on 10 March (and nothing exported yet)
        ExportHarness h = new ExportHarness(stack, Map.of());
        TestReports reports = new TestReports(6);
        String study = "ST-" + UUID.randomUUID();
        String subject = "SUBJ-" + study.substring(3, 9);
        h.seed(List.of(
                reports.report(study, "SITE-1", subject, "phq-9", Instant.parse("2026-03-01T12:00:00Z")),
                reports.report(study, "SITE-1", subject, "phq-9", Instant.parse("2026-03-10T12:00:00Z"))));

        // WHEN the later range is exported first, and then the whole range
        List<JsonNode> later = rows(h, study, "2026-03-10", "2026-03-10");
        List<JsonNode> all = rows(h, study, "2026-03-01", "2026-03-10");

        // THEN day 1 is the subject's first report, in both exports, and the 10 March report is day 10 in both
        assertThat(later).extracting(r -> r.path("authoredDay").asInt()).containsExactly(10);
        assertThat(all).extracting(r -> r.path("authoredDay").asInt()).containsExactly(1, 10);
        assertThat(later.get(0).path("pseudonym").asText())
                .isEqualTo(all.get(1).path("pseudonym").asText());
        var entry = h.stack
                .clients()
                .dynamo()
                .getItem(b -> b.tableName(h.stack.ref("ExportsTable"))
                        .consistentRead(true)
                        .key(Map.of(
                                "pk",
                                AttributeValue.fromS(PseudonymStore.pk(study)),
                                "sk",
                                AttributeValue.fromS(PseudonymStore.sk(subject)))))
                .item();
        assertThat(entry.get("anchorDay").s()).isEqualTo("2026-03-01");
    }

    /** A de-identified json export's rows, in the order the file holds them. */
    private static List<JsonNode> rows(ExportHarness h, String study, String from, String to) throws Exception {
        String exportId = h.request(study, """
                {"format":"json","from":"%s","to":"%s","profile":"deidentified"}""".formatted(from, to), null);
        h.drain();
        JsonNode job = h.status(exportId, study, null);
        assertThat(job.path("status").asText()).isEqualTo("SUCCEEDED");
        List<JsonNode> rows = new ArrayList<>();
        Json.mapper()
                .readTree(h.download(job.path("download").path("url").asText()).body())
                .forEach(rows::add);
        return rows;
    }

    private static String export(ExportHarness h, String study, String format, String profile, String roles)
            throws Exception {
        String exportId = h.request(study, """
                {"format":"%s","from":"2026-03-01","to":"2026-03-05","profile":"%s"}""".formatted(format, profile), roles);
        h.drain();
        JsonNode job = h.status(exportId, study, roles);
        assertThat(job.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(job.path("rowCount").asLong()).isEqualTo(12);
        assertThat(job.path("manifest")
                        .path("extension")
                        .path("openepro")
                        .path("profile")
                        .asText())
                .isEqualTo(profile);
        return ExportFiles.allText(
                format, h.download(job.path("download").path("url").asText()).body());
    }
}
