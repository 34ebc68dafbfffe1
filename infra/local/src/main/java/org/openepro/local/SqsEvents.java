package org.openepro.local;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openepro.core.json.Json;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Lambda's SQS event source mapping, in two halves: received messages as the {@link SQSEvent}
 * a handler gets, and the handler's answer as the messages to delete (partial batch failures).
 */
public final class SqsEvents {
    private SqsEvents() {
    }

    public static SQSEvent toEvent(List<Message> messages, String queueArn, String region) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>(messages.size());
        for (Message m : messages) {
            records.add(toRecord(m, queueArn, region));
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    static SQSEvent.SQSMessage toRecord(Message m, String queueArn, String region) {
        SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
        record.setMessageId(m.messageId());
        record.setReceiptHandle(m.receiptHandle());
        record.setBody(m.body());
        record.setMd5OfBody(m.md5OfBody());
        record.setMd5OfMessageAttributes(m.md5OfMessageAttributes());
        record.setAttributes(new LinkedHashMap<>(m.attributesAsStrings()));
        Map<String, SQSEvent.MessageAttribute> attributes = new LinkedHashMap<>();
        m.messageAttributes().forEach((name, value) -> attributes.put(name, toAttribute(value)));
        record.setMessageAttributes(attributes);
        record.setEventSource("aws:sqs");
        record.setEventSourceArn(queueArn);
        record.setAwsRegion(region);
        return record;
    }

    private static SQSEvent.MessageAttribute toAttribute(MessageAttributeValue value) {
        SQSEvent.MessageAttribute a = new SQSEvent.MessageAttribute();
        a.setDataType(value.dataType());
        a.setStringValue(value.stringValue());
        a.setBinaryValue(value.binaryValue() == null ? null : value.binaryValue().asByteBuffer());
        a.setStringListValues(value.hasStringListValues() ? value.stringListValues() : List.of());
        a.setBinaryListValues(value.hasBinaryListValues()
                ? value.binaryListValues().stream().map(SdkBytes::asByteBuffer).toList() : List.of());
        return a;
    }

    /**
     * The messages Lambda deletes after a successful invocation. Without ReportBatchItemFailures:
     * all. With it: all but the reported ones; an empty or null response means all succeeded; a
     * response Lambda cannot read (an unknown, null or empty itemIdentifier, or not the batch
     * response's shape) fails the whole batch, so nothing is deleted.
     */
    public static List<Message> toDelete(List<Message> batch, Object response, boolean reportsBatchItemFailures) {
        if (!reportsBatchItemFailures || response == null) {
            return batch;
        }
        SQSBatchResponse answer;
        if (response instanceof SQSBatchResponse r) {
            answer = r;
        } else {
            try {
                answer = Json.mapper().convertValue(response, SQSBatchResponse.class);
            } catch (IllegalArgumentException notABatchResponse) {
                return List.of();
            }
        }
        if (answer == null || answer.getBatchItemFailures() == null || answer.getBatchItemFailures().isEmpty()) {
            return batch;
        }
        Set<String> ids = new HashSet<>();
        batch.forEach(m -> ids.add(m.messageId()));
        Set<String> failed = new HashSet<>();
        for (SQSBatchResponse.BatchItemFailure f : answer.getBatchItemFailures()) {
            String id = f == null ? null : f.getItemIdentifier();
            if (id == null || id.isEmpty() || !ids.contains(id)) {
                return List.of();
            }
            failed.add(id);
        }
        return batch.stream().filter(m -> !failed.contains(m.messageId())).toList();
    }
}
