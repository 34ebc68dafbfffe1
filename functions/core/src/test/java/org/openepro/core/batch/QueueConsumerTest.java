package org.openepro.core.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openepro.core.log.CapturedOutput;
import org.openepro.core.log.Log;
import org.openepro.core.message.ReportMessage;
import org.openepro.core.metrics.Metrics;

class QueueConsumerTest {
    private static final String REPORT_A = "0193a4f2-7c1e-7b3a-9d2e-4f5a6b7c8d9e";
    private static final String REPORT_B = "0193a4f2-7c1e-7b3a-9d2e-4f5a6b7c8d9f";
    private static final String NAME = "Margaret Thistlewood";

    @RegisterExtension
    final CapturedOutput output = new CapturedOutput();

    @Test
    void anUndecodableBodyFailsItsRecordOnlyIsCountedAndLoggedWithoutTheBody() {
        // GIVEN a batch of two good messages around one no reader can act on (it quotes a name)
        SQSEvent batch = batch(
                ReportMessage.CODEC.encode(new ReportMessage(REPORT_A, 1, "S")),
                "{\"note\":\"called by " + NAME + "\"}",
                ReportMessage.CODEC.encode(new ReportMessage(REPORT_B, 1, "S")));
        Set<String> handled = ConcurrentHashMap.newKeySet();
        QueueConsumer<ReportMessage> consumer = QueueConsumer.builder(
                        ReportMessage.CODEC,
                        new SqsBatchProcessor(4, Duration.ofSeconds(5)),
                        Metrics.forService("consumer-test"))
                .oneAtATimePer(ReportMessage::reportId)
                .build();

        // WHEN it is consumed
        SQSBatchResponse response =
                consumer.consume(batch, null, (message, context) -> handled.add(message.reportId()));

        // THEN only the undecodable record comes back (to reach the dead-letter queue), the others were handled
        assertThat(response.getBatchItemFailures())
                .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("m-1");
        assertThat(handled).containsExactlyInAnyOrder(REPORT_A, REPORT_B);
        // AND it is logged with its message id and the reason, never the body; counted once, flushed once
        JsonNode line = output.onlyLine("message.undecodable");
        assertThat(line.path("messageId").asText()).isEqualTo("m-1");
        assertThat(line.path("type").asText()).isEqualTo("report.stored");
        assertThat(line.path("reason").asText()).isEqualTo("report.stored message needs reportId (a UUID)");
        assertThat(line.path("receiveCount").asText()).isEqualTo("3");
        assertThat(output.logText()).doesNotContain(NAME);
        List<JsonNode> metrics = output.metricDocuments();
        assertThat(metrics).hasSize(1);
        assertThat(metrics.get(0).path("MessagesUndecodable").asInt()).isEqualTo(1);
        assertThat(metrics.get(0).path("RecordsFailed").asInt()).isEqualTo(1);
    }

    @Test
    void aFailingWorkFailsItsRecordAndTheMetricsAreStillFlushedOnce() {
        SQSEvent batch = batch(ReportMessage.CODEC.encode(new ReportMessage(REPORT_A, 1, "S")));
        QueueConsumer<ReportMessage> consumer = QueueConsumer.builder(
                        ReportMessage.CODEC,
                        new SqsBatchProcessor(1, Duration.ofSeconds(5)),
                        Metrics.forService("consumer-test"))
                .build();

        SQSBatchResponse response = consumer.consume(batch, null, (message, context) -> {
            throw new IllegalStateException("table unavailable");
        });

        assertThat(response.getBatchItemFailures()).hasSize(1);
        assertThat(output.metricDocuments())
                .singleElement()
                .satisfies(m -> assertThat(m.path("RecordsFailed").asInt()).isEqualTo(1));
        assertThat(Log.currentRequestIds()).isNull();
    }

    private static SQSEvent batch(String... bodies) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (int i = 0; i < bodies.length; i++) {
            SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
            m.setMessageId("m-" + i);
            m.setBody(bodies[i]);
            m.setAttributes(Map.of("ApproximateReceiveCount", "3"));
            records.add(m);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }
}
