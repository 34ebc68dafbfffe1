package org.openepro.export.format;

import java.io.IOException;
import java.io.OutputStream;

/**
 * One JSON array of flat row objects ({@code [\n{...},\n{...}\n]}). A suspended file continues
 * with only the row count as state (it decides whether a comma comes first).
 */
public final class JsonExporter extends TextTableExporter {
    private static final Format FORMAT = new Format("json", "json", "application/json", "ExportRow", true);
    private static final String STATE = "json:rows=";

    public JsonExporter() {
        super(FORMAT);
    }

    @Override
    ExportWriter openFile(OutputStream out, ExportLayout layout, String resumeState) throws IOException {
        long rows = 0;
        if (resumeState != null) {
            if (!resumeState.startsWith(STATE)) {
                throw new IllegalArgumentException("not a JSON writer state");
            }
            rows = Long.parseLong(resumeState.substring(STATE.length()));
        }
        JsonRows json = new JsonRows(out, layout);
        if (resumeState == null) {
            json.output().write((byte) '[');
        }
        return new Writer(json, rows);
    }

    private static final class Writer implements ExportWriter {
        private static final byte[] FIRST = {'\n'};
        private static final byte[] NEXT = {',', '\n'};
        private static final byte[] END_EMPTY = {']', '\n'};
        private static final byte[] END = {'\n', ']', '\n'};

        private final JsonRows json;
        private final Utf8Output out;
        private long rows;

        Writer(JsonRows json, long rows) {
            this.json = json;
            this.out = json.output();
            this.rows = rows;
        }

        @Override
        public void write(ExportRecord record) throws IOException {
            for (int r = 0, n = json.rows(record); r < n; r++) {
                out.writeAscii(rows++ == 0 ? FIRST : NEXT);
                json.write(record, r);
            }
        }

        @Override
        public String suspend() throws IOException {
            out.flush();
            return STATE + rows;
        }

        @Override
        public void finish() throws IOException {
            out.writeAscii(rows == 0 ? END_EMPTY : END);
            out.flush();
        }
    }
}
