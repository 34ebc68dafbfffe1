package org.openepro.core.message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * An SNS topic a function publishes one kind of JSON message to (a record of ids), with string message attributes
 * that subscriptions filter on and subscribers drop duplicates by.
 */
public record JsonTopic<M>(SnsClient sns, String topicArn, ObjectWriter writer) {
    /**
     * @param subject    the e-mail subject, fixed text (never patient data), or null for none
     * @param attributes attribute name to value, each a {@code String} attribute
     * @return the topic's message id
     */
    public String publish(String subject, M message, Map<String, String> attributes) {
        String body;
        try {
            body = writer.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record of ids cannot fail to serialise", e);
        }
        Map<String, MessageAttributeValue> typed = new HashMap<>();
        attributes.forEach((name, value) -> typed.put(
                name,
                MessageAttributeValue.builder()
                        .dataType("String")
                        .stringValue(value)
                        .build()));
        return sns.publish(
                        b -> b.topicArn(topicArn).subject(subject).message(body).messageAttributes(typed))
                .messageId();
    }
}
