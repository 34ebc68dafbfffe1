package org.openepro.schedule.scheduler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.util.Map;
import org.openepro.core.json.Json;
import org.openepro.core.schedule.ReminderMessage;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * Publishes reminders to the participant-reminders topic. Message attributes {@code studyId},
 * {@code siteId}, {@code questionnaireId} and {@code kind} let a push service subscribe to what it
 * serves; {@code reminderId} lets it drop a duplicate.
 */
public final class SnsReminderSender implements ReminderSender {
    private static final ObjectWriter WRITER = Json.writer(ReminderMessage.class);

    private final SnsClient sns;
    private final String topicArn;

    public SnsReminderSender(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    @Override
    public String send(ReminderMessage m) {
        String body;
        try {
            body = WRITER.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record of ids cannot fail to serialise", e);
        }
        return sns.publish(b -> b.topicArn(topicArn)
                        .message(body)
                        .messageAttributes(Map.of(
                                "kind", attribute("reminder"),
                                "reminderId", attribute(m.reminderId()),
                                "studyId", attribute(m.studyId()),
                                "siteId", attribute(m.siteId()),
                                "questionnaireId", attribute(m.questionnaireId()))))
                .messageId();
    }

    private static MessageAttributeValue attribute(String value) {
        return MessageAttributeValue.builder()
                .dataType("String")
                .stringValue(value)
                .build();
    }
}
