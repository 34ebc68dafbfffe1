package org.openepro.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openepro.core.json.Json;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What a research nurse would receive, on the developer's console: a local queue subscribed to
 * the nurse-alerts topic (as any nurse endpoint would be), and one line per alert.
 */
public final class AlertListener implements AutoCloseable {
    /** One alert as delivered through the topic; fields the publisher did not set are "-". */
    public record ReceivedAlert(
            String severity,
            String studyId,
            String siteId,
            String rule,
            String alertId,
            Map<String, String> attributes,
            String message) {
        /** The console line: severity, study, site, rule, alert id. */
        public String line() {
            return "ALERT  %-7s study=%s site=%s rule=%s alert=%s".formatted(severity, studyId, siteId, rule, alertId);
        }
    }

    private final SqsClient sqs;
    private final SnsClient sns;
    private final String queueUrl;
    private final String subscriptionArn;
    private final int waitSeconds;
    private final Console console;
    private final Function<String, String> line;
    private final List<ReceivedAlert> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile Thread thread;

    private AlertListener(
            SqsClient sqs,
            SnsClient sns,
            String queueUrl,
            String subscriptionArn,
            int waitSeconds,
            Console console,
            Function<String, String> line) {
        this.sqs = sqs;
        this.sns = sns;
        this.queueUrl = queueUrl;
        this.subscriptionArn = subscriptionArn;
        this.waitSeconds = waitSeconds;
        this.console = console;
        this.line = line;
    }

    /** Creates {@code queueName}, subscribes it to {@code topicArn} (SNS envelope, so the message attributes come too) and starts listening. */
    public static AlertListener start(
            String topicArn, String queueName, SqsClient sqs, SnsClient sns, int waitSeconds, Console console) {
        return start(
                topicArn,
                queueName,
                sqs,
                sns,
                waitSeconds,
                console,
                envelope -> parse(envelope).line());
    }

    /** The same for another topic, each notification printed as {@code line} makes it (e.g. {@link #reminderLine}). */
    public static AlertListener start(
            String topicArn,
            String queueName,
            SqsClient sqs,
            SnsClient sns,
            int waitSeconds,
            Console console,
            Function<String, String> line) {
        String queueUrl = sqs.createQueue(b -> b.queueName(queueName)).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        String subscriptionArn = sns.subscribe(b ->
                        b.topicArn(topicArn).protocol("sqs").endpoint(queueArn).returnSubscriptionArn(true))
                .subscriptionArn();
        AlertListener listener =
                new AlertListener(sqs, sns, queueUrl, subscriptionArn, Math.clamp(waitSeconds, 0, 20), console, line);
        listener.thread = Thread.ofVirtual().name("listener-" + queueName).start(listener::run);
        return listener;
    }

    /** Every alert received so far, oldest first. */
    public List<ReceivedAlert> received() {
        return List.copyOf(received);
    }

    private void run() {
        try {
            while (running) {
                try {
                    List<Message> messages = sqs.receiveMessage(b ->
                                    b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(waitSeconds))
                            .messages();
                    for (Message m : messages) {
                        // printed first: whoever sees the alert in received() finds its line already printed
                        console.line("%s", line.apply(m.body()));
                        received.add(parse(m.body()));
                        sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
                    }
                } catch (RuntimeException e) {
                    if (!running) {
                        // a poll interrupted while stopping: normal, nothing to report
                        break;
                    }
                    console.error("topic listener " + queueUrl, e);
                    Thread.sleep(1000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopped.countDown();
        }
    }

    /**
     * Reads an SNS notification: severity, study and site from its message attributes (what
     * nurses' filter policies use), rule and alert id from the message.
     */
    static ReceivedAlert parse(String snsEnvelope) {
        JsonNode envelope = readJson(snsEnvelope);
        JsonNode attributes = envelope.path("MessageAttributes");
        Map<String, String> attrs = new java.util.LinkedHashMap<>();
        attributes
                .properties()
                .forEach(e -> attrs.put(e.getKey(), e.getValue().path("Value").asText()));
        String text = envelope.path("Message").asText(snsEnvelope);
        JsonNode message = readJson(text);
        return new ReceivedAlert(
                first(attrs.get("severity"), message, "severity"),
                first(attrs.get("studyId"), message, "studyId"),
                first(attrs.get("siteId"), message, "siteId"),
                first(null, message, "ruleId", "rule"),
                first(null, message, "alertId", "id"),
                Map.copyOf(attrs),
                text);
    }

    /**
     * A participant reminder (what the app's push service would deliver) as one console line: ids and
     * times only, as the message carries them.
     */
    static String reminderLine(String snsEnvelope) {
        JsonNode envelope = readJson(snsEnvelope);
        JsonNode m = readJson(envelope.path("Message").asText(snsEnvelope));
        return "REMINDER  study=%s site=%s subject=%s task=%s (%s of %s) window ends %s"
                .formatted(
                        m.path("studyId").asText("-"),
                        m.path("siteId").asText("-"),
                        m.path("subjectId").asText("-"),
                        m.path("taskId").asText("-"),
                        m.path("reminder").asText("-"),
                        m.path("of").asText("-"),
                        m.path("windowEnd").asText("-"));
    }

    private static String first(String preferred, JsonNode message, String... fields) {
        if (preferred != null && !preferred.isBlank()) {
            return preferred;
        }
        for (String f : fields) {
            JsonNode v = message.path(f);
            if (v.isObject()) {
                v = v.path("id");
            }
            if (v.isValueNode() && !v.asText().isBlank()) {
                return v.asText();
            }
        }
        return "-";
    }

    private static JsonNode readJson(String text) {
        try {
            JsonNode node = Json.mapper().readTree(text);
            return node == null ? Json.mapper().createObjectNode() : node;
        } catch (IOException notJson) {
            return Json.mapper().createObjectNode();
        }
    }

    /** Stops listening, then unsubscribes and deletes the local queue (best effort: the emulator may be gone). */
    @Override
    public void close() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt(); // cuts a long poll short; the queue and whatever is left on it are deleted below
        }
        try {
            stopped.await(waitSeconds + 1L, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            sns.unsubscribe(b -> b.subscriptionArn(subscriptionArn));
            sqs.deleteQueue(b -> b.queueUrl(queueUrl));
        } catch (RuntimeException emulatorGone) {
            // at JVM exit the emulator may already be down: nothing left to clean
        }
    }
}
