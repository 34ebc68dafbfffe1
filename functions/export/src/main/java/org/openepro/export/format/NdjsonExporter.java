package org.openepro.export.format;

import java.io.IOException;
import java.io.OutputStream;

/** Newline-delimited JSON: one flat row object a line. Resumable with no state at all. */
public final class NdjsonExporter implements Exporter {
    private static final Format FORMAT = new Format("ndjson", "ndjson", "application/x-ndjson", "ExportRow", true);
    private static final String STATE = "ndjson";

    @Override
    public Format format() {
        return FORMAT;
    }

    @Override
    public Format format(TableLayout layout) {
        return layout == TableLayout.PER_QUESTIONNAIRE ? Exporter.zipOf(FORMAT) : FORMAT;
    }

    @Override
    public java.util.Set<TableLayout> layouts() {
        return java.util.EnumSet.allOf(TableLayout.class);
    }

    @Override
    public ExportWriter open(OutputStream out, ExportLayout layout, String resumeState) throws IOException {
        if (layout.shape() == TableLayout.PER_QUESTIONNAIRE) {
            if (resumeState != null) {
                throw new UnsupportedOperationException("a zip cannot be resumed");
            }
            return new ZippedTables(out, layout, "ndjson", (entry, table) -> open(entry, table, null));
        }
        if (resumeState != null && !resumeState.equals(STATE)) {
            throw new IllegalArgumentException("not an NDJSON writer state");
        }
        JsonRows json = new JsonRows(out, layout);
        Utf8Output bytes = json.output();
        return new ExportWriter() {
            @Override
            public void write(ExportRecord record) throws IOException {
                for (int r = 0, n = json.rows(record); r < n; r++) {
                    json.write(record, r);
                    bytes.write((byte) '\n');
                }
            }

            @Override
            public String suspend() throws IOException {
                bytes.flush();
                return STATE;
            }

            @Override
            public void finish() throws IOException {
                bytes.flush();
            }
        };
    }
}
