package org.openepro.core.message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.openepro.core.json.Json;

/**
 * Reads an alert-queue body with the codec its {@code type} names; a body without a type was
 * written before the contracts were versioned and is a {@code report.stored} message.
 */
final class AlertQueueCodec implements MessageCodec<AlertQueueMessage> {
    @Override
    public String type() {
        return ReportMessageCodec.TYPE + "|" + MissedPatternMessageCodec.TYPE;
    }

    @Override
    public int schemaVersion() {
        return 1;
    }

    @Override
    public String encode(AlertQueueMessage message) {
        return switch (message) {
            case ReportMessage r -> ReportMessage.CODEC.encode(r);
            case MissedPatternMessage m -> MissedPatternMessage.CODEC.encode(m);
        };
    }

    @Override
    public AlertQueueMessage decode(String body) {
        JsonNode type = typeOf(body);
        if (type == null || (type.isTextual() && type.asText().equals(ReportMessageCodec.TYPE))) {
            return ReportMessage.CODEC.decode(body);
        }
        if (type.isTextual() && type.asText().equals(MissedPatternMessageCodec.TYPE)) {
            return MissedPatternMessage.CODEC.decode(body);
        }
        throw new UndecodableMessageException("message is of no type the alert queue carries");
    }

    /** The body's {@code type}, or null when it has none (or is no JSON object: the report codec refuses it). */
    private static JsonNode typeOf(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode node = Json.mapper().readTree(body);
            return node == null || !node.isObject() ? null : node.get("type");
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
