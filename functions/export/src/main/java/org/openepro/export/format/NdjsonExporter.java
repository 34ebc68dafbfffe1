package org.openepro.export.format;

import java.io.IOException;
import java.io.OutputStream;

/** Newline-delimited JSON: one flat row object a line. Resumable with no state at all. */
public final class NdjsonExporter extends TextTableExporter {
    private static final Format FORMAT = new Format("ndjson", "ndjson", "application/x-ndjson", "ExportRow", true);
    private static final String STATE = "ndjson";

    public NdjsonExporter() {
        super(FORMAT);
    }

    @Override
    ExportWriter openFile(OutputStream out, ExportLayout layout, String resumeState) throws IOException {
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
