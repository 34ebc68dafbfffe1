package org.openepro.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openepro.core.message.ReportMessage;
import org.openepro.core.projection.ProjectionKeys;
import org.openepro.core.report.Report;
import org.openepro.core.report.ReportItems;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedLambdaContext;
import org.openepro.emulator.EmulatedStack;
import org.openepro.emulator.QueueDriver;
import org.openepro.emulator.SampleReports;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

/** The index-report handler as the template wires it, fed with messages received from the stack's index queue. */
@ExtendWith(AwsEmulatorExtension.class)
class IndexReportHandlerIT {
    private static final Instant RECEIVED = Instant.parse("2026-11-27T09:30:00.000Z");
    private static final LocalDate DAY = LocalDate.parse("2026-11-27");

    private EmulatedStack stack;
    private DynamoDbClient dynamo;
    private IndexReportHandler handler;
    private QueueDriver queue;
    private String study;

    @BeforeEach
    void wire(EmulatedStack stack) {
        this.stack = stack;
        this.dynamo = stack.clients().dynamo();
        // records run concurrently, as on Lambda: the project's emulator serves concurrent transactions
        this.handler = new IndexReportHandler(IndexWiring.of(
                IndexConfig.fromEnv(stack.env("IndexReportFunction")),
                stack.clientsFor("IndexReportFunction"),
                Clock.systemUTC()));
        this.queue = new QueueDriver(stack, "IndexQueue");
        this.study = "ST-" + UUID.randomUUID();
    }

    @Test
    void aPartialFailureReturnsOnlyTheFailedMessages() {
        // GIVEN two stored reports, a message for a report that was never stored, and a broken message
        Report a = store(
                SampleReports.of("phq-9").study(study).receivedAt(RECEIVED).build());
        Report b = store(SampleReports.of("gad-7")
                .study(study)
                .receivedAt(RECEIVED)
                .onTime(false)
                .build());
        queue.send(message(a));
        String missing = queue.send(
                ReportMessage.CODEC.encode(new ReportMessage(UUID.randomUUID().toString(), 1, study)));
        queue.send(message(b));
        String broken = queue.send("{\"reportId\": ");
        List<Message> received = queue.receive(4);
        assertThat(received).hasSize(4);

        // WHEN the batch is handled
        SQSBatchResponse response = handler.handleRequest(queue.event(received), context());

        // THEN only the two bad messages come back
        assertThat(failedIds(response)).containsExactlyInAnyOrder(missing, broken);
        // AND the good ones are indexed and counted
        assertThat(reportRow(a)).isPresent();
        assertThat(reportRow(b)).isPresent();
        Map<String, AttributeValue> counter = counter("SITE-01", DAY);
        assertThat(n(counter, "submissions")).isEqualTo(2);
        assertThat(n(counter, "onTime")).isEqualTo(1);
        assertThat(n(counter, "late")).isEqualTo(1);
    }

    @Test
    void aRedeliveredMessageIsIndexedAndCountedOnce() {
        // GIVEN a report whose message is handled, then delivered again (Lambda failed to delete it)
        Report report = store(
                SampleReports.of("phq-9").study(study).receivedAt(RECEIVED).build());
        queue.send(message(report));
        List<Message> first = queue.receive(1);
        assertThat(failedIds(handler.handleRequest(queue.event(first), context())))
                .isEmpty();
        queue.makeVisibleAgain(first);
        List<Message> again = queue.receive(1);
        assertThat(again)
                .extracting(Message::messageId)
                .containsExactly(first.get(0).messageId());
        assertThat(again.get(0).attributesAsStrings()).containsEntry("ApproximateReceiveCount", "2");

        // WHEN the redelivery is handled
        SQSBatchResponse response = handler.handleRequest(queue.event(again), context());

        // THEN it succeeds and nothing is counted twice
        assertThat(failedIds(response)).isEmpty();
        assertThat(n(counter("SITE-01", DAY), "submissions")).isEqualTo(1);
        assertThat(n(counter("SITE-01", DAY), "onTime")).isEqualTo(1);
        assertThat(ReportItems.fromItem(reportRow(report).orElseThrow())).isEqualTo(report);
        assertThat(timeline(report)).hasSize(1);
    }

