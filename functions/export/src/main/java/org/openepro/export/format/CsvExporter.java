package org.openepro.export.format;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * RFC 4180 CSV, UTF-8 without a byte-order mark, CRLF line ends, one row per report and one column
 * per item (wide), a header row of column names (linkIds for items). A field is quoted when it
 * holds a comma, quote, CR or LF, or when {@link FormulaGuard} prefixes it. Written by hand rather
 * than with a CSV library: the guard needs per-field control of quoting, and the hot loop then
 * allocates nothing per row. Resumable: the state is only whether the header was written.
 */
public final class CsvExporter extends TextTableExporter {
    private static final Format FORMAT =
            new Format("csv", "csv", "text/csv; charset=utf-8; header=present", "ExportRow", true);
    static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);
    private static final String STARTED = "csv:header-written";

    public CsvExporter() {
        super(FORMAT);
    }

    @Override
    ExportWriter openFile(OutputStream out, ExportLayout layout, String resumeState) throws IOException {
        if (resumeState != null && !resumeState.equals(STARTED)) {
            throw new IllegalArgumentException("not a CSV writer state");
        }
        Writer w = new Writer(out, layout);
        if (resumeState == null) {
            w.header();
        }
        return w;
    }

    /** A header row of these column names, each a {@link #field}, then CRLF. Shared with the audit CSV. */
    static void headerRow(Utf8Output out, List<String> names) throws IOException {
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                out.write((byte) ',');
            }
            field(out, names.get(i));
        }
        out.writeAscii(CRLF);
    }

    /**
     * One RFC 4180 text field: quoted when it holds a comma, quote, CR or LF, and prefixed with an apostrophe
     * (then quoted) when {@link FormulaGuard} says a spreadsheet would evaluate it. Shared with the audit CSV.
     */
    static void field(Utf8Output out, String s) throws IOException {
        boolean guard = FormulaGuard.needsGuard(s);
        if (!guard && out.writePlainAscii(s, false)) {
            return;
        }
        boolean quote = guard;
        for (int i = 0; i < s.length() && !quote; i++) {
            char c = s.charAt(i);
            quote = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        if (!quote) {
            out.writeUtf8(s);
            return;
        }
        out.write((byte) '"');
        if (guard) {
            out.write((byte) '\'');
        }
        int start = 0;
        for (int i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) {
            out.writeUtf8(s.subSequence(start, i + 1));
            out.write((byte) '"');
            start = i + 1;
        }
        out.writeUtf8(start == 0 ? s : s.subSequence(start, s.length()));
        out.write((byte) '"');
    }

    private static final class Writer implements ExportWriter {
        private final Utf8Output out;
        private final TabularRow row;
        private final int columns;

        Writer(OutputStream target, ExportLayout layout) {
            this.out = new Utf8Output(target, 64 * 1024);
            this.row = new TabularRow(layout);
            this.columns = layout.size();
        }

        void header() throws IOException {
            headerRow(out, row.layout().columns().stream().map(Column::name).toList());
        }

        @Override
        public void write(ExportRecord record) throws IOException {
            for (int r = 0, n = row.rows(record); r < n; r++) {
                row.fill(record, r);
                writeRow();
            }
        }

        private void writeRow() throws IOException {
            for (int i = 0; i < columns; i++) {
                if (i > 0) {
                    out.write((byte) ',');
                }
                Object v = row.get(i);
                if (v == null) {
                    continue;
                }
                switch (v) {
                    case String s -> text(s);
                    case BigDecimal d -> out.writeDecimal(d);
                    case Integer n -> out.writeLong(n);
                    case Boolean b -> out.writeAscii(b ? TRUE : FALSE);
                    case Instant t -> out.writeInstant(t);
                    default -> text(v.toString());
                }
            }
            out.writeAscii(CRLF);
        }

        private void text(String s) throws IOException {
            field(out, s);
        }

        @Override
        public String suspend() throws IOException {
            out.flush();
            return STARTED;
        }

        @Override
        public void finish() throws IOException {
            out.flush();
        }
    }
}
