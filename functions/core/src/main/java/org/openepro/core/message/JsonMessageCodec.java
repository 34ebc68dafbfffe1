package org.openepro.core.message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Pattern;
import org.openepro.core.json.Json;

/**
 * What every message contract's codec shares: a JSON object with {@code type} and
 * {@code schemaVersion}, read and refused by the rules of {@link MessageCodec}. A contract's codec
 * adds its own fields to {@link #envelope()} and reads them from {@link #read}.
 */
abstract class JsonMessageCodec<M> implements MessageCodec<M> {
    private static final ObjectWriter WRITER = Json.writer(ObjectNode.class);
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final String type;
    private final int schemaVersion;

    JsonMessageCodec(String type, int schemaVersion) {
        this.type = type;
        this.schemaVersion = schemaVersion;
    }

    @Override
    public final String type() {
        return type;
    }

    @Override
    public final int schemaVersion() {
        return schemaVersion;
    }

    /** A new body of this type and schema version, for the contract's fields to follow. */
    final ObjectNode envelope() {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("type", type);
        node.put("schemaVersion", schemaVersion);
        return node;
    }

    static String write(ObjectNode node) {
        try {
            return WRITER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of ids cannot fail to serialise", e);
        }
    }

    /**
     * The body as an object of this type, at a schema version this codec reads. A body with neither
     * {@code type} nor {@code schemaVersion} is read as version 1, as written before the contracts
     * were versioned (such messages may still wait on a queue when this reader is deployed).
     */
    final JsonNode read(String body) {
        if (body == null || body.isBlank()) {
            throw refused("empty " + type + " message");
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            // the parser's message quotes the input: keep only the type
            throw refused(type + " message is not valid JSON (" + e.getClass().getSimpleName() + ")");
        }
        if (node == null || !node.isObject()) {
            throw refused(type + " message is not a JSON object");
        }
        JsonNode t = node.get("type");
        JsonNode v = node.get("schemaVersion");
        if (t == null && v == null) {
            return node;
        }
        if (t == null || !t.isTextual() || !t.asText().equals(type)) {
            throw refused("message is not of type " + type);
        }
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 1) {
            throw refused(type + " message needs a schemaVersion >= 1");
        }
        if (v.intValue() > schemaVersion) {
            throw refused(type + " schemaVersion " + v.intValue() + " is newer than this reader's " + schemaVersion);
        }
        return node;
    }

    /** A required UUID field (lower case, as OpenEPRO writes ids). */
    final String uuid(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || !UUID.matcher(v.asText()).matches()) {
            throw refused(type + " message needs " + field + " (a UUID)");
        }
        return v.asText();
    }

    static UndecodableMessageException refused(String reason) {
        return new UndecodableMessageException(reason);
    }
}
