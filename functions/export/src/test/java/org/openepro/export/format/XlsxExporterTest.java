package org.openepro.export.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.ReadingOptions;
import org.dhatim.fastexcel.reader.Row;
import org.junit.jupiter.api.Test;
import org.openepro.core.report.Answer;
import org.openepro.export.profile.Profile;

class XlsxExporterTest {

    @Test
    void writesNumbersAsNumbersDatesAsDatesAndADataDictionary() throws Exception {
        // GIVEN more rows than one flushed block
        ExportLayout layout = Fixtures.layout(Profile.LIMITED, false);
        List<ExportRecord> records = Fixtures.records(1200, Profile.LIMITED);

        // WHEN they are written as a workbook
        byte[] file = Fixtures.write(new XlsxExporter(), layout, records);

        // THEN sheet "data" holds every row with native cell types
        try (ReadableWorkbook wb =
                new ReadableWorkbook(new ByteArrayInputStream(file), new ReadingOptions(true, false))) {
            List<Row> data = wb.findSheet("data").orElseThrow().read();
            List<String> header = new ArrayList<>();
            data.get(0).forEach(c -> header.add(c.getText()));
            assertThat(header)
                    .isEqualTo(layout.columns().stream().map(Column::name).toList());
            assertThat(data).hasSize(records.size() + 1);
            for (int i = 0; i < records.size(); i++) {
                ExportRecord r = records.get(i);
                Row row = data.get(i + 1);
                assertThat(row.getCell(header.indexOf("reportId")).getText()).isEqualTo(r.reportId());
                Cell authored = row.getCell(header.indexOf("authoredAt"));
                assertThat(authored.getType()).isEqualTo(CellType.NUMBER);
                assertThat(authored.getDataFormatString()).contains("yyyy");
                assertThat(authored.asDate())
                        .isEqualTo(LocalDateTime.ofInstant(r.authoredAt(), ZoneOffset.UTC)
                                .withNano(authored.asDate().getNano()));
                for (Answer a : r.answers()) {
                    Cell cell = row.getCell(header.indexOf(a.linkId()));
                    switch (a.type()) {
                        case CHOICE -> assertThat(cell.getText()).isEqualTo(a.code());
                        case INTEGER, DECIMAL -> {
                            assertThat(cell.getType()).isEqualTo(CellType.NUMBER);
                            assertThat(cell.asNumber()).isEqualByComparingTo(a.number());
                        }
                        case BOOLEAN -> assertThat(cell.asBoolean()).isEqualTo(a.bool());
                        case DATE -> {
                            assertThat(cell.getType()).isEqualTo(CellType.NUMBER);
                            assertThat(cell.asDate().toLocalDate().toString()).isEqualTo(a.text());
                        }
                        case DATETIME -> {
                            assertThat(cell.getType()).as(a.linkId()).isEqualTo(CellType.NUMBER);
                            assertThat(cell.getDataFormatString()).contains("hh:mm");
                            assertThat(utc(cell)).isEqualTo(java.time.Instant.parse(a.text()));
                        }
                        default -> assertThat(cell.getText()).isEqualTo(a.text());
                    }
                }
            }
            // AND sheet "dictionary" describes every column, with the allowed values of choices and their scores
            List<Row> dictionary = wb.findSheet("dictionary").orElseThrow().read();
            assertThat(dictionary).hasSize(layout.size() + 1);
            Row phq1 = dictionary.get(header.indexOf("44250-9") + 1);
            assertThat(phq1.getCell(0).getText()).isEqualTo("44250-9");
            assertThat(phq1.getCell(3).getText()).isEqualTo("1.0.0");
            assertThat(phq1.getCell(5).getText()).isEqualTo("Little interest or pleasure in doing things");
            assertThat(phq1.getCell(6).getText()).isEqualTo("choice");
            assertThat(phq1.getCell(7).getText()).contains("LA6568-5 = Not at all [score 0]");
            assertThat(phq1.getCell(8).getText()).contains("counts in phq-9.score.");
        }
    }

