package org.openepro.export.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.openepro.core.json.Json;

/**
 * Writes tabular rows as flat JSON objects keyed by column name (the CSV header), with native
 * JSON types; empty cells are left out. Shared by the json and ndjson formats, which differ only
 * in what separates and surrounds the objects. Encoded by hand into one reused buffer (field names
 * pre-encoded once per export, strings escaped per RFC 8259) because this loop runs once per cell
 * of a million-row file; a general JSON generator costs several times more here. Not thread-safe.
 */
final class JsonRows {
    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final Utf8Output out;
    private final TabularRow row;
    private final byte[][] names;

    JsonRows(OutputStream target, ExportLayout layout) {
        this.out = new Utf8Output(target, 64 * 1024);
        this.row = new TabularRow(layout);
        this.names = new byte[layout.size()][];
        for (int i = 0; i < names.length; i++) {
            try {
                // "name": encoded by the one JSON setup, so any character in a column name is escaped right
                names[i] = (Json.mapper()
                                        .writeValueAsString(
                                                layout.columns().get(i).name()) + ":")
                        .getBytes(StandardCharsets.UTF_8);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a column name cannot be encoded", e);
            }
        }
    }

    Utf8Output output() {
        return out;
    }

    /** How many rows the record makes (one, or one per answer and score in the long layout). */
    int rows(ExportRecord record) {
        return row.rows(record);
    }

    /** Writes the record's row {@code index} as one object. */
    void write(ExportRecord record, int index) throws IOException {
        row.fill(record, index);
        out.write((byte) '{');
        boolean first = true;
        for (int i = row.nextFilled(0); i >= 0; i = row.nextFilled(i + 1)) {
            Object v = row.get(i);
            if (!first) {
                out.write((byte) ',');
            }
            first = false;
            out.writeAscii(names[i]);
            switch (v) {
                case String s -> string(s);
                case BigDecimal d -> out.writeDecimal(d);
                case Integer n -> out.writeLong(n);
                case Boolean b -> out.writeAscii(b ? TRUE : FALSE);
                case Instant t -> {
                    out.write((byte) '"');
                    out.writeInstant(t);
                    out.write((byte) '"');
                }
                default -> string(v.toString());
            }
        }
        out.write((byte) '}');
    }

    /** A JSON string: quote, backslash and control characters escaped; other text as UTF-8. */
    private void string(String s) throws IOException {
        out.write((byte) '"');
        if (out.writePlainAscii(s, true)) {
            out.write((byte) '"');
            return;
        }
        int start = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            if (i > start) {
                out.writeUtf8(s.subSequence(start, i));
            }
            out.write((byte) '\\');
            switch (c) {
                case '"' -> out.write((byte) '"');
                case '\\' -> out.write((byte) '\\');
                case '\n' -> out.write((byte) 'n');
                case '\r' -> out.write((byte) 'r');
                case '\t' -> out.write((byte) 't');
                case '\b' -> out.write((byte) 'b');
                case '\f' -> out.write((byte) 'f');
                default -> {
                    out.write((byte) 'u');
                    out.write((byte) '0');
                    out.write((byte) '0');
                    out.write(HEX[c >> 4]);
                    out.write(HEX[c & 0xf]);
                }
            }
            start = i + 1;
        }
        if (start == 0) {
            out.writeUtf8(s);
        } else if (start < n) {
            out.writeUtf8(s.subSequence(start, n));
        }
        out.write((byte) '"');
    }
}