    @Test
    void twoMessagesForOneReportInOneBatchAreIndexedOnce() {
        // GIVEN the producer retried: two different messages name the same report version
        Report report = store(
                SampleReports.of("pain-nrs").study(study).receivedAt(RECEIVED).build());
        queue.send(message(report));
        queue.send(message(report));
        List<Message> both = queue.receive(2);
        assertThat(both).hasSize(2);

        // WHEN both are handled concurrently in one batch
        SQSBatchResponse response = handler.handleRequest(queue.event(both), context());

        // THEN both succeed and the report counts once
        assertThat(failedIds(response)).isEmpty();
        assertThat(n(counter("SITE-01", DAY), "submissions")).isEqualTo(1);
        assertThat(timeline(report)).hasSize(1);
    }

    @Test
    void anAmendmentReplacesTheRowInPlaceEvenWhenItArrivesFirst() {
        // GIVEN version 1 and, received a day later with a moved authored time, version 2
        Report v1 = store(SampleReports.of("pain-nrs")
                .study(study)
                .site("SITE-02")
                .receivedAt(RECEIVED)
                .answer("72514-3", 4)
                .build());
        Report v2 = store(SampleReports.of("pain-nrs")
                .reportId(v1.reportId())
                .subject(v1.subjectId())
                .study(study)
                .site("SITE-02")
                .version(2)
                .firstReceivedAt(RECEIVED)
                .receivedAt(RECEIVED.plusSeconds(86_400))
                .authoredAt(v1.authoredAt().plusSeconds(60))
                .answer("72514-3", 8)
                .build());

        // WHEN version 2's message is handled before version 1's
        queue.send(message(v2));
        assertThat(failedIds(handler.handleRequest(queue.event(queue.receive(1)), context())))
                .isEmpty();
        queue.send(message(v1));
        assertThat(failedIds(handler.handleRequest(queue.event(queue.receive(1)), context())))
                .isEmpty();

        // THEN staff see version 2 in version 1's place, by study and by site
        assertThat(ReportItems.fromItem(reportRow(v1).orElseThrow())).isEqualTo(v2);
        List<Map<String, AttributeValue>> bySite = dynamo.query(b -> b.tableName(projections())
                        .indexName(ProjectionKeys.SITE_INDEX)
                        .keyConditionExpression("sitePk = :pk")
                        .expressionAttributeValues(
                                Map.of(":pk", AttributeValue.fromS(ProjectionKeys.siteDayPk(study, "SITE-02", DAY)))))
                .items();
        assertThat(bySite)
                .singleElement()
                .satisfies(row -> assertThat(n(row, "version")).isEqualTo(2));
        // AND the subject's timeline holds version 2 only, with its band
        assertThat(timeline(v2)).singleElement().satisfies(row -> {
            assertThat(n(row, "version")).isEqualTo(2);
            assertThat(row.get("scores").l().get(0).m().get("band").s()).isEqualTo("severe");
        });
        // AND version 1 counts a submission on its day, version 2 an amendment on its own
        assertThat(n(counter("SITE-02", DAY), "submissions")).isEqualTo(1);
        assertThat(n(counter("SITE-02", DAY.plusDays(1)), "amendments")).isEqualTo(1);
        assertThat(counter("SITE-02", DAY.plusDays(1))).doesNotContainKey("submissions");
    }

    @Test
    void aPoisonMessageEndsInTheDeadLetterQueueAfterMaxReceiveCountReceives() {
        // GIVEN a message naming a report that does not exist
        String reportId = UUID.randomUUID().toString();
        String body = ReportMessage.CODEC.encode(new ReportMessage(reportId, 1, study));
        String poison = queue.send(body);
        int maxReceiveCount = queue.maxReceiveCount();
        assertThat(maxReceiveCount).isEqualTo(5);

        // WHEN every delivery fails and comes back at once
        int receives = 0;
        for (int i = 0; i < maxReceiveCount + 2; i++) {
            List<Message> received = queue.receiveOnce(1);
            if (received.isEmpty()) {
                break;
            }
            receives++;
            assertThat(failedIds(handler.handleRequest(queue.event(received), context())))
                    .containsExactly(poison);
            queue.makeVisibleAgain(received);
        }

        // THEN it was delivered maxReceiveCount times, then moved to the dead-letter queue
        assertThat(receives).isEqualTo(maxReceiveCount);
        String dlq = queue.deadLetterQueueUrl();
        List<Message> dead = stack.clients()
                .sqs()
                .receiveMessage(b -> b.queueUrl(dlq).waitTimeSeconds(1).maxNumberOfMessages(10))
                .messages();
        assertThat(dead).extracting(Message::body).containsExactly(body);
        assertThat(dynamo.getItem(b -> b.tableName(projections())
                                .key(key(ProjectionKeys.markerPk(reportId), ProjectionKeys.markerSk(1))))
                        .hasItem())
                .isFalse();
    }

