package org.openepro.export.format;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.stream.Collectors;
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
    private static final Format FORMAT = new Format("xlsx", "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "ExportRow", false);
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
    public ExportWriter open(OutputStream out, ExportLayout layout, String resumeState) throws IOException {
        if (resumeState != null) {
            throw new UnsupportedOperationException("an xlsx file cannot be resumed");
        }
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
        private final Worksheet data;
        private final Worksheet dictionary;
        private final TabularRow row;
        private final ExportLayout layout;
        private final int[] dateTimeColumns;
        private final int[] dateColumns;
        private final boolean[] inline;
        private int nextRow = 1;
        private int blockStart = 1;

        Writer(OutputStream out, ExportLayout layout) {
            this.layout = layout;
            this.row = new TabularRow(layout);
            this.workbook = new Workbook(new Unclosable(out), "OpenEPRO", "1.0");
            // exports are short-lived downloads: trade a little size for a lot of CPU
            workbook.setCompressionLevel(1);
            this.data = workbook.newWorksheet("data");
            this.dictionary = workbook.newWorksheet("dictionary");
            this.dateTimeColumns = columnsOf(layout, ValueType.DATETIME);
            this.dateColumns = columnsOf(layout, ValueType.DATE);
            this.inline = new boolean[layout.size()];
            for (int c = 0; c < inline.length; c++) {
                Column col = layout.columns().get(c);
                inline[c] = col.kind() == Column.Kind.REPORT_ID
                        || (col.kind() == Column.Kind.ITEM && col.item().type().freeText());
            }
            for (int c = 0; c < layout.size(); c++) {
                data.inlineString(0, c, FormulaGuard.guarded(layout.columns().get(c).name()));
            }
            data.range(0, 0, 0, Math.max(0, layout.size() - 1)).style().bold().set();
            data.freezePane(0, 1);
        }

        private static int[] columnsOf(ExportLayout layout, ValueType type) {
            return java.util.stream.IntStream.range(0, layout.size())
                    .filter(i -> layout.columns().get(i).type() == type).toArray();
        }

        @Override
        public void write(ExportRecord record) throws IOException {
            if (nextRow > MAX_DATA_ROWS) {
                throw new ExportLimitException("XLSX_ROW_LIMIT",
                        "An xlsx sheet holds at most " + MAX_DATA_ROWS + " rows; request csv or a shorter range.");
            }
            row.fill(record);
            int r = nextRow++;
            for (int c = row.nextFilled(0); c >= 0; c = row.nextFilled(c + 1)) {
                Object v = row.get(c);
                switch (v) {
                    case String s -> text(r, c, s);
                    case BigDecimal d -> data.value(r, c, d);
                    case Integer n -> data.value(r, c, n);
                    case Boolean b -> data.value(r, c, b);
                    case Instant t -> data.value(r, c, excelSerial(t));
                    default -> text(r, c, v.toString());
                }
            }
            if (nextRow - blockStart >= BLOCK_ROWS) {
                flushBlock();
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
                    data.value(r, c, type == ValueType.DATE ? excelSerial(LocalDate.parse(s))
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
                    data.range(blockStart, c, last, c).style().format(DATE_TIME_FORMAT).set();
                }
                for (int c : dateColumns) {
                    data.range(blockStart, c, last, c).style().format(DATE_FORMAT).set();
                }
            }
            data.flush();
            blockStart = nextRow;
        }

        @Override
        public String suspend() {
            throw new UnsupportedOperationException("an xlsx file cannot be suspended");
        }

        @Override
        public void finish() throws IOException {
            flushBlock();
            data.finish();
            writeDictionary();
            dictionary.finish();
            workbook.finish();
        }

        private void writeDictionary() {
            String[] header = {"column", "questionnaire", "linkId", "text", "type", "allowed values"};
            for (int c = 0; c < header.length; c++) {
                dictionary.inlineString(0, c, header[c]);
            }
            dictionary.range(0, 0, 0, header.length - 1).style().bold().set();
            int r = 1;
            for (Column col : layout.columns()) {
                dictionary.inlineString(r, 0, FormulaGuard.guarded(col.name()));
                if (col.questionnaireId() != null) {
                    dictionary.inlineString(r, 1, col.questionnaireId());
                }
                if (col.item() != null) {
                    dictionary.inlineString(r, 2, FormulaGuard.guarded(col.item().linkId()));
                }
                String text = col.description();
                if (text != null) {
                    dictionary.inlineString(r, 3, FormulaGuard.guarded(text));
                }
                dictionary.inlineString(r, 4, col.item() != null ? col.item().type().fhirCode()
                        : col.type().name().toLowerCase(java.util.Locale.ROOT));
                String allowed = allowedValues(col);
                if (!allowed.isEmpty()) {
                    dictionary.inlineString(r, 5, FormulaGuard.guarded(allowed));
                }
                r++;
            }
        }

        private static String allowedValues(Column col) {
            if (col.item() == null) {
                return "";
            }
            if (!col.item().options().isEmpty()) {
                return col.item().options().stream().map(o -> o.code() + " = " + o.display())
                        .collect(Collectors.joining("; "));
            }
            if (col.item().minValue() != null || col.item().maxValue() != null) {
                return (col.item().minValue() == null ? "" : col.item().minValue().toPlainString()) + ".."
                        + (col.item().maxValue() == null ? "" : col.item().maxValue().toPlainString());
            }
            return "";
        }
    }

    /** fastexcel closes its stream when the workbook finishes; the export's sink is closed by its owner. */
    private static final class Unclosable extends FilterOutputStream {
        Unclosable(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void flush() {
            // parts are sealed when full, never on a flush
        }

        @Override
        public void close() {
            // owned by the caller
        }
    }
}
