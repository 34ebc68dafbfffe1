package org.openepro.bench.variant;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A measured variant, not deployed: the SQS event source's event and the partial batch response,
 * read and written with the Jackson the function already loaded: a queue function that is a {@code RequestStreamHandler} never starts the
 * runtime client's own serializer, which needs joda-time for an {@code SQSEvent} even when nothing
 * reads a date, so such an artifact carries no joda-time. Every field of an SQS record is read as the
 * runtime's serializer fills it (binary attribute values decoded from base64).
 */
final class SqsEventCodec {
    private SqsEventCodec() {}

    static SQSEvent read(InputStream in) throws IOException {
        try (JsonParser p = EventJson.FACTORY.createParser(in)) {
            p.nextToken();
            SQSEvent event = new SQSEvent();
            if (!EventJson.object(p)) {
                return event;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("Records") && p.currentToken() == JsonToken.START_ARRAY) {
                    List<SQSEvent.SQSMessage> records = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        records.add(record(p));
                    }
                    event.setRecords(records);
                } else {
                    p.skipChildren();
                }
            }
            return event;
        }
    }

    private static SQSEvent.SQSMessage record(JsonParser p) throws IOException {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        if (!EventJson.object(p)) {
            return m;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "messageId" -> m.setMessageId(EventJson.text(p));
                case "receiptHandle" -> m.setReceiptHandle(EventJson.text(p));
                case "body" -> m.setBody(EventJson.text(p));
                case "md5OfBody" -> m.setMd5OfBody(EventJson.text(p));
                case "md5OfMessageAttributes" -> m.setMd5OfMessageAttributes(EventJson.text(p));
                case "eventSourceARN" -> m.setEventSourceArn(EventJson.text(p));
                case "eventSource" -> m.setEventSource(EventJson.text(p));
                case "awsRegion" -> m.setAwsRegion(EventJson.text(p));
                case "attributes" -> m.setAttributes(EventJson.stringMap(p));
                case "messageAttributes" -> m.setMessageAttributes(messageAttributes(p));
                default -> p.skipChildren();
            }
        }
        return m;
    }

    private static Map<String, SQSEvent.MessageAttribute> messageAttributes(JsonParser p) throws IOException {
        if (!EventJson.object(p)) {
            return null;
        }
        Map<String, SQSEvent.MessageAttribute> attributes = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            SQSEvent.MessageAttribute a = new SQSEvent.MessageAttribute();
            if (EventJson.object(p)) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    switch (field) {
                        case "stringValue" -> a.setStringValue(EventJson.text(p));
                        case "binaryValue" -> a.setBinaryValue(binary(EventJson.text(p)));
                        case "stringListValues" -> a.setStringListValues(EventJson.stringList(p));
                        case "binaryListValues" -> {
                            List<String> encoded = EventJson.stringList(p);
                            a.setBinaryListValues(
                                    encoded == null
                                            ? null
                                            : encoded.stream()
                                                    .map(SqsEventCodec::binary)
                                                    .toList());
                        }
                        case "dataType" -> a.setDataType(EventJson.text(p));
                        default -> p.skipChildren();
                    }
                }
            }
            attributes.put(name, a);
        }
        return attributes;
    }

    private static ByteBuffer binary(String base64) {
        return base64 == null ? null : ByteBuffer.wrap(Base64.getDecoder().decode(base64));
    }

    /** {@code {"batchItemFailures":[{"itemIdentifier":"<messageId>"},...]}}, what the event source mapping reads. */
    static void write(SQSBatchResponse response, OutputStream out) throws IOException {
        try (JsonGenerator g = EventJson.FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeArrayFieldStart("batchItemFailures");
            if (response.getBatchItemFailures() != null) {
                for (SQSBatchResponse.BatchItemFailure f : response.getBatchItemFailures()) {
                    g.writeStartObject();
                    g.writeStringField("itemIdentifier", f.getItemIdentifier());
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }
}
