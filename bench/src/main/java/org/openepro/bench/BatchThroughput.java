package org.openepro.bench;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.openepro.alert.AlertConfig;
import org.openepro.alert.AlertHandler;
import org.openepro.alert.AlertWiring;
import org.openepro.core.message.ReportMessage;
import org.openepro.core.report.Report;
import org.openepro.core.report.ReportItems;
import org.openepro.emulator.AwsEmulator;
import org.openepro.emulator.EmulatedLambdaContext;
import org.openepro.emulator.EmulatedStack;
import org.openepro.emulator.QueueDriver;
import org.openepro.emulator.SampleReports;
import org.openepro.index.IndexConfig;
import org.openepro.index.IndexReportHandler;
import org.openepro.index.IndexWiring;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Records per second of index-report and alert for a batch of 10 against the local emulator:
 * reports are stored and messages received beforehand (not timed); the time is the handler's
 * {@code handleRequest} on the batch, as Lambda would call it. Usage:
 * {@code BatchThroughput [rounds=10] [warmup=3]}.
 */
public final class BatchThroughput {
    private static final int BATCH = 10;
    private static final List<String> PHQ9_ITEMS =
            List.of("44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8");

    private BatchThroughput() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        EmulatedStack stack = AwsEmulator.shared().deployStack("epro-bench");
        IndexReportHandler index = new IndexReportHandler(IndexWiring.of(
                IndexConfig.fromEnv(stack.env("IndexReportFunction")), stack.clients(), Clock.systemUTC()));
        AlertHandler alert =
                new AlertHandler(AlertWiring.builder(AlertConfig.fromEnv(stack.env("AlertFunction")), stack.clients())
                        .build());
        QueueDriver indexQueue = new QueueDriver(stack, "IndexQueue");
        QueueDriver alertQueue = new QueueDriver(stack, "AlertQueue");

        List<Double> indexRates = new ArrayList<>();
        List<Double> alertRates = new ArrayList<>();
        for (int round = 0; round < warmup + rounds; round++) {
            List<Report> reports = reports(stack, round);
            double i = run(indexQueue, reports, e -> index.handleRequest(e, context("IndexReportFunction")));
            double a = run(alertQueue, reports, e -> alert.handleRequest(e, context("AlertFunction")));
            if (round >= warmup) {
                indexRates.add(i);
                alertRates.add(a);
            }
        }
        System.out.println("batch of " + BATCH + " records, " + rounds + " rounds after " + warmup
                + " warm-up rounds; index-report concurrency 1 (emulator), alert concurrency "
                + AlertConfig.fromEnv(stack.env("AlertFunction")).batch().concurrency());
        print("index-report", indexRates);
        print("alert", alertRates);
        emulatorBaseline(stack);
        System.exit(0);
    }

    /** Ten PHQ-9 reports of one study; every other one raises an URGENT alert (item 9 above 0). */
    private static List<Report> reports(EmulatedStack stack, int round) {
        String study = "BENCH-" + UUID.randomUUID();
        List<Report> reports = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            Report r = SampleReports.of("phq-9")
                    .study(study)
                    .site("SITE-0" + (i % 3))
                    .answerAll(PHQ9_ITEMS.subList(0, 8), i % 4)
                    .answer("44260-8", i % 2)
                    .build();
            stack.clients()
                    .dynamo()
                    .putItem(b -> b.tableName(stack.ref("ReportsTable")).item(ReportItems.toItem(r)));
            reports.add(r);
        }
        return reports;
    }

    private static double run(QueueDriver queue, List<Report> reports, Function<SQSEvent, SQSBatchResponse> handler) {
        for (Report r : reports) {
            queue.send(ReportMessage.CODEC.encode(new ReportMessage(r.reportId(), r.version(), r.studyId())));
        }
        List<Message> received = queue.receive(BATCH);
        if (received.size() != BATCH) {
            throw new IllegalStateException("received " + received.size() + " of " + BATCH);
        }
        SQSEvent event = queue.event(received);
        long start = System.nanoTime();
        SQSBatchResponse response = handler.apply(event);
        long elapsed = System.nanoTime() - start;
        if (!response.getBatchItemFailures().isEmpty()) {
            throw new IllegalStateException(response.getBatchItemFailures().size() + " records failed");
        }
        queue.delete(received);
        return BATCH / (elapsed / 1e9);
    }

    /** What single calls cost on this emulator, on the tables as the rounds left them, to read the rates against. */
    private static void emulatorBaseline(EmulatedStack stack) {
        var dynamo = stack.clients().dynamo();
        String table = stack.ref("ProjectionsTable");
        int n = 20;
        long put = 0;
        long get = 0;
        long tx = 0;
        for (int i = 0; i < n; i++) {
            String pk = "BASELINE#" + UUID.randomUUID();
            Map<String, AttributeValue> item = Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS("x"));
            long t0 = System.nanoTime();
            dynamo.putItem(b -> b.tableName(table).item(item));
            long t1 = System.nanoTime();
            dynamo.getItem(b -> b.tableName(table).key(item).consistentRead(true));
            long t2 = System.nanoTime();
            List<TransactWriteItem> four = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                Map<String, AttributeValue> other =
                        Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS("t" + k));
                four.add(TransactWriteItem.builder()
                        .put(Put.builder().tableName(table).item(other).build())
                        .build());
            }
            dynamo.transactWriteItems(b -> b.transactItems(four));
            long t3 = System.nanoTime();
            put += t1 - t0;
            get += t2 - t1;
            tx += t3 - t2;
        }
        long rows = dynamo.scan(b -> b.tableName(table).select("COUNT")).count();
        System.out.printf(
                Locale.ROOT,
                "emulator baseline on the projections table (%d items): PutItem %.1f ms, "
                        + "GetItem %.1f ms, TransactWriteItems of 4 puts %.1f ms%n",
                rows,
                put / 1e6 / n,
                get / 1e6 / n,
                tx / 1e6 / n);
    }

    private static EmulatedLambdaContext context(String function) {
        return EmulatedLambdaContext.withRemaining(function, 30_000);
    }

    private static void print(String function, List<Double> rates) {
        List<Double> sorted = new ArrayList<>(rates);
        Collections.sort(sorted);
        System.out.printf(
                Locale.ROOT,
                "%-13s records/s: median %.0f, min %.0f, max %.0f (ms per batch: median %.1f)%n",
                function,
                sorted.get(sorted.size() / 2),
                sorted.get(0),
                sorted.get(sorted.size() - 1),
                BATCH * 1000.0 / sorted.get(sorted.size() / 2));
    }
}
