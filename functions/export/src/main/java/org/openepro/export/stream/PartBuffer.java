package org.openepro.export.stream;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

/**
 * One S3 multipart part being filled, then uploaded straight from its array (no copy), then
 * handed back to its {@link PartBufferPool} for the next part or the next export.
 */
public final class PartBuffer {
    private final byte[] data;
    private int length;

    PartBuffer(int capacity) {
        this.data = new byte[capacity];
    }

    public int length() {
        return length;
    }

    public int remaining() {
        return data.length - length;
    }

    public boolean full() {
        return length == data.length;
    }

    /** Copies up to {@code len} bytes in; returns how many fitted. */
    public int put(byte[] src, int off, int len) {
        int n = Math.min(len, data.length - length);
        System.arraycopy(src, off, data, length, n);
        length += n;
        return n;
    }

    public void put(byte b) {
        data[length++] = b;
    }

    /** Fills the buffer from a stream (a checkpoint's tail); fails if the stream holds more than fits. */
    public void fill(InputStream in) throws java.io.IOException {
        int n;
        while ((n = in.read(data, length, data.length - length)) > 0) {
            length += n;
        }
        if (length == data.length && in.read() >= 0) {
            throw new java.io.IOException("checkpoint tail larger than a part");
        }
    }

    /** A fresh stream over the filled bytes, for each (re)try of the upload. */
    public InputStream newStream() {
        return new ByteArrayInputStream(data, 0, length);
    }

    byte[] array() {
        return data;
    }

    void clear() {
        length = 0;
    }
}
