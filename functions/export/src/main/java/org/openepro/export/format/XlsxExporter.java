package org.openepro.export.format;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * An Excel workbook streamed with fastexcel: sheet "data" (numbers as numbers, date-times as
 * date cells in UTC, text guarded like CSV) and sheet "dictionary" (column, questionnaire, item
 * text, type, allowed values). Rows are flushed in blocks, so memory holds a block, not the sheet.
 * Text that repeats (codes, labels, sites, pseudonyms) goes to the shared-string table, whose size
 * is bounded by the study's vocabulary and subjects, not by the row count, and which keeps the sheet
 * XML (and so the deflate work) small; text unique to a row (report ids, free text) is written
 * inline, so the table never grows with the rows.
 *
 * <p><b>Not resumable:</b> an xlsx file is a zip archive whose deflate state and central
 * directory cannot be saved and continued in another process. An xlsx export must finish within
 * one worker invocation; one that reaches the deadline fails with a clear reason (ask for csv or
 * a shorter range) instead of leaving a corrupt file.
 */
public final class XlsxExporter implements Exporter {
    private static final Format FORMAT = new Format(
            "xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "ExportRow", false);
    public static final int MAX_DATA_ROWS = Worksheet.MAX_ROWS - 1;
    private static final int BLOCK_ROWS = 512;
    private static final String DATE_TIME_FORMAT = "yyyy-mm-dd hh:mm:ss";
    private static final String DATE_FORMAT = "yyyy-mm-dd";
    // 1970-01-01 is serial 25569 in Excel's 1900 date system
    private static final long EXCEL_EPOCH_OFFSET_DAYS = 25_569L;
    private static final long MILLIS_PER_DAY = 86_400_000L;

    @Override
    public Format format() {
        return FORMAT;
    }

    @Override
    public java.util.Set<TableLayout> layouts() {
        return java.util.EnumSet.allOf(TableLayout.class);
    }

    @Override
    public ExportWriter open(OutputStream out, ExportLayout layout, String resumeState) throws IOException {
        Exporter.refuseResume(resumeState, "an xlsx file");
        return new Writer(out, layout);
    }

    /**
     * Excel's date serial in UTC (days since 1899-12-30, the time as the fraction of a day),
     * computed directly: fastexcel's converter for date-time values builds temporal objects per
     * cell and cost about a tenth of the writer's time. Serials before 1900-03-01 would differ from
     * Excel's (its 1900 leap-year bug); reports are never that old.
     */
    static double excelSerial(Instant t) {
        long millis = t.toEpochMilli();
        return (Math.floorDiv(millis, MILLIS_PER_DAY) + EXCEL_EPOCH_OFFSET_DAYS)
                + Math.floorMod(millis, MILLIS_PER_DAY) / (double) MILLIS_PER_DAY;
    }

    static double excelSerial(LocalDate d) {
        return d.toEpochDay() + EXCEL_EPOCH_OFFSET_DAYS;
    }

    private static final class Writer implements ExportWriter {
        private final Workbook workbook;
        private final ExportLayout layout;
        private Sheet sheet;
        private final java.util.Set<String> sheetsWritten = new java.util.HashSet<>();

        Writer(OutputStream out, ExportLayout layout) {
            this.layout = layout;
            this.workbook = new Workbook(UnclosableOutput.notFlushing(out), "OpenEPRO", "1.0");
            // exports are short-lived downloads: trade a little size for a lot of CPU
            workbook.setCompressionLevel(1);
            if (layout.shape() != TableLayout.PER_QUESTIONNAIRE) {
                sheet = new Sheet(workbook.newWorksheet("data"), layout);
            }
        }

        @Override
        public void write(ExportRecord record) throws IOException {
            if (layout.shape() == TableLayout.PER_QUESTIONNAIRE) {
                String qid = record.questionnaireId();
                if (sheet == null || !qid.equals(sheet.questionnaireId)) {
                    ExportLayout table = layout.table(qid);
                    if (table == null) {
                        return;
                    }
                    if (!sheetsWritten.add(qid)) {
                        throw new IllegalStateException("records of one questionnaire must arrive together");
                    }
                    if (sheet != null) {
                        sheet.finish();
                    }
                    sheet = new Sheet(workbook.newWorksheet(sheetName(qid)), table);
                    sheet.questionnaireId = qid;
                }
            }
            sheet.write(record);
        }

        /** Excel allows 31 characters and none of : \ / ? * [ ] in a sheet name. */
        private static String sheetName(String questionnaireId) {
            String n = questionnaireId.replaceAll("[:\\\\/?*\\[\\]]", "_");
            return n.length() > 31 ? n.substring(0, 31) : n;
        }

        @Override
        public String suspend() {
            throw new UnsupportedOperationException("an xlsx file cannot be suspended");
        }

        @Override
        public void finish() throws IOException {
            if (sheet != null) {
                sheet.finish();
            }
            if (layout.shape() == TableLayout.PER_QUESTIONNAIRE) {
                // every exported questionnaire gets its sheet, with its header, even without rows
                for (String qid : layout.tableIds()) {
                    if (sheetsWritten.add(qid)) {
                        new Sheet(workbook.newWorksheet(sheetName(qid)), layout.table(qid)).finish();
                    }
                }
            }
            Worksheet dictionary = workbook.newWorksheet("dictionary");
            writeDictionary(dictionary, DataDictionary.of(layout));
            dictionary.finish();
            workbook.finish();
        }

        private static void writeDictionary(Worksheet ws, DataDictionary dictionary) {
            List<String> header = DataDictionary.HEADER;
            for (int c = 0; c < header.size(); c++) {
                ws.inlineString(0, c, header.get(c));
            }
            ws.range(0, 0, 0, header.size() - 1).style().bold().set();
            int r = 1;
            for (DataDictionary.Entry e : dictionary.entries()) {
                List<String> cells = e.cells();
                for (int c = 0; c < cells.size(); c++) {
                    if (cells.get(c) != null) {
                        ws.inlineString(r, c, FormulaGuard.guarded(cells.get(c)));
                    }
                }
                r++;
            }
        }
    }

    /** One sheet of rows: a header, then rows flushed in blocks. */
    private static final class Sheet {
        private final Worksheet data;
        private final TabularRow row;
        private final ExportLayout layout;
        private final int[] dateTimeColumns;
        private final int[] dateColumns;
        private final boolean[] inline;
        private int nextRow = 1;
        private int blockStart = 1;
        String questionnaireId;

        Sheet(Worksheet data, ExportLayout layout) {
            this.data = data;
            this.layout = layout;
            this.row = new TabularRow(layout);
            this.dateTimeColumns = columnsOf(layout, ValueType.DATETIME);
            this.dateColumns = columnsOf(layout, ValueType.DATE);
            this.inline = new boolean[layout.size()];
            for (int c = 0; c < inline.length; c++) {
                Column col = layout.columns().get(c);
                inline[c] = col.kind() == Column.Kind.REPORT_ID
                        || col.kind() == Column.Kind.ANSWER_VALUE
                        || (col.kind() == Column.Kind.ITEM && col.item().type().freeText());
            }
            for (int c = 0; c < layout.size(); c++) {
                data.inlineString(
                        0, c, FormulaGuard.guarded(layout.columns().get(c).name()));
            }
            data.range(0, 0, 0, Math.max(0, layout.size() - 1)).style().bold().set();
            data.freezePane(0, 1);
        }

        private static int[] columnsOf(ExportLayout layout, ValueType type) {
            return java.util.stream.IntStream.range(0, layout.size())
                    .filter(i -> layout.columns().get(i).type() == type)
                    .toArray();
        }

        void write(ExportRecord record) throws IOException {
            for (int i = 0, n = row.rows(record); i < n; i++) {
                if (nextRow > MAX_DATA_ROWS) {
                    throw new ExportLimitException(
                            "XLSX_ROW_LIMIT",
                            "An xlsx sheet holds at most " + MAX_DATA_ROWS + " rows; request csv or a shorter range.");
                }
                row.fill(record, i);
                int r = nextRow++;
                for (int c = row.nextFilled(0); c >= 0; c = row.nextFilled(c + 1)) {
                    Object v = row.get(c);
                    switch (v) {
                        case String s -> text(r, c, s);
                        case BigDecimal d -> data.value(r, c, d);
                        case Integer n2 -> data.value(r, c, n2);
                        case Boolean b -> data.value(r, c, b);
                        case Instant t -> data.value(r, c, excelSerial(t));
                        default -> text(r, c, v.toString());
                    }
                }
                if (nextRow - blockStart >= BLOCK_ROWS) {
                    flushBlock();
                }
            }
        }

        /**
         * Text, or an ISO date/date-time (FHIR {@code date} and {@code dateTime} answers travel as
         * text) written as a date cell of its column. A dateTime answer carries an offset; the cell
         * holds its instant in UTC, as every other date-time column does. A partial FHIR dateTime
         * ({@code 2026}, {@code 2026-03}, {@code 2026-03-01}) has no instant and stays text rather
         * than be given a midnight it never said.
         */
        private void text(int r, int c, String s) {
            ValueType type = layout.columns().get(c).type();
            if (type == ValueType.DATE || type == ValueType.DATETIME) {
                try {
                    data.value(
                            r,
                            c,
                            type == ValueType.DATE
                                    ? excelSerial(LocalDate.parse(s))
                                    : excelSerial(OffsetDateTime.parse(s).toInstant()));
                    return;
                } catch (DateTimeParseException notADate) {
                    // kept as text below
                }
            }
            if (inline[c]) {
                data.inlineString(r, c, FormulaGuard.guarded(s));
            } else {
                data.value(r, c, FormulaGuard.guarded(s));
            }
        }

        /** Styles the block's date columns once per block (a style per cell costs a lookup each) and streams it out. */
        private void flushBlock() throws IOException {
            int last = nextRow - 1;
            if (last >= blockStart) {
                for (int c : dateTimeColumns) {
                    data.range(blockStart, c, last, c)
                            .style()
                            .format(DATE_TIME_FORMAT)
                            .set();
                }
                for (int c : dateColumns) {
                    data.range(blockStart, c, last, c)
                            .style()
                            .format(DATE_FORMAT)
                            .set();
                }
            }
            data.flush();
            blockStart = nextRow;
        }

        void finish() throws IOException {
            flushBlock();
            data.finish();
        }
    }
}
