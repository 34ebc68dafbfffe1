package org.openepro.emulator;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** Messages received through the SDK as the {@link SQSEvent} Lambda's event source mapping would pass. */
public final class SqsEvents {
    private SqsEvents() {}

    public static SQSEvent toEvent(List<Message> messages, String queueArn, String region) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>(messages.size());
        for (Message m : messages) {
            records.add(toRecord(m, queueArn, region));
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    public static SQSEvent.SQSMessage toRecord(Message m, String queueArn, String region) {
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
        a.setBinaryValue(
                value.binaryValue() == null ? null : value.binaryValue().asByteBuffer());
        a.setStringListValues(value.hasStringListValues() ? value.stringListValues() : List.of());
        a.setBinaryListValues(
                value.hasBinaryListValues()
                        ? value.binaryListValues().stream()
                                .map(SdkBytes::asByteBuffer)
                                .toList()
                        : List.of());
        return a;
    }
}
