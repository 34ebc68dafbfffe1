package org.openepro.bench.variant;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the event codecs share: one streaming JSON factory (jackson-core only: no data binding, no
 * reflection) and the readers of the value shapes Lambda events use. Lambda's own events are trusted
 * input within Lambda's 6 MB payload limit, so they get Jackson's default limits, not the request
 * body's ({@code Json}): an event carries a body of up to that body limit, escaped, and more.
 */
final class EventJson {
    static final JsonFactory FACTORY = JsonFactory.builder().build();

    private EventJson() {}

    /** The next token, which must start an object (or be null: the field is then absent). */
    static boolean object(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return false;
        }
        if (t != JsonToken.START_OBJECT) {
            throw new IOException("expected an object at " + p.currentLocation().offsetDescription());
        }
        return true;
    }

    /** A string value; a number or boolean as its text; null as null; an object or array as its JSON. */
    static String text(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            StringWriter json = new StringWriter();
            try (JsonGenerator g = FACTORY.createGenerator(json)) {
                g.copyCurrentStructure(p);
            }
            return json.toString();
        }
        return p.getText();
    }

    static long number(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        return t == JsonToken.VALUE_NUMBER_INT
                ? p.getLongValue()
                : t == JsonToken.VALUE_NULL ? 0 : Long.parseLong(p.getText());
    }

    static boolean bool(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        return t == JsonToken.VALUE_TRUE || (t == JsonToken.VALUE_STRING && Boolean.parseBoolean(p.getText()));
    }

    /** An object of strings (headers, parameters, claims), in document order; null when absent. */
    static Map<String, String> stringMap(JsonParser p) throws IOException {
        if (!object(p)) {
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            map.put(name, text(p));
        }
        return map;
    }

    /** An array of strings; null when absent. */
    static List<String> stringList(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.START_ARRAY) {
            throw new IOException("expected an array at " + p.currentLocation().offsetDescription());
        }
        List<String> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            list.add(text(p));
        }
        return list;
    }

    /** Any JSON value as maps, lists, strings, numbers, booleans and nulls (a Lambda authorizer's context). */
    static Object value(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    map.put(name, value(p));
                }
                yield map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(p));
                }
                yield list;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getNumberValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            default -> null;
        };
    }

    static void stringMap(JsonGenerator g, String field, Map<String, String> map) throws IOException {
        if (map == null) {
            return;
        }
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, String> e : map.entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    static void stringList(JsonGenerator g, String field, List<String> list) throws IOException {
        if (list == null) {
            return;
        }
        g.writeArrayFieldStart(field);
        for (String s : list) {
            g.writeString(s);
        }
        g.writeEndArray();
    }
}
