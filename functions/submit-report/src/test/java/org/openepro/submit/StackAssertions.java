package org.openepro.submit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openepro.core.id.Participant;
import org.openepro.emulator.EmulatedStack;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

/** Reads back what a test caused in the emulated stack. */
final class StackAssertions {
    private StackAssertions() {}

    /** Every stored report version of this participant. */
    static List<Map<String, AttributeValue>> reports(EmulatedStack stack, Participant patient) {
        return stack.clients()
                .dynamo()
                .scan(b -> b.tableName(stack.ref("ReportsTable"))
                        .filterExpression("begins_with(pk, :r) AND subjectId = :s AND studyId = :study")
                        .expressionAttributeValues(Map.of(
                                ":r",
                                AttributeValue.fromS("R#"),
                                ":s",
                                AttributeValue.fromS(patient.subjectId()),
                                ":study",
                                AttributeValue.fromS(patient.studyId()))))
                .items();
    }

    /** Every audit event of the participant's study. */
    static List<Map<String, AttributeValue>> auditEvents(EmulatedStack stack, String studyId) {
        return stack.clients()
                .dynamo()
                .query(b -> b.tableName(stack.ref("AuditTable"))
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("A#" + studyId))))
                .items();
    }

    /** Every message now visible on the queue (received, so they become invisible). */
    static List<Message> drain(EmulatedStack stack, String queue) {
        List<Message> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            var batch = stack.clients()
                    .sqs()
                    .receiveMessage(b ->
                            b.queueUrl(stack.ref(queue)).maxNumberOfMessages(10).waitTimeSeconds(0))
                    .messages();
            if (batch.isEmpty()) {
                break;
            }
            all.addAll(batch);
        }
        return all;
    }

    /** Outbox items (pending deliveries) of a report. */
    static List<Map<String, AttributeValue>> outbox(EmulatedStack stack, String reportId) {
        return stack.clients()
                .dynamo()
                .scan(b -> b.tableName(stack.ref("ReportsTable"))
                        .filterExpression("begins_with(pk, :o)")
                        .expressionAttributeValues(Map.of(":o", AttributeValue.fromS("O#" + reportId))))
                .items();
    }
}
