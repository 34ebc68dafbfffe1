package org.openepro.export.format;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A small buffered UTF-8 encoder over an output stream, for the text formats' hot loops: strings,
 * numbers and instants are encoded straight into one reused array, without a String or char[]
 * per value. Not thread-safe; {@link #flush()} hands the bytes on (it does not flush the target).
 */
final class Utf8Output {
    private static final byte[] DIGITS = "0123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final byte[] buf;
    private final char[] chars = new char[IsoTime.LENGTH];
    private int pos;

    Utf8Output(OutputStream out, int bufferBytes) {
        this.out = out;
        this.buf = new byte[bufferBytes];
    }

    void ensure(int bytes) throws IOException {
        if (buf.length - pos < bytes) {
            flush();
        }
    }

    void write(byte b) throws IOException {
        if (pos == buf.length) {
            flush();
        }
        buf[pos++] = b;
    }

    void writeAscii(byte[] bytes) throws IOException {
        if (bytes.length > buf.length - pos) {
            flush();
            if (bytes.length > buf.length) {
                out.write(bytes);
                return;
            }
        }
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
    }

    /**
     * Writes {@code s} if it is plain ASCII that needs no quoting or escaping and returns true;
     * otherwise writes nothing and returns false. The common case of the hot loops, in one pass.
     *
     * @param json true for a JSON string body (no control character, quote or backslash); false for
     *             a CSV field (no delimiter, quote, CR or LF)
     */
    boolean writePlainAscii(String s, boolean json) throws IOException {
        int n = s.length();
        if (buf.length - pos < n) {
            flush();
            if (buf.length < n) {
                return false;
            }
        }
        int p = pos;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean special = json ? c < 0x20 || c == '"' || c == '\\' : c == ',' || c == '"' || c == '\r' || c == '\n';
            if (c >= 0x80 || special) {
                return false;
            }
            buf[p++] = (byte) c;
        }
        pos = p;
        return true;
    }

    /** UTF-8 of a Java string (a lone surrogate becomes '?', as String.getBytes does). */
    void writeUtf8(CharSequence s) throws IOException {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (buf.length - pos < 4) {
                flush();
            }
            if (c < 0x80) {
                buf[pos++] = (byte) c;
            } else if (c < 0x800) {
                buf[pos++] = (byte) (0xc0 | (c >> 6));
                buf[pos++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                buf[pos++] = (byte) (0xf0 | (cp >> 18));
                buf[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                buf[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                buf[pos++] = (byte) (0x80 | (cp & 0x3f));
            } else if (Character.isSurrogate(c)) {
                buf[pos++] = '?';
            } else {
                buf[pos++] = (byte) (0xe0 | (c >> 12));
                buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                buf[pos++] = (byte) (0x80 | (c & 0x3f));
            }
        }
    }

    void writeLong(long v) throws IOException {
        ensure(20);
        if (v == Long.MIN_VALUE) {
            writeAscii(Long.toString(v).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return;
        }
        if (v < 0) {
            buf[pos++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        int end = pos + digits;
        for (int i = end - 1; i >= pos; i--) {
            buf[i] = DIGITS[(int) (v % 10)];
            v /= 10;
        }
        pos = end;
    }

    /** A decimal in plain notation (never an exponent, which some readers would take as text). */
    void writeDecimal(BigDecimal d) throws IOException {
        if (d.scale() == 0 && d.precision() < 19) {
            writeLong(d.longValue());
        } else {
            writeUtf8(d.toPlainString());
        }
    }

    /** ISO-8601 UTC with milliseconds, e.g. 2026-03-01T08:15:00.000Z. */
    void writeInstant(Instant t) throws IOException {
        int n = IsoTime.format(t, chars);
        if (n < 0) {
            writeUtf8(t.toString());
            return;
        }
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[pos++] = (byte) chars[i];
        }
    }

    void flush() throws IOException {
        if (pos > 0) {
            out.write(buf, 0, pos);
            pos = 0;
        }
    }
}
