package org.openepro.bench.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.openepro.core.json.Json;
import org.openepro.core.report.Times;
import org.openepro.core.schedule.Enrollment;
import org.openepro.core.schedule.EnrollmentItems;
import org.openepro.core.schedule.EnrollmentStatus;
import org.openepro.core.schedule.Occurrence;
import org.openepro.core.schedule.OccurrenceItems;
import org.openepro.core.schedule.OccurrenceStatus;
import org.openepro.core.schedule.ScheduleKeys;
import org.openepro.core.schedule.ScheduledSubject;
import org.openepro.core.schedule.WindowVerdict;
import org.openepro.emulator.AwsEmulator;
import org.openepro.emulator.EmulatedStack;
import org.openepro.emulator.MutableClock;
import org.openepro.schedule.plan.OccurrencePlanner;
import org.openepro.schedule.plan.Replanner;
import org.openepro.schedule.protocol.ProtocolHistory;
import org.openepro.schedule.protocol.ProtocolParser;
import org.openepro.schedule.protocol.QuestionnaireLookup;
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
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The scheduler's slot processing for N enrolled subjects whose windows share one slot (the worst
 * case: the demo protocol's daily 20:00 pain NRS, every subject in Europe/Berlin), against the local
 * emulator with the real SDK clients and the production {@link SlotProcessor}. Every DynamoDB request
 * the scheduler makes passes an SDK interceptor that counts requests, items read (scanned, which is
 * what DynamoDB charges) and written, their sizes, and from those the request units DynamoDB
 * on-demand would bill (read units per 4 KB, eventually consistent at half; write units per 1 KB,
 * transactional at twice; the {@code due} index's own write units: it projects ALL).
 *
 * <p>The table holds what the production code holds for a subject enrolled two weeks earlier: the
 * planner's past occurrences (completed, as the submission path leaves them), its 14 days ahead (the
 * items {@link Replanner#materialise} creates), and the enrollment item; seeded with BatchWriteItem
 * (not measured). Phases: the slot where every window opens (first reminder), the same slot again
 * (must write nothing), the second reminder's slot, the close slot (every window missed: a
 * transaction each, after a look at the subject's preceding occurrences for the missed-run rule).
 * Baseline in the same run: a scheduler that Scans the table to find the first reminder's slot
 * (measured, and on paper from the seeded table's size).
 *
 * <p>Usage: {@code SchedulerSlotBenchmark [subjects=10000] [concurrency=16] [phases]}, phases a
 * comma list of {@code scan,rerun,reminder2,close} besides the first reminder's slot, which always
 * runs (default: all; the emulator's Query and Scan sort the whole table on every request, so the
 * close phase and the measured Scan take hours at 10,000); without {@code close} and {@code scan}
 * (or {@code history}) the past occurrences are not written, with {@code today} only today's
 * occurrences and the enrollments are (the on-paper Scan counts the whole steady-state table either
 * way); needs AWS_ENDPOINT_URL
 * (bench/run.sh schedule starts an emulator). Reads the demo protocol from
 * {@code events/schedule-put-protocol.json} (run from the repository root).
 */
public final class SchedulerSlotBenchmark {
    private static final String STUDY = "BENCH";
    private static final LocalDate TODAY = LocalDate.parse("2026-03-20");
    private static final LocalDate ENROLLED = TODAY.minusDays(14);
    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    /** The demo's daily entry: 20:00 Berlin (CET, UTC+1 on 2026-03-20), window 4 h, reminders at 0 h and 2 h. */
    private static final Instant OPENS = Instant.parse("2026-03-20T19:00:00Z");

    private static final int SEED_THREADS = 4;
    private static final int BATCH = 25;

    /** Requests, items and request units seen by the interceptor, by kind. */
    static final class Counts implements ExecutionInterceptor {
        final LongAdder requests = new LongAdder();
        final LongAdder indexQueries = new LongAdder();
        final LongAdder indexItemsRead = new LongAdder();
        final LongAdder tableItemsRead = new LongAdder();
        final LongAdder itemsWritten = new LongAdder();
        final LongAdder transactions = new LongAdder();
        final LongAdder refused = new LongAdder();
        /** Read and write units in halves and units: kept as longs of half read units. */
        final LongAdder halfReadUnits = new LongAdder();

        final LongAdder indexHalfReadUnits = new LongAdder();

        final LongAdder writeUnits = new LongAdder();
        final LongAdder indexWriteUnits = new LongAdder();
        /** Average size of an occurrence item: stands for the items a filtered Query read but did not return. */
        volatile long occurrenceBytes = 900;
        /** Write units of one write of an occurrence item (1 KB each), from the largest seeded one plus a lease. */
        volatile long occurrenceWriteUnits = 1;

        @Override
        public void afterExecution(Context.AfterExecution c, ExecutionAttributes a) {
            requests.increment();
            Object req = c.request();
            Object res = c.response();
            if (res instanceof QueryResponse q && req instanceof QueryRequest qr) {
                long bytes = 0;
                for (var item : q.items()) {
                    bytes += ItemSize.of(item);
                }
                bytes += (long) (q.scannedCount() - q.count()) * occurrenceBytes;
                boolean consistent = Boolean.TRUE.equals(qr.consistentRead());
                halfReadUnits.add(readUnits(bytes) * (consistent ? 2 : 1));
                if (qr.indexName() != null) {
                    indexHalfReadUnits.add(readUnits(bytes));
                    indexQueries.increment();
                    indexItemsRead.add(q.scannedCount());
                } else {
                    tableItemsRead.add(q.scannedCount());
                }
            } else if (res instanceof ScanResponse s) {
                long bytes = 0;
                for (var item : s.items()) {
                    bytes += ItemSize.of(item);
                }
                bytes += (long) (s.scannedCount() - s.count()) * occurrenceBytes;
                halfReadUnits.add(readUnits(bytes));
                tableItemsRead.add(s.scannedCount());
            } else if (res instanceof GetItemResponse g && req instanceof GetItemRequest gr) {
                tableItemsRead.increment();
                long bytes = g.hasItem() ? ItemSize.of(g.item()) : 0;
                halfReadUnits.add(readUnits(bytes) * (Boolean.TRUE.equals(gr.consistentRead()) ? 2 : 1));
            } else if (req instanceof UpdateItemRequest u) {
                itemsWritten.increment();
                writeUnits.add(itemWriteUnits(u.key()));
                indexWriteUnits.add(indexWrites(u.key(), u.updateExpression()));
            } else if (req instanceof PutItemRequest || req instanceof DeleteItemRequest) {
                itemsWritten.increment();
                writeUnits.increment();
            } else if (req instanceof TransactWriteItemsRequest t) {
                transactions.increment();
                itemsWritten.add(t.transactItems().size());
                for (TransactWriteItem i : t.transactItems()) {
                    if (i.update() != null) {
                        writeUnits.add(2 * itemWriteUnits(i.update().key()));
                        indexWriteUnits.add(
                                indexWrites(i.update().key(), i.update().updateExpression()));
                    } else {
                        writeUnits.add(2);
                    }
                }
            } else if (req instanceof BatchWriteItemRequest b) {
                b.requestItems().values().forEach(l -> {
                    itemsWritten.add(l.size());
                    writeUnits.add(l.size());
                });
            }
        }

        @Override
        public void onExecutionFailure(Context.FailedExecution c, ExecutionAttributes a) {
            // a refused condition still costs the write on DynamoDB (no index write: nothing changed)
            requests.increment();
            refused.increment();
            if (c.request() instanceof TransactWriteItemsRequest t) {
                transactions.increment();
                itemsWritten.add(t.transactItems().size());
                for (TransactWriteItem i : t.transactItems()) {
                    writeUnits.add(
                            2 * (i.update() != null ? itemWriteUnits(i.update().key()) : 1));
                }
            } else {
                itemsWritten.increment();
                writeUnits.add(c.request() instanceof UpdateItemRequest u ? itemWriteUnits(u.key()) : 1);
            }
        }

        /** Occurrence items take {@link #occurrenceWriteUnits}; counters, the cursor and enrollments are under 1 KB. */
        private long itemWriteUnits(Map<String, AttributeValue> key) {
            return key.get(ScheduleKeys.PK).s().startsWith("O#") ? occurrenceWriteUnits : 1;
        }

        /** Half read units for one read of {@code bytes}: 4 KB each, at least one (eventually consistent). */
        private static long readUnits(long bytes) {
            return Math.max(1, (bytes + 4095) / 4096);
        }

        /**
         * Write units the {@code due} index (projection ALL) takes for one update: moving an item's
         * index key is a delete and a put there, removing it a delete, changing any other attribute of
         * an indexed item one put. Counters and the cursor are never in the index.
         */
        private static long indexWrites(Map<String, AttributeValue> key, String expression) {
            String pk = key.get(ScheduleKeys.PK).s();
            if (pk.startsWith("C#") || pk.equals(ScheduleKeys.CURSOR_PK) || expression == null) {
                return 0;
            }
            int remove = expression.indexOf("REMOVE");
            String set = remove < 0 ? expression : expression.substring(0, remove);
            // moved: a delete and a put; removed (REMOVE ... dueBucket) or another attribute changed: one
            return set.contains(ScheduleKeys.DUE_BUCKET + " =") ? 2 : 1;
        }

        Snapshot snapshot() {
            return new Snapshot(
                    requests.sum(),
                    indexQueries.sum(),
                    indexItemsRead.sum(),
                    tableItemsRead.sum(),
                    itemsWritten.sum(),
                    transactions.sum(),
                    refused.sum(),
                    halfReadUnits.sum(),
                    indexHalfReadUnits.sum(),
                    writeUnits.sum(),
                    indexWriteUnits.sum());
        }
    }

    /** The interceptor's counters at one moment; {@link #minus} gives a phase's share. */
    record Snapshot(
            long requests,
            long indexQueries,
            long indexItemsRead,
            long tableItemsRead,
            long itemsWritten,
            long transactions,
            long refused,
            long halfReadUnits,
            long indexHalfReadUnits,
            long writeUnits,
            long indexWriteUnits) {
        Snapshot minus(Snapshot o) {
            return new Snapshot(
                    requests - o.requests,
                    indexQueries - o.indexQueries,
                    indexItemsRead - o.indexItemsRead,
                    tableItemsRead - o.tableItemsRead,
                    itemsWritten - o.itemsWritten,
                    transactions - o.transactions,
                    refused - o.refused,
                    halfReadUnits - o.halfReadUnits,
                    indexHalfReadUnits - o.indexHalfReadUnits,
                    writeUnits - o.writeUnits,
                    indexWriteUnits - o.indexWriteUnits);
        }

        long itemsRead() {
            return indexItemsRead + tableItemsRead;
        }
    }

    /** An item's size as DynamoDB bills it: attribute names plus values (numbers about one byte per two digits). */
    static final class ItemSize {
        private ItemSize() {}

        static long of(Map<String, AttributeValue> item) {
            long size = 0;
            for (var e : item.entrySet()) {
                size += e.getKey().getBytes(StandardCharsets.UTF_8).length + value(e.getValue());
            }
            return size;
        }

        private static long value(AttributeValue v) {
            if (v.s() != null) {
                return v.s().getBytes(StandardCharsets.UTF_8).length;
            }
            if (v.n() != null) {
                return v.n().replace("-", "").replace(".", "").length() / 2 + 1;
            }
            if (v.bool() != null || Boolean.TRUE.equals(v.nul())) {
                return 1;
            }
            if (v.hasL()) {
                long size = 3;
                for (AttributeValue e : v.l()) {
                    size += 1 + value(e);
                }
                return size;
            }
            if (v.hasM()) {
                return 3 + of(v.m()) + v.m().size();
            }
            return 1;
        }
    }

    private SchedulerSlotBenchmark() {}

    public static void main(String[] args) throws Exception {
        int subjects = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        java.util.Set<String> selected =
                java.util.Set.of((args.length > 2 ? args[2] : "scan,rerun,reminder2,close").split(","));
        System.out.printf(
                "scheduler slot benchmark: %d subjects, concurrency %d, started %s UTC, load average %s%n",
                subjects, concurrency, Instant.now(), loadAverage());
        EmulatedStack stack = AwsEmulator.shared().deployStack("epro-bench-schedule");
        Counts counts = new Counts();
        DynamoDbClient dynamo = DynamoDbClient.builder()
                .endpointOverride(stack.endpoint())
                .region(Region.of(stack.region()))
                // a Scan page of a large table takes the emulator longer than the default 30 s on a loaded machine
                .httpClient(UrlConnectionHttpClient.builder()
                        .socketTimeout(Duration.ofMinutes(10))
                        .build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .overrideConfiguration(
                        o -> o.apiCallAttemptTimeout(Duration.ofMinutes(10)).addExecutionInterceptor(counts))
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
        // the past occurrences matter to the close (the missed-run look-back) and to a Scan only
        boolean history = selected.contains("close") || selected.contains("scan") || selected.contains("history");
        // today's occurrences only: the reminders' counts are the same, the emulator's queries far faster
        boolean todayOnly = selected.contains("today");
        Seeded seeded = seed(dynamo, table, subjects, clock.instant(), history, todayOnly);
        counts.occurrenceBytes = seeded.averageOccurrenceBytes();
        // a claim adds leaseUntil (about 25 bytes) to the largest item
        counts.occurrenceWriteUnits = (seeded.maxOccurrenceBytes() + 25 + 1023) / 1024;
        System.out.printf(
                "setup (not measured): %d items (%d occurrences, %d enrollments) in %.1f s; occurrence items"
                        + " %d bytes on average, %d at most (DynamoDB's rule: names + values): %d write unit(s)"
                        + " per write of one%n",
                seeded.items(),
                seeded.occurrences(),
                subjects,
                (System.nanoTime() - setupStart) / 1e9,
                seeded.averageOccurrenceBytes(),
                seeded.maxOccurrenceBytes(),
                counts.occurrenceWriteUnits);

        List<Phase> phases = new ArrayList<>();
        clock.advance(Duration.between(clock.instant(), OPENS.plusSeconds(240)));
        setCursor(dynamo, table, OPENS.minus(ScheduleKeys.SLOT));
        // baseline, while every window's first reminder is due: the same slot found by scanning the table
        Baseline scan = null;
        if (selected.contains("scan")) {
            scan = scanBaseline(dynamo, table, counts, clock.instant());
            System.out.println(scan);
        }
        Phase first = phase("reminder 1 slot (19:00Z, window opens)", counts, processor);
        phases.add(first);
        if (selected.contains("rerun")) {
            setCursor(dynamo, table, OPENS.minus(ScheduleKeys.SLOT));
            phases.add(phase("same slot again", counts, processor));
        }
        if (selected.contains("reminder2") || selected.contains("close")) {
            Instant second = OPENS.plus(Duration.ofHours(2));
            clock.advance(Duration.between(clock.instant(), second.plusSeconds(240)));
            setCursor(dynamo, table, second.minus(ScheduleKeys.SLOT));
            phases.add(phase("reminder 2 slot (21:00Z)", counts, processor));
        }
        if (selected.contains("close")) {
            Instant close = OPENS.plus(Duration.ofHours(4));
            clock.advance(Duration.between(clock.instant(), close.plusSeconds(240)));
            setCursor(dynamo, table, close.minus(ScheduleKeys.SLOT));
            phases.add(phase("close slot (23:00Z), every window missed", counts, processor));
        }

        System.out.printf(
                "%nsubjects %d, scheduler concurrency %d, finished %s UTC, load average %s%n%n",
                subjects, concurrency, Instant.now(), loadAverage());
        System.out.println("| phase | occurrences | s | occ/s | items read/occ (index + table) | items written/occ"
                + " | requests/occ | read units/occ | write units/occ (table + index) | refused or conflicted |");
        System.out.println("| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- | ---: |");
        for (Phase p : phases) {
            System.out.println(p.row());
        }
        long indexItems = first.counts().indexItemsRead();
        double indexUnits = first.counts().indexHalfReadUnits() / 2.0;
        // a Scan bills every byte it reads, in pages of up to 1 MB: about the table's bytes / 4 KB, at half
        double paperUnits = Math.ceil(seeded.tableBytes() / 4096.0) / 2.0;
        System.out.printf(
                "%nthe due index read %,d items (%.1f read units) for the %,d due in the first reminder's slot:"
                        + " %.2f items per due occurrence%n",
                indexItems, indexUnits, first.handled(), (double) indexItems / Math.max(1, first.handled()));
        System.out.printf(
                "a Scan of the steady-state table on paper (the past occurrences included%s): %,d items, %,d bytes,"
                        + " %.1f read units: %.1fx the items and %.1fx the read units of the index%n",
                history && !todayOnly ? "" : ", though not all written in this run",
                seeded.tableItems(),
                seeded.tableBytes(),
                paperUnits,
                (double) seeded.tableItems() / Math.max(1, indexItems),
                paperUnits / Math.max(0.5, indexUnits));
        if (scan != null) {
            System.out.printf(
                    "the Scan measured: %,d items read (%.1f read units) to find %,d due, %.1f items per due"
                            + " occurrence: %.1fx the items and %.1fx the read units of the index%n",
                    scan.scanned(),
                    scan.halfReadUnits() / 2.0,
                    scan.due(),
                    (double) scan.scanned() / Math.max(1, scan.due()),
                    (double) scan.scanned() / Math.max(1, indexItems),
                    scan.halfReadUnits() / 2.0 / Math.max(0.5, indexUnits));
        }
        System.exit(0);
    }

    record Phase(String name, double seconds, Snapshot counts, int handled) {
        String row() {
            double n = Math.max(1, handled);
            return String.format(
                    "| %s | %,d | %.1f | %.0f | %.2f (%.2f + %.2f) | %.2f | %.2f | %.3f | %.2f (%.2f + %.2f) | %d |",
                    name,
                    handled,
                    seconds,
                    handled == 0 ? 0 : handled / seconds,
                    counts.itemsRead() / n,
                    counts.indexItemsRead() / n,
                    counts.tableItemsRead() / n,
                    counts.itemsWritten() / n,
                    counts.requests() / n,
                    counts.halfReadUnits() / 2.0 / n,
                    (counts.writeUnits() + counts.indexWriteUnits()) / n,
                    counts.writeUnits() / n,
                    counts.indexWriteUnits() / n,
                    counts.refused());
        }

        @Override
        public String toString() {
            return String.format(
                    "%-42s %6.1f s  %,d occurrences (%.0f/s)  requests %,d (index queries %d, transactions %,d)"
                            + "  items read %,d (index %,d, table %,d)  written %,d  read units %.1f  write units %,d"
                            + " + index %,d  refused conditions %d",
                    name,
                    seconds,
                    handled,
                    handled == 0 ? 0 : handled / seconds,
                    counts.requests(),
                    counts.indexQueries(),
                    counts.transactions(),
                    counts.itemsRead(),
                    counts.indexItemsRead(),
                    counts.tableItemsRead(),
                    counts.itemsWritten(),
                    counts.halfReadUnits() / 2.0,
                    counts.writeUnits(),
                    counts.indexWriteUnits(),
                    counts.refused());
        }
    }

    private static Phase phase(String name, Counts counts, SlotProcessor processor) {
        Snapshot before = counts.snapshot();
        long t0 = System.nanoTime();
        SlotProcessor.Summary s = processor.run(() -> true);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Snapshot used = counts.snapshot().minus(before);
        if (s.failures() > 0) {
            throw new IllegalStateException(name + ": " + s.failures() + " events failed");
        }
        Phase p = new Phase(name, seconds, used, s.reminders() + s.missed());
        System.out.println(p + "  " + s);
        return p;
    }

    record Baseline(long scanned, long due, long halfReadUnits, long requests, double seconds) {
        @Override
        public String toString() {
            return String.format(
                    "baseline Scan for one slot: %,d items read in %,d requests to find %,d due, %.1f read units,"
                            + " %.1f s",
                    scanned, requests, due, halfReadUnits / 2.0, seconds);
        }
    }

    /**
     * What a scheduler without the index would read for one slot: every item of the table, pages of
     * 1,000 (a filter would not lower the bill: DynamoDB charges what it scanned), due ones picked here.
     */
    private static Baseline scanBaseline(DynamoDbClient dynamo, String table, Counts counts, Instant now) {
        Snapshot before = counts.snapshot();
        String nowKey = Times.sortable(now);
        String slot = ScheduleKeys.slot(ScheduleKeys.slotStart(now));
        long t0 = System.nanoTime();
        long due = 0;
        Map<String, AttributeValue> start = null;
        do {
            ScanRequest.Builder b = ScanRequest.builder().tableName(table).limit(1000);
            if (start != null) {
                b.exclusiveStartKey(start);
            }
            ScanResponse page = dynamo.scan(b.build());
            for (var item : page.items()) {
                AttributeValue at = item.get(ScheduleKeys.DUE_AT);
                AttributeValue bucket = item.get(ScheduleKeys.DUE_BUCKET);
                if (at != null
                        && bucket != null
                        && bucket.s().startsWith(slot)
                        && at.s().compareTo(nowKey) <= 0) {
                    due++;
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        Snapshot used = counts.snapshot().minus(before);
        return new Baseline(
                used.tableItemsRead(), due, used.halfReadUnits(), used.requests(), (System.nanoTime() - t0) / 1e9);
    }

    /** What was written, and the steady-state table (the past occurrences included, written or not) a Scan reads. */
    record Seeded(
            long items,
            long occurrences,
            long averageOccurrenceBytes,
            long maxOccurrenceBytes,
            long tableItems,
            long tableBytes) {}

    /**
     * N subjects of one study (two sites), each enrolled on {@link #ENROLLED} in Europe/Berlin under the
     * demo protocol: the planner's occurrences before today, completed on time with one reminder sent
     * (the item the submission path leaves), today's and the next 14 days' as {@link Replanner#materialise}
     * creates them at {@code now}, and the enrollment item as the enrollment API writes it.
     */
    private static Seeded seed(
            DynamoDbClient dynamo, String table, int subjects, Instant now, boolean writeHistory, boolean todayOnly)
            throws Exception {
        JsonNode event = Json.mapper().readTree(Files.readString(Path.of("events/schedule-put-protocol.json")));
        JsonNode document = Json.mapper().readTree(event.get("body").asText());
        ProtocolParser.Result parsed = new ProtocolParser(QuestionnaireLookup.STORED).parse(STUDY, document);
        if (!parsed.valid()) {
            throw new IllegalStateException("the demo protocol does not parse: " + parsed.errors());
        }
        ProtocolHistory history = new ProtocolHistory(List.of(parsed.protocol().withVersion(1)));
        OccurrencePlanner planner = new OccurrencePlanner();
        Replanner replanner = new Replanner();
        AtomicLong occurrenceBytes = new AtomicLong();
        AtomicLong maxBytes = new AtomicLong();
        AtomicLong occurrences = new AtomicLong();
        AtomicLong items = new AtomicLong();
        AtomicLong tableBytes = new AtomicLong();
        AtomicLong steadyItems = new AtomicLong();
        List<Future<?>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(SEED_THREADS)) {
            int perThread = (subjects + SEED_THREADS - 1) / SEED_THREADS;
            for (int t = 0; t < SEED_THREADS; t++) {
                int from = t * perThread;
                int to = Math.min(subjects, from + perThread);
                futures.add(pool.submit(() -> {
                    List<WriteRequest> batch = new ArrayList<>(BATCH);
                    for (int i = from; i < to; i++) {
                        Enrollment e = new Enrollment(
                                new ScheduledSubject(
                                        STUDY, i % 2 == 0 ? "SITE-01" : "SITE-02", String.format("S%06d", i)),
                                ENROLLED,
                                ZONE,
                                EnrollmentStatus.ACTIVE,
                                null);
                        List<Occurrence> past = new ArrayList<>();
                        for (Occurrence o : planner.plan(history, e, ENROLLED, TODAY.minusDays(1))) {
                            past.add(o.withProgress(new Occurrence.Progress(
                                    OccurrenceStatus.COMPLETED,
                                    1,
                                    1,
                                    UUID.nameUUIDFromBytes(OccurrenceItems.pk(o).getBytes(StandardCharsets.UTF_8))
                                            .toString(),
                                    WindowVerdict.ON_TIME,
                                    false)));
                        }
                        List<Occurrence> ahead =
                                replanner.materialise(history, e, past, now).create();
                        List<Map<String, AttributeValue>> subjectItems = new ArrayList<>();
                        for (Occurrence o : past) {
                            var item = OccurrenceItems.toItem(o);
                            // counted in the steady-state table either way: what a Scan would read
                            long size = ItemSize.of(item);
                            tableBytes.addAndGet(size);
                            steadyItems.incrementAndGet();
                            if (writeHistory) {
                                subjectItems.add(item);
                                occurrenceBytes.addAndGet(size);
                                maxBytes.accumulateAndGet(size, Math::max);
                                occurrences.incrementAndGet();
                            }
                        }
                        for (Occurrence o : ahead) {
                            var item = OccurrenceItems.toItem(o);
                            long size = ItemSize.of(item);
                            tableBytes.addAndGet(size);
                            steadyItems.incrementAndGet();
                            if (!todayOnly || o.taskId().localDate().equals(TODAY)) {
                                subjectItems.add(item);
                                occurrenceBytes.addAndGet(size);
                                maxBytes.accumulateAndGet(size, Math::max);
                                occurrences.incrementAndGet();
                            }
                        }
                        subjectItems.add(enrollmentItem(e, now));
                        tableBytes.addAndGet(ItemSize.of(subjectItems.getLast()));
                        steadyItems.incrementAndGet();
                        for (var item : subjectItems) {
                            batch.add(WriteRequest.builder()
                                    .putRequest(PutRequest.builder().item(item).build())
                                    .build());
                            if (batch.size() == BATCH) {
                                write(dynamo, table, batch);
                                items.addAndGet(batch.size());
                                batch.clear();
                            }
                        }
                    }
                    if (!batch.isEmpty()) {
                        write(dynamo, table, batch);
                        items.addAndGet(batch.size());
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        return new Seeded(
                items.get(),
                occurrences.get(),
                occurrenceBytes.get() / Math.max(1, occurrences.get()),
                maxBytes.get(),
                steadyItems.get(),
                tableBytes.get());
    }

    /** The item {@code ScheduleStore.putEnrollment} writes for an active subject, next top-up a week on. */
    private static Map<String, AttributeValue> enrollmentItem(Enrollment e, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(EnrollmentItems.toItem(e));
        Instant nextTopUp = now.plus(SubjectRefresher.TOP_UP_EVERY);
        item.put(EnrollmentItems.PLANNED_VERSION, OccurrenceItems.n(1));
        item.put(EnrollmentItems.UPDATED_AT, OccurrenceItems.s(Times.sortable(now) + "#" + UUID.randomUUID()));
        item.put(EnrollmentItems.UPDATED_BY, OccurrenceItems.s("bench-site-coordinator"));
        item.put(ScheduleKeys.DUE_AT, OccurrenceItems.s(Times.sortable(nextTopUp)));
        item.put(
                ScheduleKeys.DUE_BUCKET,
                OccurrenceItems.s(ScheduleKeys.dueBucket(
                        nextTopUp,
                        ScheduleKeys.enrollmentPk(e.subject().studyId()) + "#"
                                + e.subject().subjectId())));
        return item;
    }

    private static void write(DynamoDbClient dynamo, String table, List<WriteRequest> batch) {
        List<WriteRequest> chunk = List.copyOf(batch);
        var left =
                dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, chunk))).unprocessedItems();
        while (left != null && !left.isEmpty()) {
            var again = left;
            left = dynamo.batchWriteItem(b -> b.requestItems(again)).unprocessedItems();
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
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "n/a";
        }
    }
}
