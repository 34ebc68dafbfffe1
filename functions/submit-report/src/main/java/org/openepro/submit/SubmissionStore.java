package org.openepro.submit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.openepro.core.audit.AuditEvent;
import org.openepro.core.audit.AuditLog;
import org.openepro.core.dynamo.Cancellation;
import org.openepro.core.dynamo.Item;
import org.openepro.core.dynamo.Writes;
import org.openepro.core.report.Report;
import org.openepro.core.report.ReportItems;
import org.openepro.core.report.ReportStore;
import org.openepro.core.report.Times;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Writes a submission in ONE DynamoDB transaction: the idempotency record, the immutable report
 * version, its audit event, and an outbox item naming the queues still to be reached. The outbox
 * item is the durable promise behind every 201: it is deleted only once both queues accepted the
 * message, and whoever holds its lease (the request, a client's retry, or the sweeper) delivers.
 */
public final class SubmissionStore {
    static final String OUTBOX_INDEX = "outbox";
    static final String OUTBOX_PARTITION = "PENDING";
    // attributes of the idempotency record (pk I#study#subject#hash, sk I) and the outbox item (pk O#report#version, sk
    // O)
    static final String PK = ReportItems.PK;
    static final String SK = ReportItems.SK;
    static final String STATUS = "status";
    static final String PAYLOAD_HASH = "payloadHash";
    static final String REPORT_ID = "reportId";
    static final String VERSION = "version";
    static final String RECEIPT = "receipt";
    static final String EXPIRES_AT = "expiresAt";
    static final String OUTBOX_PK = "outboxPk";
    static final String OUTBOX_SK = "outboxSk";
    static final String STUDY_ID = "studyId";
    static final String IDEMPOTENCY_KEY = "idempotencyKey";
    static final String PENDING = "pending";
    static final String LEASE_UNTIL = "leaseUntil";

    /** The items of a submission's transaction, in the order they are sent: cancellation reasons come back in it. */
    enum CommitItem {
        IDEMPOTENCY,
        REPORT,
        AUDIT,
        OUTBOX
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final AuditLog audit;
    private final ReportStore reports;
    private final Duration idempotencyTtl;

    public SubmissionStore(DynamoDbClient dynamo, String reportsTable, AuditLog audit, Duration idempotencyTtl) {
        this.dynamo = dynamo;
        this.table = reportsTable;
        this.audit = audit;
        this.reports = new ReportStore(dynamo, reportsTable);
        this.idempotencyTtl = idempotencyTtl;
    }

    /** Why a commit was refused. */
    public enum Refusal {
        /** the idempotency key is taken (a repeat, or a conflicting reuse) */
        KEY_TAKEN,
        /** an amendment raced another for the same version */
        VERSION_TAKEN,
        /** the schedule task it completes changed since it was read (a concurrent answer, close or cancel) */
        TASK_CHANGED,
        /** another transaction on the same items is in flight */
        CONFLICT
    }

    /** A commit refused by a condition or a concurrent transaction. */
    public static final class CommitRefused extends RuntimeException {
        private final Refusal refusal;

        CommitRefused(Refusal refusal) {
            super(refusal.name(), null, false, false);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    /** A pending delivery: the report's message and the queues still to reach. */
    public record Outbox(
            String reportId, int version, String studyId, String idempotencyKey, Set<DeliveryTarget> pending) {}

    /** Result of trying to take an outbox item's lease. */
    public sealed interface Claim {
        record Claimed(Outbox outbox) implements Claim {}

        record Held(long leaseUntilMillis) implements Claim {}

        record Gone() implements Claim {}
    }

    public Optional<Report> latest(String reportId) {
        return reports.latest(reportId);
    }

    public static String idempotencyKey(String studyId, String subjectId, String keyHash) {
        return "I#" + studyId + "#" + subjectId + "#" + keyHash;
    }

    static String outboxKey(String reportId, int version) {
        return "O#" + reportId + "#" + version;
    }

    /**
     * @param taskWrites the writes that complete the schedule task the report answers (conditional on
     *                   the task's status as read), after the submission's own items; empty when none
     */
    public void commit(
            Report report,
            String idempotencyKey,
            String payloadHash,
            String receipt,
            AuditEvent event,
            Instant now,
            Duration lease,
            List<TransactWriteItem> taskWrites) {
        Map<String, AttributeValue> idem = Item.builder(8)
                .put(PK, idempotencyKey)
                .put(SK, "I")
                .put(STATUS, IdempotencyRecord.IN_PROGRESS)
                .put(PAYLOAD_HASH, payloadHash)
                .put(REPORT_ID, report.reportId())
                .put(VERSION, report.version())
                .put(RECEIPT, receipt)
                .put(EXPIRES_AT, now.plus(idempotencyTtl).getEpochSecond())
                .build();
        Map<String, AttributeValue> outbox = Item.builder(10)
                .put(PK, outboxKey(report.reportId(), report.version()))
                .put(SK, "O")
                .put(OUTBOX_PK, OUTBOX_PARTITION)
                .put(OUTBOX_SK, Times.sortable(now) + "#" + report.reportId() + "#" + report.version())
                .put(REPORT_ID, report.reportId())
                .put(VERSION, report.version())
                .put(STUDY_ID, report.studyId())
                .put(IDEMPOTENCY_KEY, idempotencyKey)
                .put(PENDING, Item.ss(List.of(DeliveryTarget.INDEX.code(), DeliveryTarget.ALERT.code())))
                // the request itself holds the lease while it delivers
                .put(LEASE_UNTIL, now.plus(lease).toEpochMilli())
                .build();

        TransactWriteItem[] items = new TransactWriteItem[CommitItem.values().length + taskWrites.size()];
        items[CommitItem.IDEMPOTENCY.ordinal()] = TransactWriteItem.builder()
                .put(Put.builder()
                        .tableName(table)
                        .item(idem)
                        .conditionExpression(Writes.NEW_ITEM + " OR expiresAt < :now")
                        .expressionAttributeValues(Map.of(":now", Item.n(now.getEpochSecond())))
                        .build())
                .build();
        items[CommitItem.REPORT.ordinal()] = Writes.putNew(table, ReportItems.toItem(report));
        items[CommitItem.AUDIT.ordinal()] = audit.transactionItem(event);
        items[CommitItem.OUTBOX.ordinal()] = Writes.putNew(table, outbox);
        for (int i = 0; i < taskWrites.size(); i++) {
            items[CommitItem.values().length + i] = taskWrites.get(i);
        }
        try {
            dynamo.transactWriteItems(b -> b.transactItems(items));
        } catch (TransactionCanceledException e) {
            throw new CommitRefused(refusal(Cancellation.of(e), taskWrites.size()));
        }
    }

    private static Refusal refusal(Cancellation cancellation, int taskWrites) {
        if (cancellation.conditionFailedAt(CommitItem.IDEMPOTENCY.ordinal())) {
            return Refusal.KEY_TAKEN;
        }
        if (cancellation.conditionFailedAt(CommitItem.REPORT.ordinal())) {
            return Refusal.VERSION_TAKEN;
        }
        for (int i = 0; i < taskWrites; i++) {
            if (cancellation.conditionFailedAt(CommitItem.values().length + i)) {
                return Refusal.TASK_CHANGED;
            }
        }
        return Refusal.CONFLICT;
    }

    /**
     * For SnapStart priming: runs the transaction path (marshalling, signing, cancellation
     * reasons) with one condition check that always fails, so nothing is ever written.
     */
    public void primeTransaction() {
        try {
            dynamo.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder()
                    .conditionCheck(c -> c.tableName(table)
                            .key(Map.of(PK, Item.s(idempotencyKey("PRIMING", "PRIMING", "PRIMING")), SK, Item.s("I")))
                            .conditionExpression("attribute_exists(pk) AND attribute_not_exists(pk)"))
                    .build()));
        } catch (TransactionCanceledException expected) {
            refusal(Cancellation.of(expected), 0);
        }
    }

    public Optional<IdempotencyRecord> idempotencyRecord(String key) {
        Item item = Item.of(dynamo.getItem(
                        b -> b.tableName(table).consistentRead(true).key(Map.of(PK, Item.s(key), SK, Item.s("I"))))
                .item());
        if (item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new IdempotencyRecord(
                key,
                item.string(STATUS),
                item.string(PAYLOAD_HASH),
                item.string(REPORT_ID),
                item.integer(VERSION),
                item.string(RECEIPT)));
    }

    /**
     * Takes the outbox lease if nobody holds it: only the holder may deliver. A refused claim says
     * why from the item DynamoDB returns with the refusal (ALL_OLD), without a second read.
     */
    public Claim claim(String reportId, int version, Instant now, Duration lease) {
        Map<String, AttributeValue> key = outboxItemKey(reportId, version);
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(b -> b.tableName(table)
                            .key(key)
                            .conditionExpression(
                                    "attribute_exists(pk) AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)")
                            .updateExpression("SET leaseUntil = :until")
                            .expressionAttributeValues(Map.of(
                                    ":now",
                                    Item.n(now.toEpochMilli()),
                                    ":until",
                                    Item.n(now.plus(lease).toEpochMilli())))
                            .returnValues(ReturnValue.ALL_NEW)
                            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD))
                    .attributes();
            return new Claim.Claimed(outbox(Item.of(item)));
        } catch (ConditionalCheckFailedException e) {
            Item held = Item.of(e.hasItem() ? e.item() : null);
            return held.isEmpty() ? new Claim.Gone() : new Claim.Held(held.number(LEASE_UNTIL));
        }
    }

    /** Both queues have the message: the submission is complete and the outbox item goes. */
    public void complete(Outbox outbox) {
        List<TransactWriteItem> items = new ArrayList<>(2);
        items.add(TransactWriteItem.builder()
                .update(Update.builder()
                        .tableName(table)
                        .key(Map.of(PK, Item.s(outbox.idempotencyKey()), SK, Item.s("I")))
                        .conditionExpression("attribute_exists(pk)")
                        .updateExpression("SET #s = :done")
                        .expressionAttributeNames(Map.of("#s", STATUS))
                        .expressionAttributeValues(Map.of(":done", Item.s(IdempotencyRecord.COMPLETED)))
                        .build())
                .build());
        items.add(TransactWriteItem.builder()
                .delete(Delete.builder()
                        .tableName(table)
                        .key(outboxItemKey(outbox.reportId(), outbox.version()))
                        .build())
                .build());
        try {
            dynamo.transactWriteItems(b -> b.transactItems(items));
        } catch (TransactionCanceledException e) {
            // the idempotency record expired: the outbox item must still go
            dynamo.deleteItem(b -> b.tableName(table).key(outboxItemKey(outbox.reportId(), outbox.version())));
        }
    }

    /**
     * Some queues were not reached: remember which ones were, and free the lease for a retry or the sweeper.
     *
     * @return false when the outbox item is already gone: its completion went through after all (a write
     *     that timed out on the client but took effect) or another holder completed it; nothing is owed
     */
    public boolean release(Outbox outbox, Set<DeliveryTarget> delivered) {
        Map<String, AttributeValue> key = outboxItemKey(outbox.reportId(), outbox.version());
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":zero", Item.n(0));
        String expression = "SET leaseUntil = :zero";
        if (!delivered.isEmpty()) {
            values.put(
                    ":delivered",
                    Item.ss(delivered.stream().map(DeliveryTarget::code).toList()));
            expression += " DELETE pending :delivered";
        }
        String update = expression;
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(key)
                    .updateExpression(update)
                    .expressionAttributeValues(values)
                    .conditionExpression("attribute_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException gone) {
            return false;
        }
    }

    /** Pending deliveries older than {@code olderThan}, oldest first, a page at a time. */
    public void pendingBefore(Instant olderThan, int pageSize, Consumer<Outbox> each, BooleanSupplier keepGoing) {
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> exclusiveStart = start;
            QueryResponse page = dynamo.query(b -> b.tableName(table)
                    .indexName(OUTBOX_INDEX)
                    .keyConditionExpression("outboxPk = :p AND outboxSk < :before")
                    .expressionAttributeValues(
                            Map.of(":p", Item.s(OUTBOX_PARTITION), ":before", Item.s(Times.sortable(olderThan))))
                    .limit(pageSize)
                    .exclusiveStartKey(exclusiveStart));
            for (Map<String, AttributeValue> item : page.items()) {
                if (!keepGoing.getAsBoolean()) {
                    return;
                }
                each.accept(outbox(Item.of(item)));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && keepGoing.getAsBoolean());
    }

    private static Map<String, AttributeValue> outboxItemKey(String reportId, int version) {
        return Map.of(PK, Item.s(outboxKey(reportId, version)), SK, Item.s("O"));
    }

    private static Outbox outbox(Item item) {
        Set<DeliveryTarget> pending = EnumSet.noneOf(DeliveryTarget.class);
        item.strings(PENDING).forEach(code -> pending.add(DeliveryTarget.fromCode(code)));
        return new Outbox(
                item.string(REPORT_ID),
                item.integer(VERSION),
                item.string(STUDY_ID),
                item.string(IDEMPOTENCY_KEY),
                pending);
    }
}
