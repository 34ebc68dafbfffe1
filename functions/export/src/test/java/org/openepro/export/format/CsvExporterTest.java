package org.openepro.export.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openepro.core.report.Answer;
import org.openepro.export.profile.Profile;

class CsvExporterTest {
    private final CsvExporter csv = new CsvExporter();

    @Test
    void writesAHeaderOfLinkIdsAndOneWideRowPerReport() throws Exception {
        // GIVEN PHQ-9, EQ-5D-5L and diary reports
        ExportLayout layout = Fixtures.layout(Profile.LIMITED, false);
        List<ExportRecord> records = Fixtures.records(9, Profile.LIMITED);

        // WHEN they are written as CSV
        List<List<String>> rows = Fixtures.parseCsv(Fixtures.text(Fixtures.write(csv, layout, records)));

        // THEN the header names the columns (linkIds for items) and each row holds its report's codes
        List<String> header = rows.get(0);
        assertThat(header).startsWith("reportId", "version", "status", "pseudonym", "siteId");
        assertThat(header).contains("44250-9", "mobility", "vas", "comment", "phq-9.score.total");
        assertThat(rows).hasSize(10);
        for (int i = 0; i < records.size(); i++) {
            ExportRecord r = records.get(i);
            List<String> row = rows.get(i + 1);
            assertThat(row).hasSize(header.size());
            assertThat(row.get(header.indexOf("reportId"))).isEqualTo(r.reportId());
            assertThat(row.get(header.indexOf("authoredAt")))
                    .isEqualTo(org.openepro.core.report.Times.sortable(r.authoredAt()));
            for (Answer a : r.answers()) {
                String cell = row.get(header.indexOf(a.linkId()));
                switch (a.type()) {
                    case CHOICE -> assertThat(cell).isEqualTo(a.code());
                    case INTEGER, DECIMAL ->
                        assertThat(cell).isEqualTo(a.number().toPlainString());
                    case BOOLEAN -> assertThat(cell).isEqualTo(a.bool().toString());
                    default -> assertThat(cell).isEqualTo(a.text());
                }
            }
        }
    }

    @Test
    void neutralisesFormulaInjectionWithoutCorruptingNumbers() throws Exception {
        // GIVEN free text a spreadsheet would run, and a negative number
        ExportLayout layout = Fixtures.layout(Profile.LIMITED, false);
        Map<String, String> attacks = Map.of(
                "=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")",
                "+1+cmd", "'+1+cmd",
                "-2+3", "'-2+3",
                "@SUM(A1)", "'@SUM(A1)",
                "\tTAB", "'\tTAB",
                "\rCR", "'\rCR",
                "-3", "-3",
                "plain, with comma", "plain, with comma");

        for (var attack : attacks.entrySet()) {
            // WHEN the row is written
            String file = Fixtures.text(Fixtures.write(csv, layout, List.of(Fixtures.diary(attack.getKey(), "-3.5"))));
            List<List<String>> rows = Fixtures.parseCsv(file);
            List<String> header = rows.get(0);

            // THEN the text comes back prefixed with an apostrophe (and quoted), the number untouched
            assertThat(rows.get(1).get(header.indexOf("comment")))
                    .as(attack.getKey())
                    .isEqualTo(attack.getValue());
            assertThat(rows.get(1).get(header.indexOf("weight"))).isEqualTo("-3.5");
            assertThat(file).contains(",-3.5,");
            if (!attack.getValue().equals(attack.getKey())) {
                assertThat(file).contains("\"'" + attack.getKey().substring(0, 1));
            }
        }
    }

    @Test
    void quotesDelimitersQuotesAndLineBreaksAsRfc4180Says() throws Exception {
        ExportLayout layout = Fixtures.layout(Profile.LIMITED, false);
        String text = "he said \"ouch\",\r\nthen left; café ✓ 😀";

        String file = Fixtures.text(Fixtures.write(csv, layout, List.of(Fixtures.diary(text, "70"))));

        assertThat(file).contains("\"he said \"\"ouch\"\",\r\nthen left; café ✓ 😀\"");
        List<List<String>> rows = Fixtures.parseCsv(file);
        assertThat(rows.get(1).get(rows.get(0).indexOf("comment"))).isEqualTo(text);
    }

    @Test
    void writesAnswerLabelsInsteadOfCodesWhenAsked() throws Exception {
        ExportLayout layout = Fixtures.layout(Profile.LIMITED, true);
        List<ExportRecord> records = Fixtures.records(3, Profile.LIMITED);

        List<List<String>> rows = Fixtures.parseCsv(Fixtures.text(Fixtures.write(csv, layout, records)));

        Answer first = records.get(0).answers().get(0);
        assertThat(rows.get(1).get(rows.get(0).indexOf(first.linkId()))).isEqualTo(first.display());
    }

    @Test
    void leavesOutFreeTextReportIdsAndDatesWhenDeidentified() throws Exception {
        ExportLayout layout = Fixtures.layout(Profile.DEIDENTIFIED, false);
        List<ExportRecord> records = Fixtures.records(9, Profile.DEIDENTIFIED);

        String file = Fixtures.text(Fixtures.write(csv, layout, records));

        List<String> header = Fixtures.parseCsv(file).get(0);
        assertThat(header)
                .doesNotContain("reportId", "comment", "authoredAt", "receivedAt", "subjectId")
                .contains("pseudonym", "authoredDay", "receivedDay", "onset");
        assertThat(file)
                .doesNotContain(org.openepro.export.TestReports.FREE_TEXT)
                .doesNotContainPattern("\\d{4}-\\d{2}-\\d{2}");
    }
}
