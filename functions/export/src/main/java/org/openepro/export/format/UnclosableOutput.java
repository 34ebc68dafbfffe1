package org.openepro.export.format;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A stream whose close leaves the stream under it open: a library that closes what it writes to (a zip stream,
 * fastexcel's workbook) must not close a zip entry's stream or the export's sink, which their owner closes.
 */
final class UnclosableOutput extends FilterOutputStream {
    private final boolean passesFlush;

    private UnclosableOutput(OutputStream out, boolean passesFlush) {
        super(out);
        this.passesFlush = passesFlush;
    }

    /** Flushes reach the stream under it; a close is a flush. */
    static OutputStream flushing(OutputStream out) {
        return new UnclosableOutput(out, true);
    }

    /** Flushes stop here: the sink seals a part only when it is full, never on a flush (fastexcel flushes often). */
    static OutputStream notFlushing(OutputStream out) {
        return new UnclosableOutput(out, false);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        if (passesFlush) {
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
