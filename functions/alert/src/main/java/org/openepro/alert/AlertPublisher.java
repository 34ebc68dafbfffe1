package org.openepro.alert;

import java.util.Map;
import org.openepro.core.json.Json;
import org.openepro.core.message.JsonTopic;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Publishes alerts to the nurse-alerts topic. The message attributes {@code studyId},
 * {@code siteId} and {@code severity} let each nurse's subscription filter what it receives;
 * {@code alertId} (also in the body) is stable per (report, rule), so a subscriber drops the rare
 * duplicate a standard topic can deliver (see {@link AlertRaiser}) by that id.
 */
public final class AlertPublisher {
    /** Fixed: e-mail subscribers see it, so it must never vary with the patient or the answers. */
    public static final String SUBJECT = "OpenEPRO clinical alert: please review in the staff console";

    private final JsonTopic<AlertMessage> topic;

    public AlertPublisher(SnsClient sns, String topicArn) {
        this.topic = new JsonTopic<>(sns, topicArn, Json.writer(AlertMessage.class));
    }

    /** @return the topic's message id */
    public String publish(AlertRecord alert) {
        return topic.publish(
                SUBJECT,
                AlertMessage.of(alert),
                Map.of(
                        "alertId", alert.alertId(),
                        "studyId", alert.studyId(),
                        "siteId", alert.siteId(),
                        "severity", alert.severity().name()));
    }
}
