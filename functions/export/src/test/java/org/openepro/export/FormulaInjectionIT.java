package org.openepro.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openepro.core.report.Answer;
import org.openepro.core.report.Report;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedStack;

@ExtendWith(AwsEmulatorExtension.class)
class FormulaInjectionIT {
    private static final List<String> ATTACKS =
            List.of("=HYPERLINK(\"http://evil.example\",\"click\")", "+SUM(1,2)", "-2+3", "@cmd", "\tTAB");

    @ParameterizedTest
    @ValueSource(strings = {"csv", "xlsx"})
    void formulaTextComesBackNeutralisedAndNegativeNumbersStayNumbers(String format, EmulatedStack stack)
            throws Exception {
        // GIVEN diaries whose free text a spreadsheet would run, and a negative weight
        ExportHarness h = new ExportHarness(stack, Map.of());
        TestReports reports = new TestReports(21);
        String study = "ST-" + UUID.randomUUID();
        List<Report> seeded = new ArrayList<>();
        for (int i = 0; i < ATTACKS.size(); i++) {
            seeded.add(withComment(
                    reports.report(
                            study,
                            "SITE-1",
                            "SUBJ-" + i,
                            "diary",
                            Instant.parse("2026-05-01T10:00:00Z").plusSeconds(60L * i)),
                    ATTACKS.get(i)));
        }
        h.seed(seeded);

        // WHEN they are exported (limited: free text is kept) and downloaded
        String exportId = h.request(study, """
                {"format":"%s","from":"2026-05-01","to":"2026-05-01","profile":"limited"}""".formatted(format), null);
        h.drain();
        JsonNode job = h.status(exportId, study, null);
        byte[] file = h.download(job.path("download").path("url").asText()).body();

        // THEN every such text starts with an apostrophe, and the weight is the number it was
        List<Map<String, String>> rows = ExportFiles.rows(format, file);
        assertThat(rows).hasSize(ATTACKS.size());
        for (Map<String, String> row : rows) {
            Report r = seeded.stream()
                    .filter(x -> x.reportId().equals(row.get("reportId")))
                    .findFirst()
                    .orElseThrow();
            String attack = r.answer("comment").orElseThrow().text();
            assertThat(row.get("comment")).isEqualTo("'" + attack);
            assertThat(new BigDecimal(row.get("weight"))).isEqualByComparingTo("-3.5");
        }
    }

    private static Report withComment(Report r, String comment) {
        List<Answer> answers = new ArrayList<>();
        for (Answer a : r.answers()) {
            answers.add(
                    switch (a.linkId()) {
                        case "comment" -> Answer.text("comment", a.type(), comment);
                        case "weight" -> Answer.number("weight", a.type(), new BigDecimal("-3.5"));
                        default -> a;
                    });
        }
        return r.toBuilder().answers(answers).build();
    }
}
