package org.openepro.export.format;

import java.io.IOException;
import java.io.OutputStream;

/**
 * One export format. Stateless and thread-safe: {@link #open} starts (or resumes) one file.
 * Registered by name in {@link ExporterRegistry}; adding a format touches no handler.
 */
public interface Exporter {
    /** The request's {@code format} value, e.g. {@code csv}. */
    String name();

    String fileExtension();

    String contentType();

    /** The resource type a FHIR Bulk Data manifest lists for this file. */
    default String manifestType() {
        return "ExportRow";
    }

    /**
     * Whether a file can be suspended at a row boundary and continued by another process. A
     * format whose encoder state cannot be saved (xlsx: a zip stream) must finish in one invocation.
     */
    boolean resumable();

    /**
     * Starts a file, or continues one from the state a previous {@link ExportWriter#suspend()}
     * returned (then nothing that was already written is written again).
     */
    ExportWriter open(OutputStream out, ExportLayout layout, String resumeState) throws IOException;
}