    @Test
    void writesDateTimeAnswersAsDateCellsInUtcAndKeepsWhatIsNoInstantAsGuardedText() throws Exception {
        // GIVEN diaries whose date-time answer has an offset, is partial, or is not a date at all
        ExportLayout layout = Fixtures.layout(Profile.LIMITED, false);
        assertThat(layout.columns().get(layout.item("diary", "woke")).type()).isEqualTo(ValueType.DATETIME);
        List<ExportRecord> records = List.of(
                Fixtures.diaryWoke("2026-03-02T07:15:30+01:00"),
                Fixtures.diaryWoke("2026-03-02T23:45:00-05:00"),
                Fixtures.diaryWoke("2026-03-02"),
                Fixtures.diaryWoke("=1+2"));

        // WHEN they are written as a workbook
        byte[] file = Fixtures.write(new XlsxExporter(), layout, records);

        // THEN a full date-time is a date cell holding its instant in UTC, styled as a date-time
        try (ReadableWorkbook wb =
                new ReadableWorkbook(new ByteArrayInputStream(file), new ReadingOptions(true, false))) {
            List<Row> data = wb.findSheet("data").orElseThrow().read();
            int woke = layout.item("diary", "woke");
            Cell offset = data.get(1).getCell(woke);
            assertThat(offset.getType()).isEqualTo(CellType.NUMBER);
            assertThat(offset.getDataFormatString()).isEqualTo("yyyy-mm-dd hh:mm:ss");
            assertThat(utc(offset)).isEqualTo(java.time.Instant.parse("2026-03-02T06:15:30Z"));
            assertThat(utc(data.get(2).getCell(woke))).isEqualTo(java.time.Instant.parse("2026-03-03T04:45:00Z"));
            // AND a partial date-time is not given a midnight it never said, and text stays guarded text
            assertThat(data.get(3).getCell(woke).getType()).isEqualTo(CellType.STRING);
            assertThat(data.get(3).getCell(woke).getText()).isEqualTo("2026-03-02");
            assertThat(data.get(4).getCell(woke).getType()).isEqualTo(CellType.STRING);
            assertThat(data.get(4).getCell(woke).getText()).isEqualTo("'=1+2");
        }
    }

    /** A date cell's instant, rounded to the second (a serial is a double: its last digits are noise). */
    private static java.time.Instant utc(Cell cell) {
        return cell.asDate()
                .toInstant(ZoneOffset.UTC)
                .plusMillis(500)
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    @Test
    void datesAreExcelSerialsInUtc() {
        assertThat(XlsxExporter.excelSerial(java.time.Instant.parse("1970-01-01T00:00:00Z")))
                .isEqualTo(25_569d);
        assertThat(XlsxExporter.excelSerial(java.time.Instant.parse("2026-11-28T18:00:00Z")))
                .isEqualTo(46_354.75d);
        assertThat(XlsxExporter.excelSerial(java.time.LocalDate.parse("2026-11-28")))
                .isEqualTo(46_354d);
        assertThat(XlsxExporter.excelSerial(java.time.Instant.parse("1969-12-31T12:00:00Z")))
                .isEqualTo(25_568.5d);
    }

    @Test
    void neutralisesFormulaInjectionAsCsvDoesAndKeepsNegativeNumbersNumeric() throws Exception {
        ExportLayout layout = Fixtures.layout(Profile.LIMITED, false);

        byte[] file = Fixtures.write(
                new XlsxExporter(),
                layout,
                List.of(
                        Fixtures.diary("=HYPERLINK(\"http://evil\",\"click\")", "-3.5"),
                        Fixtures.diary("@SUM(A1)", "70")));

        try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(file))) {
            List<Row> data = wb.findSheet("data").orElseThrow().read();
            List<String> header = new ArrayList<>();
            data.get(0).forEach(c -> header.add(c.getText()));
            Cell comment = data.get(1).getCell(header.indexOf("comment"));
            assertThat(comment.getType()).isEqualTo(CellType.STRING);
            assertThat(comment.getText()).isEqualTo("'=HYPERLINK(\"http://evil\",\"click\")");
            assertThat(data.get(2).getCell(header.indexOf("comment")).getText()).isEqualTo("'@SUM(A1)");
            Cell weight = data.get(1).getCell(header.indexOf("weight"));
            assertThat(weight.getType()).isEqualTo(CellType.NUMBER);
            assertThat(weight.asNumber()).isEqualByComparingTo("-3.5");
        }
    }
}
