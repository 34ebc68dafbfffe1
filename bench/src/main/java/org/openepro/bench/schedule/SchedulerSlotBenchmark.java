package org.openepro.bench.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.openepro.core.questionnaire.Severity;
import org.openepro.core.report.Times;
import org.openepro.core.schedule.MissedAlertRule;
import org.openepro.core.schedule.Occurrence;
import org.openepro.core.schedule.OccurrenceItems;
import org.openepro.core.schedule.ScheduleKeys;
import org.openepro.core.schedule.ScheduledSubject;
import org.openepro.core.schedule.TaskId;
import org.openepro.core.schedule.Window;
import org.openepro.emulator.AwsEmulator;
import org.openepro.emulator.EmulatedStack;
import org.openepro.emulator.MutableClock;
import org.openepro.schedule.scheduler.SlotProcessor;
import org.openepro.schedule.scheduler.SnsReminderSender;
import org.openepro.schedule.scheduler.SqsMissedAlertSender;
import org.openepro.schedule.scheduler.SubjectRefresher;
import org.openepro.schedule.store.ScheduleStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The scheduler's slot processing for N enrolled subjects whose windows share one slot (the worst
 * case: a daily 20:00 entry in one zone), against the local emulator with the real SDK clients:
 * occurrences per second, and DynamoDB items read and written per occurrence, counted by an SDK
 * interceptor on every request the scheduler makes. Phases: the slot where every window's reminder
 * falls due, the same slot again (must write nothing), the slot where every window closes unanswered
 * (a transaction each: occurrence and three counters). Baseline in the same run: what a scheduler
 * that Scans the table for due items reads for one slot.
 *
 * <p>Usage: {@code SchedulerSlotBenchmark [subjects=10000] [concurrency=16]}; needs AWS_ENDPOINT_URL
 * (bench/run.sh schedule starts an emulator).
 */
public final class SchedulerSlotBenchmark {
    private static final Instant OPENS = Instant.parse("2026-03-20T19:00:00Z");

    /** Items and requests seen by the interceptor. */
    static final class Counts implements ExecutionInterceptor {
        final AtomicLong itemsRead = new AtomicLong();
        final AtomicLong itemsWritten = new AtomicLong();
        final AtomicLong requests = new AtomicLong();
        final AtomicLong failedConditions = new AtomicLong();

        @Override
        public void afterExecution(Context.AfterExecution c, ExecutionAttributes a) {
            requests.incrementAndGet();
            Object req = c.request();
            Object res = c.response();
            if (res instanceof QueryResponse q) {
                itemsRead.addAndGet(q.scannedCount());
            } else if (res instanceof ScanResponse s) {
                itemsRead.addAndGet(s.scannedCount());
            } else if (req instanceof GetItemRequest) {
                itemsRead.incrementAndGet();
            } else if (req instanceof PutItemRequest
                    || req instanceof UpdateItemRequest
                    || req instanceof DeleteItemRequest) {
                itemsWritten.incrementAndGet();
            } else if (req instanceof TransactWriteItemsRequest t) {
                itemsWritten.addAndGet(t.transactItems().size());
            } else if (req instanceof BatchWriteItemRequest b) {
                b.requestItems().values().forEach(l -> itemsWritten.addAndGet(l.size()));
            }
        }

        @Override
        public void onExecutionFailure(Context.FailedExecution c, ExecutionAttributes a) {
            // a refused condition still costs a write on DynamoDB
            requests.incrementAndGet();
            failedConditions.incrementAndGet();
            if (c.request() instanceof TransactWriteItemsRequest t) {
                itemsWritten.addAndGet(t.transactItems().size());
            } else {
                itemsWritten.incrementAndGet();
            }
        }

        long[] snapshot() {
            return new long[] {itemsRead.get(), itemsWritten.get(), requests.get(), failedConditions.get()};
        }
    }

    private SchedulerSlotBenchmark() {}

