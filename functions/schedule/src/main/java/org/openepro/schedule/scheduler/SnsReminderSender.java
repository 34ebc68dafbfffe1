package org.openepro.schedule.scheduler;

import java.util.Map;
import org.openepro.core.json.Json;
import org.openepro.core.message.JsonTopic;
import org.openepro.core.schedule.ReminderMessage;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Publishes reminders to the participant-reminders topic. Message attributes {@code studyId},
 * {@code siteId}, {@code questionnaireId} and {@code kind} let a push service subscribe to what it
 * serves; {@code reminderId} lets it drop a duplicate.
 */
public final class SnsReminderSender implements ReminderSender {
    private final JsonTopic<ReminderMessage> topic;

    public SnsReminderSender(SnsClient sns, String topicArn) {
        this.topic = new JsonTopic<>(sns, topicArn, Json.writer(ReminderMessage.class));
    }

    @Override
    public String send(ReminderMessage m) {
        return topic.publish(
                null,
                m,
                Map.of(
                        "kind", "reminder",
                        "reminderId", m.reminderId(),
                        "studyId", m.studyId(),
                        "siteId", m.siteId(),
                        "questionnaireId", m.questionnaireId()));
    }
}
