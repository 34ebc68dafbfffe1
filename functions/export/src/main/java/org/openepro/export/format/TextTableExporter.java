package org.openepro.export.format;

import java.io.IOException;
import java.io.OutputStream;
import java.util.EnumSet;
import java.util.Set;

/**
 * A text format of rows (CSV, JSON, NDJSON): every layout, and the per-questionnaire one as a zip of one file per
 * questionnaire written by the format's own writer. A subclass says only how one file is written and resumed.
 */
abstract class TextTableExporter implements Exporter {
    private final Format format;

    TextTableExporter(Format format) {
        this.format = format;
    }

    @Override
    public final Format format() {
        return format;
    }

    @Override
    public final Format format(TableLayout layout) {
        return layout == TableLayout.PER_QUESTIONNAIRE ? Exporter.zipOf(format) : format;
    }

    @Override
    public final Set<TableLayout> layouts() {
        return EnumSet.allOf(TableLayout.class);
    }

    @Override
    public final ExportWriter open(OutputStream out, ExportLayout layout, String resumeState) throws IOException {
        if (layout.shape() == TableLayout.PER_QUESTIONNAIRE) {
            Exporter.refuseResume(resumeState, "a zip");
            return new ZippedTables(
                    out, layout, format.fileExtension(), (entry, table) -> openFile(entry, table, null));
        }
        return openFile(out, layout, resumeState);
    }

    /**
     * Starts one file of this format on {@code out}, or continues it from the state its writer's
     * {@link ExportWriter#suspend()} returned; a state of another format is an {@link IllegalArgumentException}.
     */
    abstract ExportWriter openFile(OutputStream out, ExportLayout layout, String resumeState) throws IOException;
}
