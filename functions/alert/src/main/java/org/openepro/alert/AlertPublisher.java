package org.openepro.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.util.Map;
import org.openepro.core.json.Json;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * Publishes alerts to the nurse-alerts topic. The message attributes {@code studyId},
 * {@code siteId} and {@code severity} let each nurse's subscription filter what it receives;
 * {@code alertId} (also in the body) is stable per (report, rule), so a subscriber drops the rare
 * duplicate a standard topic can deliver (see {@link AlertRaiser}) by that id.
 */
public final class AlertPublisher {
    /** Fixed: e-mail subscribers see it, so it must never vary with the patient or the answers. */
    public static final String SUBJECT = "OpenEPRO clinical alert: please review in the staff console";

    private static final ObjectWriter WRITER = Json.writer(AlertMessage.class);

    private final SnsClient sns;
    private final String topicArn;

    public AlertPublisher(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    /** @return the topic's message id */
    public String publish(AlertRecord alert) {
        String body;
        try {
            body = WRITER.writeValueAsString(AlertMessage.of(alert));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record of ids cannot fail to serialise", e);
        }
        return sns.publish(b -> b.topicArn(topicArn)
                        .subject(SUBJECT)
                        .message(body)
                        .messageAttributes(Map.of(
                                "alertId", attribute(alert.alertId()),
                                "studyId", attribute(alert.studyId()),
                                "siteId", attribute(alert.siteId()),
                                "severity", attribute(alert.severity().name()))))
                .messageId();
    }

    private static MessageAttributeValue attribute(String value) {
        return MessageAttributeValue.builder()
                .dataType("String")
                .stringValue(value)
                .build();
    }
}
