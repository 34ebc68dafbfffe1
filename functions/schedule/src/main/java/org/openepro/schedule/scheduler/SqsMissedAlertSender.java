package org.openepro.schedule.scheduler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import org.openepro.core.json.Json;
import org.openepro.core.schedule.MissedPatternMessage;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Puts a missed-window pattern on the alert queue, the path every nurse alert takes. */
public final class SqsMissedAlertSender implements MissedAlertSender {
    private static final ObjectWriter WRITER = Json.writer(MissedPatternMessage.class);

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsMissedAlertSender(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void send(MissedPatternMessage m) {
        try {
            String body = WRITER.writeValueAsString(m);
            sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record of ids cannot fail to serialise", e);
        }
    }
}