    public static void main(String[] args) throws Exception {
        int subjects = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        EmulatedStack stack = AwsEmulator.shared().deployStack("epro-bench-schedule");
        Counts counts = new Counts();
        DynamoDbClient dynamo = DynamoDbClient.builder()
                .endpointOverride(stack.endpoint())
                .region(Region.of(stack.region()))
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .overrideConfiguration(o -> o.addExecutionInterceptor(counts))
                .build();
        String table = stack.ref("ScheduleTable");
        MutableClock clock = new MutableClock(OPENS.minus(Duration.ofHours(1)));
        ScheduleStore store = new ScheduleStore(dynamo, table, null);
        SlotProcessor processor = new SlotProcessor(
                dynamo,
                table,
                new SubjectRefresher(dynamo, store, clock),
                new SnsReminderSender(stack.clients().sns(), stack.ref("ParticipantRemindersTopic")),
                new SqsMissedAlertSender(stack.clients().sqs(), stack.ref("AlertQueue")),
                clock,
                new SlotProcessor.Settings(Duration.ofSeconds(60), concurrency, 288, Duration.ofHours(1)));

        long setupStart = System.nanoTime();
        seed(dynamo, table, subjects);
        System.out.printf(
                "setup: %d occurrences written in %.1f s (not measured)%n",
                subjects, (System.nanoTime() - setupStart) / 1e9);
        setCursor(dynamo, table, OPENS.minus(ScheduleKeys.SLOT));

        System.out.printf("load average before: %s%n", loadAverage());
        clock.advance(Duration.between(clock.instant(), OPENS.plusSeconds(240)));
        Phase reminders = phase("reminder slot (19:00Z)", counts, processor, subjects);
        setCursor(dynamo, table, OPENS.minus(ScheduleKeys.SLOT));
        Phase rerun = phase("same slot again", counts, processor, subjects);
        clock.advance(Duration.between(
                clock.instant(), OPENS.plus(Duration.ofHours(4)).plusSeconds(240)));
        setCursor(dynamo, table, OPENS.plus(Duration.ofHours(4)).minus(ScheduleKeys.SLOT));
        // baseline, while every window is due to close: one slot found by scanning the table, not the index
        long[] before = counts.snapshot();
        long t0 = System.nanoTime();
        long due = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = dynamo.scan(b -> {
                b.tableName(table)
                        .filterExpression("dueAt <= :now")
                        .expressionAttributeValues(
                                Map.of(":now", AttributeValue.fromS(Times.sortable(clock.instant()))));
                if (from != null) {
                    b.exclusiveStartKey(from);
                }
            });
            due += page.count();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        double scanSeconds = (System.nanoTime() - t0) / 1e9;
        long scanned = counts.snapshot()[0] - before[0];

        Phase closes = phase("close slot (23:00Z), every window missed", counts, processor, subjects);

        System.out.printf(
                "%nsubjects %d, scheduler concurrency %d, load average after: %s%n",
                subjects, concurrency, loadAverage());
        for (Phase p : List.of(reminders, rerun, closes)) {
            System.out.println(p);
        }
        System.out.printf(
                "baseline (Scan for what is due, one slot): %d items read to find %d due, %.2f s;"
                        + " the due index read %.2f items per occurrence for the same slot (%.1fx fewer here, on a"
                        + " table holding only this slot's occurrences; the scan grows with all that is stored)%n",
                scanned,
                due,
                scanSeconds,
                closes.readsPerOccurrence(),
                scanned / Math.max(1e-9, closes.readsPerOccurrence() * subjects));
        System.exit(0);
    }

    record Phase(
            String name,
            int subjects,
            double seconds,
            long read,
            long written,
            long requests,
            long refused,
            SlotProcessor.Summary summary) {
        double readsPerOccurrence() {
            return (double) read / subjects;
        }

        @Override
        public String toString() {
            int handled = summary.reminders() + summary.missed();
            return String.format(
                    "%-42s %6.1f s  %8.0f occurrences/s  reads/occ %.2f  writes/occ %.2f  requests %d"
                            + "  (reminders %d, missed %d, refused conditions %d)",
                    name,
                    seconds,
                    handled == 0 ? 0 : handled / seconds,
                    readsPerOccurrence(),
                    (double) written / subjects,
                    requests,
                    summary.reminders(),
                    summary.missed(),
                    refused);
        }
    }

    private static Phase phase(String name, Counts counts, SlotProcessor processor, int subjects) {
        long[] before = counts.snapshot();
        long t0 = System.nanoTime();
        SlotProcessor.Summary s = processor.run(() -> true);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long[] after = counts.snapshot();
        Phase p = new Phase(
                name,
                subjects,
                seconds,
                after[0] - before[0],
                after[1] - before[1],
                after[2] - before[2],
                after[3] - before[3],
                s);
        System.out.println(p);
        return p;
    }

    /** N subjects of one study (three sites), each with tonight's 20:00 Berlin window: one reminder, then the close. */
    private static void seed(DynamoDbClient dynamo, String table, int subjects) {
        List<WriteRequest> batch = new ArrayList<>(25);
        for (int i = 0; i < subjects; i++) {
            Occurrence o = new Occurrence(
                    new ScheduledSubject("BENCH", "SITE-0" + (i % 3), String.format("S%06d", i)),
                    new TaskId("pain-daily", LocalDate.parse("2026-03-20"), 1),
                    "https://openepro.dev/fhir/Questionnaire/pain-nrs|1.0.0",
                    1,
                    ZoneId.of("Europe/Berlin"),
                    OPENS,
                    new Window(OPENS, OPENS.plus(Duration.ofHours(4))),
                    List.of(OPENS),
                    new MissedAlertRule(3, Severity.MEDIUM),
                    Occurrence.Progress.NEW);
            batch.add(WriteRequest.builder()
                    .putRequest(
                            PutRequest.builder().item(OccurrenceItems.toItem(o)).build())
                    .build());
            if (batch.size() == 25 || i == subjects - 1) {
                List<WriteRequest> chunk = List.copyOf(batch);
                var left = dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, chunk)))
                        .unprocessedItems();
                while (left != null && !left.isEmpty()) {
                    var again = left;
                    left = dynamo.batchWriteItem(b -> b.requestItems(again)).unprocessedItems();
                }
                batch.clear();
            }
        }
    }

    private static void setCursor(DynamoDbClient dynamo, String table, Instant through) {
        dynamo.putItem(b -> b.tableName(table)
                .item(Map.of(
                        "pk",
                        AttributeValue.fromS(ScheduleKeys.CURSOR_PK),
                        "sk",
                        AttributeValue.fromS(ScheduleKeys.CURSOR_SK),
                        "through",
                        AttributeValue.fromS(Times.sortable(through)))));
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                    .trim();
        } catch (java.io.IOException e) {
            return "n/a";
        }
    }
}
