package org.openepro.export.format;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;

/**
 * One JSON array of flat row objects ({@code [\n{...},\n{...}\n]}). The array is framed by hand,
 * not with the generator's array context, so a suspended file continues with only the row
 * count as state (it decides whether a comma comes first).
 */
public final class JsonExporter implements Exporter {
    private static final String STATE = "json:rows=";

    @Override
    public String name() {
        return "json";
    }

    @Override
    public String fileExtension() {
        return "json";
    }

    @Override
    public String contentType() {
        return "application/json";
    }

    @Override
    public boolean resumable() {
        return true;
    }

    @Override
    public ExportWriter open(OutputStream out, ExportLayout layout, String resumeState) throws IOException {
        long rows = 0;
        if (resumeState != null) {
            if (!resumeState.startsWith(STATE)) {
                throw new IllegalArgumentException("not a JSON writer state");
            }
            rows = Long.parseLong(resumeState.substring(STATE.length()));
        }
        JsonRows json = new JsonRows(out, layout);
        if (resumeState == null) {
            json.generator().writeRaw('[');
        }
        return new Writer(json, rows);
    }

    private static final class Writer implements ExportWriter {
        private final JsonRows json;
        private final JsonGenerator gen;
        private long rows;

        Writer(JsonRows json, long rows) {
            this.json = json;
            this.gen = json.generator();
            this.rows = rows;
        }

        @Override
        public void write(ExportRecord record) throws IOException {
            gen.writeRaw(rows++ == 0 ? "\n" : ",\n");
            json.write(record);
        }

        @Override
        public String suspend() throws IOException {
            gen.flush();
            return STATE + rows;
        }

        @Override
        public void finish() throws IOException {
            gen.writeRaw(rows == 0 ? "]\n" : "\n]\n");
            gen.flush();
        }
    }
}
