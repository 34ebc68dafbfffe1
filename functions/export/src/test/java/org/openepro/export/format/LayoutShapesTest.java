package org.openepro.export.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.ReadingOptions;
import org.dhatim.fastexcel.reader.Row;
import org.junit.jupiter.api.Test;
import org.openepro.core.questionnaire.ItemDefinition;
import org.openepro.core.report.Answer;
import org.openepro.core.report.Report;
import org.openepro.core.report.Score;
import org.openepro.core.schedule.WindowVerdict;
import org.openepro.export.profile.Profile;
import org.openepro.export.profile.RecordProfiler;

class LayoutShapesTest {
    private static List<ExportRecord> grouped(List<ExportRecord> records) {
        List<ExportRecord> out = new ArrayList<>(records);
        out.sort(Comparator.comparing(ExportRecord::questionnaireId));
        return out;
    }

    static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.put(e.getName(), in.readAllBytes());
            }
        }
        return out;
    }

    @Test
    void everyTabularLayoutCarriesThePatientsOffsetBesideTheUtcTime() throws Exception {
        // GIVEN reports authored at +01:00
        List<ExportRecord> records = Fixtures.records(3, Profile.LIMITED);

        for (TableLayout shape : List.of(TableLayout.WIDE, TableLayout.LONG)) {
            // WHEN written as CSV in the layout
            List<List<String>> rows = Fixtures.parseCsv(Fixtures.text(Fixtures.write(
                    new CsvExporter(),
                    ExportLayout.of(Fixtures.definitions(Fixtures.QUESTIONNAIRES), Profile.LIMITED, false, shape),
                    records)));

            // THEN authoredOffset stands right after authoredAt, and UTC time plus offset is the device's own time
            List<String> header = rows.get(0);
            assertThat(header.indexOf("authoredOffset")).isEqualTo(header.indexOf("authoredAt") + 1);
            List<String> first = rows.get(1);
            assertThat(first.get(header.indexOf("authoredOffset"))).isEqualTo("+01:00");
            assertThat(java.time.Instant.parse(first.get(header.indexOf("authoredAt")))
                            .atOffset(java.time.ZoneOffset.of(first.get(header.indexOf("authoredOffset")))))
                    .isEqualTo(java.time.OffsetDateTime.parse(records.get(0).authored()));
        }
    }

    @Test
    void eachRowShowsTheTaskItAnsweredAndItsWindowVerdictAndADeidentifiedRowOnlyTheVerdict() throws Exception {
        // GIVEN a report that answered its task late, and one stored before schedules existed
        List<Report> reports = Fixtures.reports(2);
        Report late = reports.get(0).toBuilder()
                .schedule("daily-pain.2026-03-01.v1", WindowVerdict.LATE)
                .build();
        Report unscheduled = reports.get(1);

        for (Profile profile : List.of(Profile.IDENTIFIED, Profile.LIMITED, Profile.DEIDENTIFIED)) {
            // WHEN both are exported as CSV with the profile
            RecordProfiler profiler = Fixtures.profiler(profile);
            String csv = Fixtures.text(Fixtures.write(
                    new CsvExporter(),
                    ExportLayout.of(Fixtures.definitions(Fixtures.QUESTIONNAIRES), profile, false, TableLayout.WIDE),
                    List.of(profiler.apply(late), profiler.apply(unscheduled))));
            List<List<String>> rows = Fixtures.parseCsv(csv);

            // THEN the verdict is there, empty for the report without one; the task id (it names the
            // occurrence's calendar date) only where dates are kept
            List<String> header = rows.get(0);
            assertThat(rows.get(1).get(header.indexOf("windowVerdict")))
                    .as(profile.name())
                    .isEqualTo("late");
            assertThat(rows.get(2).get(header.indexOf("windowVerdict")))
                    .as(profile.name())
                    .isEmpty();
            if (profile == Profile.DEIDENTIFIED) {
                assertThat(header).doesNotContain("taskId");
                assertThat(csv).doesNotContain("2026-03-01");
            } else {
                assertThat(rows.get(1).get(header.indexOf("taskId"))).isEqualTo("daily-pain.2026-03-01.v1");
                assertThat(rows.get(2).get(header.indexOf("taskId"))).isEmpty();
            }
        }
    }

    @Test
    void aDeidentifiedLayoutHasNoOffsetBecauseItHasNoTimes() {
        ExportLayout layout = ExportLayout.of(
                Fixtures.definitions(Fixtures.QUESTIONNAIRES), Profile.DEIDENTIFIED, false, TableLayout.WIDE);
        assertThat(layout.columns()).extracting(Column::name).doesNotContain("authoredOffset", "authoredAt");
    }

    @Test
    void perQuestionnaireCsvIsAZipOfOneFileAQuestionnaireWithOnlyItsOwnColumns() throws Exception {
        // GIVEN reports of three questionnaires, grouped by questionnaire as the worker sorts them
        List<ExportRecord> records = grouped(Fixtures.records(9, Profile.LIMITED));
        ExportLayout layout = ExportLayout.of(
                Fixtures.definitions(Fixtures.QUESTIONNAIRES), Profile.LIMITED, false, TableLayout.PER_QUESTIONNAIRE);

        // WHEN written as CSV per questionnaire
        ExportWriter w = new CsvExporter().open(new java.io.ByteArrayOutputStream(), layout, null);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        w = new CsvExporter().open(out, layout, null);
        for (ExportRecord r : records) {
            w.write(r);
        }
        w.finish();
        Map<String, byte[]> files = unzip(out.toByteArray());

        // THEN there is one CSV a questionnaire and the dictionary, and each CSV holds its reports and columns only
        assertThat(files.keySet()).containsExactly("diary.csv", "eq-5d-5l.csv", "phq-9.csv", "dictionary.csv");
        for (String qid : Fixtures.QUESTIONNAIRES) {
            List<List<String>> rows = Fixtures.parseCsv(new String(files.get(qid + ".csv"), StandardCharsets.UTF_8));
            List<String> header = rows.get(0);
            List<String> own = Fixtures.definitions(List.of(qid)).get(0).answerableItems().keySet().stream()
                    .toList();
            List<String> itemColumns = header.stream()
                    .filter(h -> layout.table(qid).item(qid, h) >= 0)
                    .toList();
            assertThat(itemColumns).containsExactlyInAnyOrderElementsOf(own);
            assertThat(rows)
                    .hasSize(1
                            + (int) records.stream()
                                    .filter(r -> r.questionnaireId().equals(qid))
                                    .count());
            assertThat(rows.subList(1, rows.size()))
                    .allSatisfy(row ->
                            assertThat(row.get(header.indexOf("questionnaire"))).isEqualTo(qid));
        }
        // AND the zip's entries are what the writer reports, hashes included
        assertThat(w.contents()).extracting(ExportWriter.Entry::name).containsExactlyElementsOf(files.keySet());
        for (ExportWriter.Entry e : w.contents()) {
            assertThat(e.bytes()).isEqualTo(files.get(e.name()).length);
            assertThat(e.sha256())
                    .isEqualTo(java.util.HexFormat.of()
                            .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                    .digest(files.get(e.name()))));
        }
    }

    @Test
    void longLayoutIsOneRowPerAnswerAndScoreWithCodeValueAndLabel() throws Exception {
        // GIVEN two PHQ-9 reports
        List<ExportRecord> records = Fixtures.records(3, Profile.LIMITED).stream()
                .filter(r -> r.questionnaireId().equals("phq-9"))
                .toList();
        ExportLayout layout =
                ExportLayout.of(Fixtures.definitions(List.of("phq-9")), Profile.LIMITED, false, TableLayout.LONG);

        // WHEN written as CSV in the long layout
        List<List<String>> rows = Fixtures.parseCsv(Fixtures.text(Fixtures.write(new CsvExporter(), layout, records)));

        // THEN each answer and score is a row of its own
        List<String> header = rows.get(0);
        assertThat(header).containsSubsequence("item", "itemText", "type", "code", "value", "label");
        int expected = records.stream()
                .mapToInt(r -> r.answers().size() + r.scores().size())
                .sum();
        assertThat(rows).hasSize(1 + expected);
        int i = 1;
        for (ExportRecord r : records) {
            for (Answer a : r.answers()) {
                List<String> row = rows.get(i++);
                assertThat(row.get(header.indexOf("reportId"))).isEqualTo(r.reportId());
                assertThat(row.get(header.indexOf("item"))).isEqualTo(a.linkId());
                ItemDefinition item = layout.itemDefinition("phq-9", a.linkId());
                assertThat(row.get(header.indexOf("itemText"))).isEqualTo(item.text());
                assertThat(row.get(header.indexOf("code"))).isEqualTo(a.code());
                assertThat(new BigDecimal(row.get(header.indexOf("value")))).isEqualByComparingTo(a.number());
                assertThat(row.get(header.indexOf("label"))).isEqualTo(a.display());
            }
            for (Score s : r.scores()) {
                List<String> row = rows.get(i++);
                assertThat(row.get(header.indexOf("item"))).isEqualTo(s.id());
                assertThat(row.get(header.indexOf("type"))).isEqualTo("score");
                assertThat(new BigDecimal(row.get(header.indexOf("value")))).isEqualByComparingTo(s.value());
            }
        }
    }

    @Test
    void perQuestionnaireXlsxHasOneSheetAQuestionnaireAndTheDictionary() throws Exception {
        List<ExportRecord> records = grouped(Fixtures.records(6, Profile.LIMITED));
        ExportLayout layout = ExportLayout.of(
                Fixtures.definitions(Fixtures.QUESTIONNAIRES), Profile.LIMITED, false, TableLayout.PER_QUESTIONNAIRE);

        byte[] file = Fixtures.write(new XlsxExporter(), layout, records);

        try (ReadableWorkbook wb =
                new ReadableWorkbook(new ByteArrayInputStream(file), new ReadingOptions(true, false))) {
            assertThat(wb.getSheets().map(s -> s.getName()).toList())
                    .containsExactly("diary", "eq-5d-5l", "phq-9", "dictionary");
            List<Row> phq = wb.findSheet("phq-9").orElseThrow().read();
            assertThat(phq)
                    .hasSize(1
                            + (int) records.stream()
                                    .filter(r -> r.questionnaireId().equals("phq-9"))
                                    .count());
            List<String> header = new ArrayList<>();
            phq.get(0).forEach(c -> header.add(c.getText()));
            assertThat(header).contains("44250-9").doesNotContain("mobility", "mood");
        }
    }
}
