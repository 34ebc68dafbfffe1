package org.openepro.emulator;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.openepro.core.json.Json;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Plays Lambda's SQS event source against one of the stack's queues, for integration tests: it
 * receives messages for real (each receive counts toward the queue's {@code maxReceiveCount}),
 * turns them into the {@link SQSEvent} a handler gets, and makes failed ones visible again at
 * once instead of after the visibility timeout.
 */
public final class QueueDriver {
    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final String region;

    public QueueDriver(EmulatedStack stack, String queueLogicalId) {
        this.sqs = stack.clients().sqs();
        this.queueUrl = stack.ref(queueLogicalId);
        this.queueArn = stack.resource(queueLogicalId).arn();
        this.region = stack.region();
    }

    /** @return the message id SQS assigned */
    public String send(String body) {
        return sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body)).messageId();
    }

    /** Receives until {@code count} messages are in hand (or about five seconds have passed). */
    public List<Message> receive(int count) {
        List<Message> received = new ArrayList<>(count);
        for (int attempt = 0; attempt < 5 && received.size() < count; attempt++) {
            received.addAll(receiveOnce(count - received.size()));
        }
        return received;
    }

    /** One receive call, waiting up to a second. */
    public List<Message> receiveOnce(int max) {
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                        .maxNumberOfMessages(Math.min(10, max))
                        .waitTimeSeconds(1)
                        .messageSystemAttributeNamesWithStrings("All")
                        .messageAttributeNames("All"))
                .messages();
    }

    /** The event Lambda would pass for these received messages. */
    public SQSEvent event(List<Message> messages) {
        return SqsEvents.toEvent(messages, queueArn, region);
    }

    /** What Lambda does with a failed record, without waiting for the visibility timeout. */
    public void makeVisibleAgain(List<Message> messages) {
        for (Message m : messages) {
            sqs.changeMessageVisibility(
                    b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
        }
    }

    /** What Lambda does with a batch's successful records. */
    public void delete(List<Message> messages) {
        for (Message m : messages) {
            sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
        }
    }

    /** The queue's redrive policy as the template configured it. */
    public int maxReceiveCount() {
        return redrivePolicy().path("maxReceiveCount").asInt();
    }

    public String deadLetterQueueUrl() {
        String arn = redrivePolicy().path("deadLetterTargetArn").asText();
        String name = arn.substring(arn.lastIndexOf(':') + 1);
        return sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
    }

    private JsonNode redrivePolicy() {
        String policy = sqs.getQueueAttributes(
                        b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.REDRIVE_POLICY))
                .attributes()
                .get(QueueAttributeName.REDRIVE_POLICY);
        try {
            return Json.mapper().readTree(policy);
        } catch (IOException e) {
            throw new UncheckedIOException("queue has no readable redrive policy", e);
        }
    }
}
