package org.openepro.schedule.scheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.openepro.core.dynamo.Cancellation;
import org.openepro.core.dynamo.Writes;
import org.openepro.core.log.Log;
import org.openepro.core.message.MissedPatternMessage;
import org.openepro.core.report.Times;
import org.openepro.core.schedule.ComplianceCounters;
import org.openepro.core.schedule.ComplianceDelta;
import org.openepro.core.schedule.EnrollmentItems;
import org.openepro.core.schedule.Occurrence;
import org.openepro.core.schedule.OccurrenceItems;
import org.openepro.core.schedule.OccurrenceStatus;
import org.openepro.core.schedule.ReminderMessage;
import org.openepro.core.schedule.ScheduleKeys;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * One scheduler run: every slot from the one after the cursor up to the current one, each found
 * with one Query per shard of the sparse {@code due} index (never a Scan), and every event due by
 * now handled: reminders sent, windows closed as missed (counted in compliance), the alert a run
 * of misses owes sent to the alert queue, and enrollments topped up.
 *
 * <p><b>Nothing twice, nothing lost.</b> Each event is taken with a conditional write on the item
 * itself ({@code dueAt} still the one the index showed, the status still pending), so a slot
 * processed twice, or by two overlapping runs, acts once. A reminder is sent between a claim (a
 * lease on the item) and the write that moves the occurrence to its next event: a run that dies
 * after claiming leaves the event due, and the next run sends it once the lease has run out; a run
 * that dies after the topic accepted the reminder but before the move resends it, with the same
 * {@code reminderId} (the one window left, as in the alert function). A close is one transaction:
 * the occurrence becomes missed and its counters move, together or not at all. The alert is owed
 * by the occurrence ({@code alertOwed}) until the alert queue accepted it; the alert function
 * raises one alert per {@code alertId} however often it is sent. The cursor advances only over
 * slots in which every event succeeded.
 */
public final class SlotProcessor {
    /** What a run did. */
    public record Summary(
            int slots,
            int reminders,
            int remindersSkipped,
            int missed,
            int alerts,
            int topUps,
            int duplicates,
            int failures,
            Instant cursor) {}

