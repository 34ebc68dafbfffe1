package org.openepro.export.format;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import org.openepro.core.json.Json;

/**
 * Writes tabular rows as flat JSON objects keyed by column name (the CSV header), with native
 * JSON types; empty cells are left out. Shared by the json and ndjson formats, which differ only
 * in what separates and surrounds the objects. Not thread-safe.
 */
final class JsonRows {
    private final JsonGenerator gen;
    private final TabularRow row;
    private final SerializedString[] names;
    private final char[] chars = new char[IsoTime.LENGTH];

    JsonRows(OutputStream out, ExportLayout layout) throws IOException {
        this.gen = generator(out);
        this.row = new TabularRow(layout);
        this.names = new SerializedString[layout.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = new SerializedString(layout.columns().get(i).name());
        }
    }

    /** A generator that writes root values with no separator and never closes or flushes the target for us. */
    static JsonGenerator generator(OutputStream out) throws IOException {
        JsonGenerator g = Json.mapper().getFactory().createGenerator(out);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
        g.setRootValueSeparator(null);
        return g;
    }

    JsonGenerator generator() {
        return gen;
    }

    void write(ExportRecord record) throws IOException {
        row.fill(record);
        gen.writeStartObject();
        for (int i = 0; i < names.length; i++) {
            Object v = row.get(i);
            if (v == null) {
                continue;
            }
            gen.writeFieldName(names[i]);
            value(gen, v, chars);
        }
        gen.writeEndObject();
    }

    static void value(JsonGenerator gen, Object v, char[] chars) throws IOException {
        switch (v) {
            case String s -> gen.writeString(s);
            case BigDecimal d -> number(gen, d);
            case Integer n -> gen.writeNumber(n);
            case Boolean b -> gen.writeBoolean(b);
            case Instant t -> instant(gen, t, chars);
            default -> gen.writeString(v.toString());
        }
    }

    static void number(JsonGenerator gen, BigDecimal d) throws IOException {
        if (d.scale() == 0 && d.precision() < 19) {
            gen.writeNumber(d.longValue());
        } else {
            gen.writeNumber(d.toPlainString());
        }
    }

    static void instant(JsonGenerator gen, Instant t, char[] chars) throws IOException {
        int n = IsoTime.format(t, chars);
        if (n < 0) {
            gen.writeString(t.toString());
        } else {
            gen.writeString(chars, 0, n);
        }
    }
}
