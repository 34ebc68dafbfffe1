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
import java.util.function.Consumer;
import org.openepro.core.audit.AuditEvent;
import org.openepro.core.audit.AuditLog;
import org.openepro.core.report.Report;
import org.openepro.core.report.ReportItems;
import org.openepro.core.report.ReportStore;
import org.openepro.core.report.Times;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
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
    public record Outbox(String reportId, int version, String studyId, String idempotencyKey,
                         Set<DeliveryTarget> pending) {
    }

    /** Result of trying to take an outbox item's lease. */
    public sealed interface Claim {
        record Claimed(Outbox outbox) implements Claim {
        }

        record Held(long leaseUntilMillis) implements Claim {
        }

        record Gone() implements Claim {
        }
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

    public void commit(Report report, String idempotencyKey, String payloadHash, String receipt, AuditEvent event,
                       Instant now, Duration lease) {
        Map<String, AttributeValue> idem = new HashMap<>(12);
        idem.put("pk", s(idempotencyKey));
        idem.put("sk", s("I"));
        idem.put("status", s(IdempotencyRecord.IN_PROGRESS));
        idem.put("payloadHash", s(payloadHash));
        idem.put("reportId", s(report.reportId()));
        idem.put("version", n(report.version()));
        idem.put("receipt", s(receipt));
        idem.put("expiresAt", n(now.plus(idempotencyTtl).getEpochSecond()));

        Map<String, AttributeValue> outbox = new HashMap<>(12);
        outbox.put("pk", s(outboxKey(report.reportId(), report.version())));
        outbox.put("sk", s("O"));
        outbox.put("outboxPk", s(OUTBOX_PARTITION));
        outbox.put("outboxSk", s(Times.sortable(now) + "#" + report.reportId() + "#" + report.version()));
        outbox.put("reportId", s(report.reportId()));
        outbox.put("version", n(report.version()));
        outbox.put("studyId", s(report.studyId()));
        outbox.put("idempotencyKey", s(idempotencyKey));
        outbox.put("pending", AttributeValue.fromSs(List.of(DeliveryTarget.INDEX.code(), DeliveryTarget.ALERT.code())));
        // the request itself holds the lease while it delivers
        outbox.put("leaseUntil", n(now.plus(lease).toEpochMilli()));

        List<TransactWriteItem> items = List.of(
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(idem)
                        .conditionExpression("attribute_not_exists(pk) OR expiresAt < :now")
                        .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond()))).build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(ReportItems.toItem(report))
                        .conditionExpression("attribute_not_exists(pk)").build()).build(),
                audit.transactionItem(event),
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(outbox)
                        .conditionExpression("attribute_not_exists(pk)").build()).build());
        try {
            dynamo.transactWriteItems(b -> b.transactItems(items));
        } catch (TransactionCanceledException e) {
            throw new CommitRefused(refusal(e.cancellationReasons()));
        }
    }

    private static Refusal refusal(List<CancellationReason> reasons) {
        if (reasons != null) {
            if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code())) {
                return Refusal.KEY_TAKEN;
            }
            if (reasons.size() > 1 && "ConditionalCheckFailed".equals(reasons.get(1).code())) {
                return Refusal.VERSION_TAKEN;
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
                            .key(Map.of("pk", s(idempotencyKey("PRIMING", "PRIMING", "PRIMING")), "sk", s("I")))
                            .conditionExpression("attribute_exists(pk) AND attribute_not_exists(pk)"))
                    .build()));
        } catch (TransactionCanceledException expected) {
            refusal(expected.cancellationReasons());
        }
    }

    public Optional<IdempotencyRecord> idempotencyRecord(String key) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("pk", s(key), "sk", s("I")))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new IdempotencyRecord(key, item.get("status").s(), item.get("payloadHash").s(),
                item.get("reportId").s(), Integer.parseInt(item.get("version").n()), item.get("receipt").s()));
    }

    /** Takes the outbox lease if nobody holds it: only the holder may deliver. */
    public Claim claim(String reportId, int version, Instant now, Duration lease) {
        Map<String, AttributeValue> key = Map.of("pk", s(outboxKey(reportId, version)), "sk", s("O"));
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(b -> b.tableName(table).key(key)
                    .conditionExpression("attribute_exists(pk) AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)")
                    .updateExpression("SET leaseUntil = :until")
                    .expressionAttributeValues(Map.of(":now", n(now.toEpochMilli()),
                            ":until", n(now.plus(lease).toEpochMilli())))
                    .returnValues("ALL_NEW")).attributes();
            return new Claim.Claimed(outbox(item));
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true)).item();
            if (item == null || item.isEmpty()) {
                return new Claim.Gone();
            }
            return new Claim.Held(Long.parseLong(item.get("leaseUntil").n()));
        }
    }

    /** Both queues have the message: the submission is complete and the outbox item goes. */
    public void complete(Outbox outbox) {
        List<TransactWriteItem> items = new ArrayList<>(2);
        items.add(TransactWriteItem.builder().update(Update.builder().tableName(table)
                .key(Map.of("pk", s(outbox.idempotencyKey()), "sk", s("I")))
                .conditionExpression("attribute_exists(pk)")
                .updateExpression("SET #s = :done").expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":done", s(IdempotencyRecord.COMPLETED))).build()).build());
        items.add(TransactWriteItem.builder().delete(Delete.builder().tableName(table)
                .key(Map.of("pk", s(outboxKey(outbox.reportId(), outbox.version())), "sk", s("O"))).build()).build());
        try {
            dynamo.transactWriteItems(b -> b.transactItems(items));
        } catch (TransactionCanceledException e) {
            // the idempotency record expired: the outbox item must still go
            dynamo.deleteItem(b -> b.tableName(table)
                    .key(Map.of("pk", s(outboxKey(outbox.reportId(), outbox.version())), "sk", s("O"))));
        }
    }

    /** Some queues were not reached: remember which ones were, and free the lease for a retry or the sweeper. */
    public void release(Outbox outbox, Set<DeliveryTarget> delivered) {
        Map<String, AttributeValue> key = Map.of("pk", s(outboxKey(outbox.reportId(), outbox.version())), "sk", s("O"));
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":zero", n(0));
        String expression = "SET leaseUntil = :zero";
        if (!delivered.isEmpty()) {
            values.put(":delivered", AttributeValue.fromSs(delivered.stream().map(DeliveryTarget::code).toList()));
            expression += " DELETE pending :delivered";
        }
        String update = expression;
        dynamo.updateItem(b -> b.tableName(table).key(key).updateExpression(update)
                .expressionAttributeValues(values).conditionExpression("attribute_exists(pk)"));
    }

    /** Pending deliveries older than {@code olderThan}, oldest first, a page at a time. */
    public void pendingBefore(Instant olderThan, int pageSize, Consumer<Outbox> each, java.util.function.BooleanSupplier keepGoing) {
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> exclusiveStart = start;
            QueryResponse page = dynamo.query(b -> b.tableName(table).indexName(OUTBOX_INDEX)
                    .keyConditionExpression("outboxPk = :p AND outboxSk < :before")
                    .expressionAttributeValues(Map.of(":p", s(OUTBOX_PARTITION),
                            ":before", s(Times.sortable(olderThan))))
                    .limit(pageSize).exclusiveStartKey(exclusiveStart));
            for (Map<String, AttributeValue> item : page.items()) {
                if (!keepGoing.getAsBoolean()) {
                    return;
                }
                each.accept(outbox(item));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && keepGoing.getAsBoolean());
    }

    private static Outbox outbox(Map<String, AttributeValue> item) {
        Set<DeliveryTarget> pending = EnumSet.noneOf(DeliveryTarget.class);
        AttributeValue p = item.get("pending");
        if (p != null && p.hasSs()) {
            p.ss().forEach(code -> pending.add(DeliveryTarget.fromCode(code)));
        }
        return new Outbox(item.get("reportId").s(), Integer.parseInt(item.get("version").n()), item.get("studyId").s(),
                item.get("idempotencyKey").s(), pending);
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }
}
