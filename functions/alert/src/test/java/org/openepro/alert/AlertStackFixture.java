package org.openepro.alert;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.openepro.core.json.Json;
import org.openepro.emulator.EmulatedLambdaContext;
import org.openepro.emulator.EmulatedStack;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** What the alert function's ITs read and subscribe on the emulated stack: the stored alert and nurses' queues. */
final class AlertStackFixture {
    private final EmulatedStack stack;

    AlertStackFixture(EmulatedStack stack) {
        this.stack = stack;
    }

    static EmulatedLambdaContext context() {
        return EmulatedLambdaContext.withRemaining("AlertFunction", 30_000);
    }

    /** The alert's item as stored (strongly consistent), empty when there is none. */
    Map<String, AttributeValue> alertItem(String alertId) {
        return stack.clients()
                .dynamo()
                .getItem(b -> b.tableName(stack.ref("AlertsTable"))
                        .consistentRead(true)
                        .key(Map.of("pk", AttributeValue.fromS("AL#" + alertId), "sk", AttributeValue.fromS("ALERT"))))
                .item();
    }

    /** A nurse's queue, subscribed to the nurse-alerts topic with raw delivery and a filter on site and severity. */
    String subscribe(String siteId, String... severities) {
        var sqs = stack.clients().sqs();
        String url =
                sqs.createQueue(b -> b.queueName("nurse-" + UUID.randomUUID())).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        String filter;
        try {
            filter = Json.mapper()
                    .writeValueAsString(Map.of("siteId", List.of(siteId), "severity", List.of(severities)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        stack.clients()
                .sns()
                .subscribe(b -> b.topicArn(stack.ref("NurseAlertsTopic"))
                        .protocol("sqs")
                        .endpoint(arn)
                        .attributes(Map.of(
                                "RawMessageDelivery",
                                "true",
                                "FilterPolicyScope",
                                "MessageAttributes",
                                "FilterPolicy",
                                filter)));
        return url;
    }
}
