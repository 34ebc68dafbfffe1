package org.openepro.submit;

import software.amazon.awssdk.services.sqs.SqsClient;

/** Sends through the SQS client (the container's one client, shared by concurrent sends). */
public final class SqsMessageSender implements MessageSender {
    private final SqsClient sqs;

    public SqsMessageSender(SqsClient sqs) {
        this.sqs = sqs;
    }

    @Override
    public void send(String queueUrl, String body) {
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
    }
}
