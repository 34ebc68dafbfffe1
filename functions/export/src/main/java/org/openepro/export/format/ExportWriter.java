package org.openepro.export.format;

import java.io.IOException;

/** Writes one file's records in order. Not thread-safe. */
public interface ExportWriter {
    void write(ExportRecord record) throws IOException;

    /**
     * Flushes every byte written so far to the stream and returns the small state needed to
     * continue the file in another process; the stream then ends at a record boundary.
     *
     * @throws UnsupportedOperationException when the format is not {@link Exporter#resumable()}
     */
    String suspend() throws IOException;

    /** Writes what closes the file (a JSON array's bracket, a workbook's directory) and flushes. */
    void finish() throws IOException;

    /** The files inside the file written (a zip's entries), once finished; empty for a plain file. */
    default java.util.List<Entry> contents() {
        return java.util.List.of();
    }

    /**
     * One file inside a package.
     *
     * @param rows data rows without the header, or -1 for a file without rows (a syntax file)
     */
    record Entry(String name, long bytes, String sha256, long rows) {}
}