    /** The configuration of a run. */
    public record Settings(Duration lease, int concurrency, int maxSlotsPerRun, Duration firstRunLookback) {
        /** A first run (no cursor yet) looks back a day: nothing can be due before the stack existed. */
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(60), 16, 288, Duration.ofDays(1));
    }

    private static final Log LOG = Log.get(SlotProcessor.class);
    private static final int CONFLICT_RETRIES = 5;

    private final DynamoDbClient dynamo;
    private final String table;
    private final SubjectRefresher refresher;
    private final ReminderSender reminders;
    private final MissedAlertSender alerts;
    private final ComplianceCounters counters;
    private final Clock clock;
    private final Settings settings;

    public SlotProcessor(
            DynamoDbClient dynamo,
            String table,
            SubjectRefresher refresher,
            ReminderSender reminders,
            MissedAlertSender alerts,
            Clock clock,
            Settings settings) {
        this.dynamo = dynamo;
        this.table = table;
        this.refresher = refresher;
        this.reminders = reminders;
        this.alerts = alerts;
        this.counters = new ComplianceCounters(table);
        this.clock = clock;
        this.settings = settings;
    }

    private final class Tally {
        final AtomicInteger reminders = new AtomicInteger();
        final AtomicInteger skipped = new AtomicInteger();
        final AtomicInteger missed = new AtomicInteger();
        final AtomicInteger alerts = new AtomicInteger();
        final AtomicInteger topUps = new AtomicInteger();
        final AtomicInteger duplicates = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
    }

    /**
     * Processes every slot not yet done, up to the one holding now.
     *
     * @param hasTime false once the invocation nears its deadline: no new slot is started
     */
    public Summary run(java.util.function.BooleanSupplier hasTime) {
        Instant now = clock.instant();
        Instant current = ScheduleKeys.slotStart(now);
        Instant from = cursor().map(c -> c.plus(ScheduleKeys.SLOT))
                .orElse(ScheduleKeys.slotStart(now.minus(settings.firstRunLookback())));
        // after an outage, catch up in order, a bounded number of slots a run: a slot is never skipped,
        // since an event left in it would never be found again
        Instant last = from.plus(ScheduleKeys.SLOT.multipliedBy(settings.maxSlotsPerRun() - 1L));
        if (last.isBefore(current)) {
            current = last;
        }
        Tally tally = new Tally();
        Instant done = null;
        boolean clean = true;
        int slots = 0;
        for (Instant slot = from;
                !slot.isAfter(current) && hasTime.getAsBoolean();
                slot = slot.plus(ScheduleKeys.SLOT)) {
            int failuresBefore = tally.failures.get();
            processSlot(slot, now, tally);
            slots++;
            boolean slotComplete = !slot.plus(ScheduleKeys.SLOT).isAfter(now);
            clean = clean && tally.failures.get() == failuresBefore && slotComplete;
            if (clean) {
                done = slot;
            }
        }
        if (done != null) {
            advanceCursor(done);
        }
        Summary summary = new Summary(
                slots,
                tally.reminders.get(),
                tally.skipped.get(),
                tally.missed.get(),
                tally.alerts.get(),
                tally.topUps.get(),
                tally.duplicates.get(),
                tally.failures.get(),
                done);
        if (summary.reminders() + summary.missed() + summary.alerts() + summary.topUps() + summary.failures() > 0) {
            LOG.info(
                    "schedule.run",
                    "slots",
                    slots,
                    "reminders",
                    summary.reminders(),
                    "missed",
                    summary.missed(),
                    "alerts",
                    summary.alerts(),
                    "topUps",
                    summary.topUps(),
                    "duplicates",
                    summary.duplicates(),
                    "failures",
                    summary.failures());
        }
        return summary;
    }

    private void processSlot(Instant slot, Instant now, Tally tally) {
        List<Map<String, AttributeValue>> due = new ArrayList<>();
        for (int shard = 0; shard < ScheduleKeys.SHARDS; shard++) {
            due.addAll(query(ScheduleKeys.dueBucket(slot, shard), now));
        }
        if (due.isEmpty()) {
            return;
        }
        Semaphore permits = new Semaphore(settings.concurrency());
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>(due.size());
            for (Map<String, AttributeValue> item : due) {
                futures.add(pool.submit(() -> {
                    permits.acquireUninterruptibly();
                    try {
                        handle(item, now, tally);
                    } catch (RuntimeException e) {
                        tally.failures.incrementAndGet();
                        // ids and the error's type only: never the item
                        LOG.error(
                                "schedule.event.failed",
                                e,
                                "pk",
                                item.get(ScheduleKeys.PK).s(),
                                "sk",
                                item.get(ScheduleKeys.SK).s());
                    } finally {
                        permits.release();
                    }
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (java.util.concurrent.ExecutionException e) {
                    tally.failures.incrementAndGet();
                }
            }
        }
    }

    private List<Map<String, AttributeValue>> query(String bucket, Instant now) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder q = QueryRequest.builder()
                    .tableName(table)
                    .indexName(ScheduleKeys.DUE_INDEX)
                    .keyConditionExpression("dueBucket = :b AND dueAt <= :now")
                    .expressionAttributeValues(Map.of(":b", s(bucket), ":now", s(Times.sortable(now))));
            if (start != null) {
                q.exclusiveStartKey(start);
            }
            QueryResponse page = dynamo.query(q.build());
            out.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    private void handle(Map<String, AttributeValue> item, Instant now, Tally tally) {
        String kind = item.containsKey(OccurrenceItems.KIND)
                ? item.get(OccurrenceItems.KIND).s()
                : "";
        switch (kind) {
            case OccurrenceItems.KIND_OCCURRENCE ->
                handleOccurrence(
                        OccurrenceItems.fromItem(item),
                        item.get(ScheduleKeys.DUE_AT).s(),
                        now,
                        tally);
            case EnrollmentItems.KIND_ENROLLMENT -> {
                if (refresher.topUp(item, now)) {
                    tally.topUps.incrementAndGet();
                }
            }
            case "REPLAN" -> tally.topUps.addAndGet(refresher.replanStudy(item, now));
            default -> throw new IllegalStateException("unknown item kind in the due index");
        }
    }

    /** Every event of one occurrence due by now, in order (a catch-up may find several). */
    private void handleOccurrence(Occurrence o, String seenDueAt, Instant now, Tally tally) {
        Occurrence current = o;
        String seen = seenDueAt;
        for (int step = 0; step <= current.reminders().size() + 2; step++) {
            Optional<Occurrence.Due> due = current.nextDue();
            if (due.isEmpty()
                    || due.get().at().isAfter(now)
                    || !Times.sortable(due.get().at()).equals(seen)) {
                return;
            }
            Optional<Occurrence> next = switch (due.get().kind()) {
                case REMINDER -> remind(current, seen, now, tally);
                case CLOSE -> close(current, seen, now, tally);
                case ALERT -> alert(current, seen, tally);
            };
            if (next.isEmpty()) {
                return;
            }
            current = next.get();
            seen = current.nextDue().map(d -> Times.sortable(d.at())).orElse("");
        }
    }

    private Optional<Occurrence> remind(Occurrence o, String seen, Instant now, Tally tally) {
        int index = o.progress().nextReminder();
        if (!now.isBefore(o.window().closes())) {
            // the window closed before this run reached the reminder: skip what is left, never remind late
            Occurrence skipped = progress(o, o.reminders().size(), o.progress().remindersSent());
            boolean moved = Writes.applied(() -> dynamo.updateItem(b -> b.tableName(table)
                    .key(OccurrenceItems.key(o))
                    .updateExpression("SET nextReminder = :n, dueAt = :due, dueBucket = :bucket")
                    .conditionExpression("#status = :pending AND dueAt = :seen")
                    .expressionAttributeNames(Map.of("#status", OccurrenceItems.STATUS))
                    .expressionAttributeValues(dueValues(
                            skipped,
                            Map.of(
                                    ":n",
                                    n(o.reminders().size()),
                                    ":pending",
                                    s(OccurrenceStatus.PENDING.name()),
                                    ":seen",
                                    s(seen))))));
            tally.skipped.addAndGet(o.reminders().size() - index);
            return moved ? Optional.of(skipped) : duplicate(tally);
        }
        long leaseUntil = now.plus(settings.lease()).toEpochMilli();
        Map<String, AttributeValue> claimed;
        try {
            claimed = dynamo.updateItem(b -> b.tableName(table)
                            .key(OccurrenceItems.key(o))
                            .updateExpression("SET leaseUntil = :until")
                            .conditionExpression("#status = :pending AND dueAt = :seen AND nextReminder = :i"
                                    + " AND (attribute_not_exists(leaseUntil) OR leaseUntil < :nowMs)")
                            .expressionAttributeNames(Map.of("#status", OccurrenceItems.STATUS))
                            .expressionAttributeValues(Map.of(
                                    ":until",
                                    n(leaseUntil),
                                    ":pending",
                                    s(OccurrenceStatus.PENDING.name()),
                                    ":seen",
                                    s(seen),
                                    ":i",
                                    n(index),
                                    ":nowMs",
                                    n(now.toEpochMilli())))
                            .returnValues(ReturnValue.ALL_NEW))
                    .attributes();
        } catch (ConditionalCheckFailedException e) {
            return duplicate(tally);
        }
        Occurrence fresh = OccurrenceItems.fromItem(claimed);
        try {
            reminders.send(reminder(fresh, index));
        } catch (RuntimeException e) {
            // give the event back at once: the next run (or a retry of this slot) sends it
            Writes.applied(() -> dynamo.updateItem(b -> b.tableName(table)
                    .key(OccurrenceItems.key(o))
                    .updateExpression("REMOVE leaseUntil")
                    .conditionExpression("leaseUntil = :until")
                    .expressionAttributeValues(Map.of(":until", n(leaseUntil)))));
            throw e;
        }
        tally.reminders.incrementAndGet();
        Occurrence advanced = progress(fresh, index + 1, fresh.progress().remindersSent() + 1);
        boolean moved = Writes.applied(() -> dynamo.updateItem(b -> b.tableName(table)
                .key(OccurrenceItems.key(o))
                .updateExpression("SET nextReminder = :n, remindersSent = remindersSent + :one, dueAt = :due,"
                        + " dueBucket = :bucket REMOVE leaseUntil")
                .conditionExpression("leaseUntil = :until AND #status = :pending")
                .expressionAttributeNames(Map.of("#status", OccurrenceItems.STATUS))
                .expressionAttributeValues(dueValues(
                        advanced,
                        Map.of(
                                ":n",
                                n(index + 1),
                                ":one",
                                n(1),
                                ":until",
                                n(leaseUntil),
                                ":pending",
                                s(OccurrenceStatus.PENDING.name()))))));
        if (!moved) {
            // completed (or cancelled) while the reminder went out: record the send, leave its status alone
            Writes.applied(() -> dynamo.updateItem(b -> b.tableName(table)
                    .key(OccurrenceItems.key(o))
                    .updateExpression("SET remindersSent = remindersSent + :one REMOVE leaseUntil")
                    .conditionExpression("leaseUntil = :until")
                    .expressionAttributeValues(Map.of(":one", n(1), ":until", n(leaseUntil)))));
            return Optional.empty();
        }
        return Optional.of(advanced);
    }

    private Optional<Occurrence> close(Occurrence o, String seen, Instant now, Tally tally) {
        boolean owesAlert = o.missedAlert().enabled()
                && runLengthEndingHere(o, now) == o.missedAlert().consecutive();
        Occurrence missed = o.withProgress(new Occurrence.Progress(
                OccurrenceStatus.MISSED,
                o.progress().nextReminder(),
                o.progress().remindersSent(),
                null,
                null,
                owesAlert));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":missed",
                s(OccurrenceStatus.MISSED.name()),
                ":pending",
                s(OccurrenceStatus.PENDING.name()),
                ":seen",
                s(seen),
                ":nowMs",
                n(now.toEpochMilli())));
        String update;
        if (owesAlert) {
            update = "SET #status = :missed, alertOwed = :true, dueAt = :due, dueBucket = :bucket";
            values.put(":true", AttributeValue.fromBool(true));
            values.putAll(dueValues(missed, Map.of()));
        } else {
            update = "SET #status = :missed REMOVE dueAt, dueBucket";
        }
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(OccurrenceItems.statusUpdate(
                table,
                o,
                update,
                "#status = :pending AND dueAt = :seen AND (attribute_not_exists(leaseUntil) OR leaseUntil < :nowMs)",
                values));
        items.addAll(counters.updates(o.subject(), o.taskId().localDate(), ComplianceDelta.MISSED));
        for (int attempt = 1; ; attempt++) {
            try {
                dynamo.transactWriteItems(b -> b.transactItems(items));
                tally.missed.incrementAndGet();
                return Optional.of(missed);
            } catch (TransactionCanceledException e) {
                if (Cancellation.of(e).conditionFailedAt(0)) { // the occurrence's update, first in the transaction
                    return duplicate(tally);
                }
                if (attempt >= CONFLICT_RETRIES) {
                    throw e;
                }
                // a concurrent transaction on a shared counter: try again shortly
                sleep(20L * attempt);
            }
        }
    }

    private Optional<Occurrence> alert(Occurrence o, String seen, Tally tally) {
        alerts.send(new MissedPatternMessage(
                MissedPatternMessage.alertId(
                        o.subject().studyId(),
                        o.subject().subjectId(),
                        o.taskId().toString()),
                o.subject().studyId(),
                o.subject().siteId(),
                o.subject().subjectId(),
                o.taskId().entryId(),
                questionnaireId(o.questionnaire()),
                o.questionnaire(),
                o.taskId().toString(),
                o.missedAlert().consecutive(),
                o.missedAlert().severity().name(),
                Times.sortable(o.window().closes())));
        boolean cleared = Writes.applied(() -> dynamo.updateItem(b -> b.tableName(table)
                .key(OccurrenceItems.key(o))
                .updateExpression("REMOVE alertOwed, dueAt, dueBucket")
                .conditionExpression("alertOwed = :true AND dueAt = :seen")
                .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true), ":seen", s(seen)))));
        tally.alerts.incrementAndGet();
        return cleared ? Optional.empty() : duplicate(tally);
    }

    /**
     * How many misses in a row this one would make: itself plus the entry's immediately preceding
     * occurrences that were missed (or are past their close, still pending: a lagging run); a
     * completed one ends the run, cancelled ones are not part of it.
     */
    private int runLengthEndingHere(Occurrence o, Instant now) {
        int needed = o.missedAlert().consecutive();
        int run = 1;
        Map<String, AttributeValue> start = null;
        String pk = OccurrenceItems.pk(o);
        do {
            QueryRequest.Builder q = QueryRequest.builder()
                    .tableName(table)
                    .consistentRead(true)
                    .keyConditionExpression("pk = :pk AND sk < :sk")
                    .scanIndexForward(false)
                    .limit(25)
                    .filterExpression("entryId = :e")
                    .expressionAttributeValues(Map.of(
                            ":pk",
                            s(pk),
                            ":sk",
                            s(ScheduleKeys.occurrenceSk(o.taskId())),
                            ":e",
                            s(o.taskId().entryId())));
            if (start != null) {
                q.exclusiveStartKey(start);
            }
            QueryResponse page = dynamo.query(q.build());
            for (Map<String, AttributeValue> item : page.items()) {
                Occurrence prev = OccurrenceItems.fromItem(item);
                switch (prev.status()) {
                    case CANCELLED -> {
                        continue;
                    }
                    case MISSED -> run++;
                    case PENDING -> {
                        if (prev.window().closes().isAfter(now)) {
                            return run;
                        }
                        run++;
                    }
                    case COMPLETED -> {
                        return run;
                    }
                }
                if (run > needed) {
                    return run;
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return run;
    }

    private static ReminderMessage reminder(Occurrence o, int index) {
        String canonical = o.questionnaire();
        String questionnaireId = questionnaireId(canonical);
        return new ReminderMessage(
                ReminderMessage.TYPE,
                ReminderMessage.SCHEMA_VERSION,
                o.taskId() + "#r" + (index + 1),
                o.subject().studyId(),
                o.subject().siteId(),
                o.subject().subjectId(),
                o.taskId().toString(),
                questionnaireId,
                canonical,
                Times.sortable(o.window().closes()),
                index + 1,
                o.reminders().size());
    }

    /** The questionnaire's id: the last path segment of its canonical URL ({@code .../pain-nrs|1.0.0}). */
    private static String questionnaireId(String canonical) {
        String url = canonical.substring(0, canonical.indexOf('|') < 0 ? canonical.length() : canonical.indexOf('|'));
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private static Occurrence progress(Occurrence o, int nextReminder, int sent) {
        Occurrence.Progress p = o.progress();
        return o.withProgress(
                new Occurrence.Progress(p.status(), nextReminder, sent, p.reportId(), p.verdict(), p.alertOwed()));
    }

    /** {@code :due} and {@code :bucket} of the occurrence's next event (it always has one here). */
    private static Map<String, AttributeValue> dueValues(Occurrence next, Map<String, AttributeValue> more) {
        Occurrence.Due due = next.nextDue().orElseThrow();
        Map<String, AttributeValue> values = new HashMap<>(more);
        values.put(":due", s(Times.sortable(due.at())));
        values.put(":bucket", s(ScheduleKeys.dueBucket(due.at(), OccurrenceItems.pk(next))));
        return values;
    }

    private Optional<Occurrence> duplicate(Tally tally) {
        tally.duplicates.incrementAndGet();
        return Optional.empty();
    }

    private Optional<Instant> cursor() {
        var item = dynamo.getItem(b -> b.tableName(table).consistentRead(true).key(cursorKey()))
                .item();
        return item == null || !item.containsKey("through")
                ? Optional.empty()
                : Optional.of(Times.parse(item.get("through").s()));
    }

    private void advanceCursor(Instant through) {
        Writes.applied(() -> dynamo.updateItem(b -> b.tableName(table)
                .key(cursorKey())
                .updateExpression("SET through = :t")
                .conditionExpression("attribute_not_exists(through) OR through < :t")
                .expressionAttributeValues(Map.of(":t", s(Times.sortable(through))))));
    }

    private static Map<String, AttributeValue> cursorKey() {
        return Map.of(ScheduleKeys.PK, s(ScheduleKeys.CURSOR_PK), ScheduleKeys.SK, s(ScheduleKeys.CURSOR_SK));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }
}
