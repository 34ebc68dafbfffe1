package org.openepro.export.format;

import java.io.IOException;
import java.io.OutputStream;

/**
 * One export format. Stateless and thread-safe: {@link #open} starts (or resumes) one file.
 * Registered by name in {@link ExporterRegistry}; adding a format touches no handler.
 */
public interface Exporter {
    /**
     * What a format is.
     *
     * @param name         the request's {@code format} value, e.g. {@code csv}
     * @param manifestType the resource type a FHIR Bulk Data manifest lists for the file
     * @param resumable    whether a file can be suspended at a row boundary and continued by another
     *                     process; a format whose encoder state cannot be saved (xlsx: a zip stream)
     *                     must finish in one invocation
     */
    record Format(String name, String fileExtension, String contentType, String manifestType, boolean resumable) {
    }

    Format format();

    default String name() {
        return format().name();
    }

    default String fileExtension() {
        return format().fileExtension();
    }

    default String contentType() {
        return format().contentType();
    }

    default String manifestType() {
        return format().manifestType();
    }

    default boolean resumable() {
        return format().resumable();
    }

    /**
     * Starts a file, or continues one from the state a previous {@link ExportWriter#suspend()}
     * returned (then nothing that was already written is written again).
     */
    ExportWriter open(OutputStream out, ExportLayout layout, String resumeState) throws IOException;
}
