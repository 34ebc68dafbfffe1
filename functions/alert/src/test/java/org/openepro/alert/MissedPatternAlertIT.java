package org.openepro.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openepro.core.json.Json;
import org.openepro.core.message.AlertQueueMessage;
import org.openepro.core.message.MissedPatternMessage;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedStack;
import org.openepro.emulator.QueueDriver;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The scheduler's missed-window messages through the alert function as the template wires it: one
 * nurse alert per run of misses, however often its message arrives.
 */
@ExtendWith(AwsEmulatorExtension.class)
class MissedPatternAlertIT {
    private EmulatedStack stack;
    private AlertStackFixture alertStack;
    private AlertHandler handler;
    private QueueDriver queue;
    private String study;
    private String site;

    @BeforeEach
    void wire(EmulatedStack stack) {
        this.stack = stack;
        this.alertStack = new AlertStackFixture(stack);
        this.handler =
                new AlertHandler(AlertWiring.builder(AlertConfig.fromEnv(stack.env("AlertFunction")), stack.clients())
                        .build());
        this.queue = new QueueDriver(stack, "AlertQueue");
        this.study = "ST-" + UUID.randomUUID();
        this.site = "SITE-" + UUID.randomUUID();
    }

    @Test
    void aMissedPatternRaisesOneMediumAlertForTheSitesNursesWithIdsOnly() throws Exception {
        // GIVEN a nurse of the site subscribed to MEDIUM alerts, and the scheduler's message after a third miss
        String nurse = alertStack.subscribe(site, "MEDIUM");
        MissedPatternMessage missed = missed("SUBJ-1", "pain-daily.2026-03-22.v1");
        queue.send(AlertQueueMessage.CODEC.encode(missed));

        // WHEN the alert function handles it
        SQSBatchResponse response = handler.handleRequest(queue.event(queue.receive(1)), AlertStackFixture.context());

        // THEN one alert reaches the nurse: its id from the message, a missed-pattern rule, no report
        assertThat(response.getBatchItemFailures()).isEmpty();
        List<Message> got = receiveAll(nurse);
        assertThat(got).singleElement().satisfies(m -> {
            JsonNode body = Json.mapper().readTree(m.body());
            assertThat(body.get("alertId").asText()).isEqualTo(missed.alertId());
            assertThat(body.get("ruleId").asText()).isEqualTo("missed-pattern:pain-daily");
            assertThat(body.get("severity").asText()).isEqualTo("MEDIUM");
            assertThat(body.get("subjectId").asText()).isEqualTo("SUBJ-1");
            assertThat(body.get("questionnaire").asText()).isEqualTo(missed.questionnaire());
            assertThat(body.has("reportId")).isFalse();
            assertThat(m.messageAttributes().get("alertId").stringValue()).isEqualTo(missed.alertId());
        });
        // AND it is stored open and published, in the study's list, without a report id
        Map<String, AttributeValue> item = alertStack.alertItem(missed.alertId());
        assertThat(item.get("status").s()).isEqualTo("OPEN");
        assertThat(item.get("publishState").s()).isEqualTo("PUBLISHED");
        assertThat(item.get("studyId").s()).isEqualTo(study);
        assertThat(item).doesNotContainKey("reportId");
    }

    @Test
    void theSameMissedPatternSentAgainOrTwiceInOneBatchPublishesNothingMore() {
        // GIVEN the message handled once
        String nurse = alertStack.subscribe(site, "MEDIUM");
        MissedPatternMessage missed = missed("SUBJ-2", "pain-daily.2026-03-22.v1");
        queue.send(AlertQueueMessage.CODEC.encode(missed));
        assertThat(handler.handleRequest(queue.event(queue.receive(1)), AlertStackFixture.context())
                        .getBatchItemFailures())
                .isEmpty();
        assertThat(receiveAll(nurse)).hasSize(1);

        // WHEN the scheduler sends it again, twice, and both arrive in one batch
        queue.send(AlertQueueMessage.CODEC.encode(missed));
        queue.send(AlertQueueMessage.CODEC.encode(missed));
        SQSBatchResponse response = handler.handleRequest(queue.event(queue.receive(2)), AlertStackFixture.context());

        // THEN nothing failed and the nurse got nothing more
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(receiveAll(nurse)).isEmpty();
    }

    @Test
    void anAlertQueueMessageOfAnUnknownTypeFailsItsRecordAndRaisesNothing() {
        String nurse = alertStack.subscribe(site, "MEDIUM", "HIGH", "URGENT", "LOW");
        String id =
                queue.send("{\"type\":\"schedule.something-else\",\"schemaVersion\":1,\"studyId\":\"" + study + "\"}");

        SQSBatchResponse response = handler.handleRequest(queue.event(queue.receive(1)), AlertStackFixture.context());

        assertThat(response.getBatchItemFailures())
                .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(id);
        assertThat(receiveAll(nurse)).isEmpty();
    }

    private MissedPatternMessage missed(String subject, String taskId) {
        return new MissedPatternMessage(
                MissedPatternMessage.alertId(study, subject, taskId),
                study,
                site,
                subject,
                "pain-daily",
                "pain-nrs",
                "https://openepro.dev/fhir/Questionnaire/pain-nrs|1.0.0",
                taskId,
                3,
                "MEDIUM",
                "2026-03-22T23:00:00.000Z");
    }

    private List<Message> receiveAll(String queueUrl) {
        List<Message> all = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            all.addAll(stack.clients()
                    .sqs()
                    .receiveMessage(b -> b.queueUrl(queueUrl)
                            .maxNumberOfMessages(10)
                            .waitTimeSeconds(1)
                            .messageAttributeNames("All"))
                    .messages());
        }
        return all;
    }
}
