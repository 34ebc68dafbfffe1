package org.openepro.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openepro.core.json.Json;
import org.openepro.core.report.Answer;
import org.openepro.core.report.Report;
import org.openepro.core.report.Score;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedStack;
import org.openepro.export.format.CsvReading;

@ExtendWith(AwsEmulatorExtension.class)
class ExportLayoutsIT {
    private final TestReports reports = new TestReports(23);

    private List<Report> seed(ExportHarness h, String study) {
        List<Report> all = reports.series(
                study,
                12,
                i -> "SITE-1",
                3,
                List.of("phq-9", "eq-5d-5l", "diary"),
                Instant.parse("2026-03-01T06:00:00Z"),
                3_000L);
        h.seed(all);
        return all;
    }

    @Test
    void perQuestionnaireCsvIsAZipWithEachQuestionnairesOwnColumns(EmulatedStack stack) throws Exception {
        // GIVEN a study's reports of three questionnaires
        ExportHarness h = new ExportHarness(stack, Map.of());
        String study = "ST-" + UUID.randomUUID();
        List<Report> expected = seed(h, study);

        // WHEN staff ask for csv per questionnaire and the worker runs
        String exportId = h.request(study, """
                {"format":"csv","layout":"per-questionnaire","from":"2026-03-01","to":"2026-03-01","profile":"limited"}""", null);
        h.drain();

        // THEN the download is a zip named .zip, with a CSV a questionnaire and the dictionary
        JsonNode job = h.status(exportId, study, null);
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.path("layout").asText()).isEqualTo("per-questionnaire");
        assertThat(job.path("download").path("fileName").asText()).endsWith(".zip");
        byte[] zip = h.download(job.path("download").path("url").asText()).body();
        assertThat(TestReports.sha256(zip)).isEqualTo(job.path("sha256").asText());
        Map<String, byte[]> files = TestReports.unzip(zip);
        assertThat(files.keySet())
                .containsExactlyInAnyOrder("phq-9.csv", "eq-5d-5l.csv", "diary.csv", "dictionary.csv");

        // AND each file holds that questionnaire's reports only, value for value, and none of the others' items
        for (String qid : List.of("phq-9", "eq-5d-5l", "diary")) {
            List<List<String>> rows = CsvReading.parse(new String(files.get(qid + ".csv"), StandardCharsets.UTF_8));
            List<String> header = rows.get(0);
            List<Report> mine = expected.stream()
                    .filter(r -> r.questionnaireId().equals(qid))
                    .toList();
            assertThat(rows).hasSize(1 + mine.size());
            for (Report r : mine) {
                List<String> row = rows.stream()
                        .filter(x -> x.get(header.indexOf("reportId")).equals(r.reportId()))
                        .findFirst()
                        .orElseThrow();
                for (Answer a : r.answers()) {
                    String cell = row.get(header.indexOf(a.linkId()));
                    if (a.type().numeric()) {
                        assertThat(new BigDecimal(cell)).isEqualByComparingTo(a.number());
                    } else if (a.code() != null) {
                        assertThat(cell).isEqualTo(a.code());
                    }
                }
            }
            for (String other : List.of("44250-9", "mobility", "mood")) {
                if (!expected.stream()
                        .filter(r -> r.questionnaireId().equals(qid))
                        .findFirst()
                        .orElseThrow()
                        .answer(other)
                        .isPresent()) {
                    assertThat(header).doesNotContain(other);
                }
            }
        }

        // AND the manifest lists every file inside the zip with its hash and rows
        JsonNode inner = job.path("files");
        for (String name : files.keySet()) {
            JsonNode f = null;
            for (JsonNode x : inner) {
                if (x.path("name").asText().equals("data.zip!/" + name)) {
                    f = x;
                }
            }
            assertThat(f).as(name).isNotNull();
            assertThat(f.path("sha256").asText()).isEqualTo(TestReports.sha256(files.get(name)));
        }
        // AND nothing of the sort's scratch is left in the bucket
        assertThat(h.objectKeys(exportId))
                .containsExactlyInAnyOrder(
                        "exports/" + exportId + "/data.zip",
                        "exports/" + exportId + "/dictionary.csv",
                        "exports/" + exportId + "/manifest.json");
    }

    @Test
    void longNdjsonIsOneObjectPerAnswerAndScore(EmulatedStack stack) throws Exception {
        ExportHarness h = new ExportHarness(stack, Map.of());
        String study = "ST-" + UUID.randomUUID();
        List<Report> expected = seed(h, study).stream()
                .filter(r -> r.questionnaireId().equals("phq-9"))
                .toList();

        String exportId = h.request(study, """
                {"format":"ndjson","layout":"long","questionnaires":["phq-9"],"from":"2026-03-01","to":"2026-03-01",
                 "profile":"limited"}""", null);
        h.drain();

        JsonNode job = h.status(exportId, study, null);
        assertThat(job.path("status").asText()).isEqualTo("SUCCEEDED");
        String[] lines = new String(
                        h.download(job.path("download").path("url").asText()).body(), StandardCharsets.UTF_8)
                .split("\n");
        int answers = expected.stream()
                .mapToInt(r -> r.answers().size() + r.scores().size())
                .sum();
        assertThat(lines).hasSize(answers);
        assertThat(job.path("rowCount").asLong()).isEqualTo(expected.size());
        assertThat(job.path("files").get(0).path("rows").asLong()).isEqualTo(answers);
        for (Report r : expected) {
            for (Answer a : r.answers()) {
                JsonNode row = find(lines, r.reportId(), a.linkId());
                assertThat(row.path("code").asText()).isEqualTo(a.code());
                assertThat(row.path("value").decimalValue()).isEqualByComparingTo(a.number());
                assertThat(row.path("label").asText()).isEqualTo(a.display());
                assertThat(row.path("authoredOffset").asText()).isEqualTo("+01:00");
            }
            for (Score s : r.scores()) {
                assertThat(find(lines, r.reportId(), s.id()).path("value").decimalValue())
                        .isEqualByComparingTo(s.value());
            }
        }
    }

    @Test
    void refusesALayoutTheFormatCannotTakeAndStoresNothing(EmulatedStack stack) throws Exception {
        ExportHarness h = new ExportHarness(stack, Map.of());
        String study = "ST-" + UUID.randomUUID();

        var response = h.post(study, """
                {"format":"fhir-ndjson","layout":"long","from":"2026-03-01","to":"2026-03-01"}""", study, null);

        assertThat(response.getStatusCode()).isEqualTo(422);
        assertThat(response.getBody()).contains("layout-not-supported");
        assertThat(h.exportItems(study)).isEmpty();
        assertThat(h.auditActions(study)).isEmpty();
        assertThat(h.post(study, """
                {"format":"csv","layout":"diagonal","from":"2026-03-01","to":"2026-03-01"}""", study, null).getStatusCode()).isEqualTo(400);
    }

    private static JsonNode find(String[] lines, String reportId, String item) throws Exception {
        for (String line : lines) {
            JsonNode n = Json.mapper().readTree(line);
            if (n.path("reportId").asText().equals(reportId)
                    && n.path("item").asText().equals(item)) {
                return n;
            }
        }
        throw new AssertionError("no row for " + item + " of " + reportId);
    }
}
