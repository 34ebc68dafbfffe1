package org.openepro.schedule.scheduler;

import org.openepro.core.message.AlertQueueMessage;
import org.openepro.core.message.MissedPatternMessage;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Puts a missed-window pattern on the alert queue, the path every nurse alert takes. */
public final class SqsMissedAlertSender implements MissedAlertSender {
    private final SqsClient sqs;
    private final String queueUrl;

    public SqsMissedAlertSender(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void send(MissedPatternMessage m) {
        String body = AlertQueueMessage.CODEC.encode(m);
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
    }
}