    @Test
    void nearTheDeadlineTheUnstartedRecordsComeBackUnwritten() {
        // GIVEN three stored reports received in one batch
        List<Report> reports = List.of(
                store(SampleReports.of("gad-7")
                        .study(study)
                        .receivedAt(RECEIVED)
                        .build()),
                store(SampleReports.of("gad-7")
                        .study(study)
                        .receivedAt(RECEIVED)
                        .build()),
                store(SampleReports.of("gad-7")
                        .study(study)
                        .receivedAt(RECEIVED)
                        .build()));
        reports.forEach(r -> queue.send(message(r)));
        List<Message> received = queue.receive(3);
        assertThat(received).hasSize(3);

        // WHEN the function has time for one record only (then 1 s left, below the 5 s margin)
        SQSBatchResponse response = handler.handleRequest(
                queue.event(received), EmulatedLambdaContext.running("IndexReportFunction", 1, 20_000, 1_000));

        // THEN the second and third come back, and only the first was written
        assertThat(failedIds(response))
                .containsExactly(received.get(1).messageId(), received.get(2).messageId());
        assertThat(n(counter("SITE-01", DAY), "submissions")).isEqualTo(1);
        String first = ReportMessage.CODEC.decode(received.get(0).body()).reportId();
        for (Report r : reports) {
            assertThat(reportRow(r).isPresent())
                    .as("row of %s", r.reportId())
                    .isEqualTo(r.reportId().equals(first));
        }
    }

    @Test
    void withLessTimeThanTheMarginNothingStarts() {
        Report report = store(
                SampleReports.of("gad-7").study(study).receivedAt(RECEIVED).build());
        queue.send(message(report));
        List<Message> received = queue.receive(1);

        SQSBatchResponse response = handler.handleRequest(
                queue.event(received), EmulatedLambdaContext.withRemaining("IndexReportFunction", 4_000));

        assertThat(failedIds(response)).containsExactly(received.get(0).messageId());
        assertThat(reportRow(report)).isEmpty();
        assertThat(counter("SITE-01", DAY)).isEmpty();
    }

    private Report store(Report report) {
        dynamo.putItem(b -> b.tableName(stack.ref("ReportsTable")).item(ReportItems.toItem(report)));
        return report;
    }

    private static String message(Report r) {
        return ReportMessage.CODEC.encode(new ReportMessage(r.reportId(), r.version(), r.studyId()));
    }

    private static EmulatedLambdaContext context() {
        return EmulatedLambdaContext.withRemaining("IndexReportFunction", 30_000);
    }

    private String projections() {
        return stack.ref("ProjectionsTable");
    }

    private Optional<Map<String, AttributeValue>> reportRow(Report r) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(projections())
                        .consistentRead(true)
                        .key(key(
                                ProjectionKeys.studyDayPk(r.studyId(), ProjectionKeys.rowDay(r)),
                                ProjectionKeys.rowSk(r))))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    private List<Map<String, AttributeValue>> timeline(Report r) {
        return dynamo.query(b -> b.tableName(projections())
                        .consistentRead(true)
                        .keyConditionExpression("pk = :pk")
                        .filterExpression("reportId = :r")
                        .expressionAttributeValues(Map.of(
                                ":pk",
                                AttributeValue.fromS(ProjectionKeys.subjectTimelinePk(r.studyId(), r.subjectId())),
                                ":r",
                                AttributeValue.fromS(r.reportId()))))
                .items();
    }

    private Map<String, AttributeValue> counter(String site, LocalDate day) {
        return dynamo.getItem(b -> b.tableName(projections())
                        .consistentRead(true)
                        .key(key(ProjectionKeys.counterPk(study), ProjectionKeys.counterSk(day, site))))
                .item();
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk));
    }

    private static long n(Map<String, AttributeValue> item, String name) {
        return Long.parseLong(item.get(name).n());
    }

    private static List<String> failedIds(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream()
                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .toList();
    }
}
