package org.openepro.schedule.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.openepro.core.audit.AuditEvent;
import org.openepro.core.audit.AuditLog;
import org.openepro.core.json.Json;
import org.openepro.core.report.Times;
import org.openepro.core.schedule.Enrollment;
import org.openepro.core.schedule.EnrollmentItems;
import org.openepro.core.schedule.Occurrence;
import org.openepro.core.schedule.OccurrenceItems;
import org.openepro.core.schedule.OccurrenceStatus;
import org.openepro.core.schedule.OccurrenceStore;
import org.openepro.core.schedule.ScheduleKeys;
import org.openepro.schedule.plan.Replanner;
import org.openepro.schedule.protocol.Protocol;
import org.openepro.schedule.protocol.ProtocolHistory;
import org.openepro.schedule.protocol.ProtocolParser;
import org.openepro.schedule.protocol.QuestionnaireLookup;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The schedule table's writes for protocols, enrollments and materialised occurrences. Every
 * write that could race is conditional: a version number is taken once, an occurrence is created
 * only if absent, moved or cancelled only if still pending, so a decision taken on a stale read
 * (two requests, a retried scheduler run) changes nothing the second time.
 */
public final class ScheduleStore {
    /** The study's replan job: due when a new protocol version must reach its enrolled subjects. */
    public static final String REPLAN_SK = "REPLAN";

    public static final String DOCUMENT = "document";
    public static final String EFFECTIVE_FROM = "effectiveFrom";
    public static final String VERSION = "version";
    public static final String CREATED_AT = "createdAt";
    public static final String CREATED_BY = "createdBy";
    public static final String JOB_VERSION = "jobVersion";
    public static final String JOB_START = "jobStart";
    private static final int WRITE_CONCURRENCY = 8;

    private final DynamoDbClient dynamo;
    private final String table;
    private final AuditLog audit;
    private final ProtocolParser storedParser = new ProtocolParser(QuestionnaireLookup.STORED);
    private final OccurrenceStore occurrences;

    public ScheduleStore(DynamoDbClient dynamo, String table, AuditLog audit) {
        this.dynamo = dynamo;
        this.table = table;
        this.audit = audit;
        this.occurrences = new OccurrenceStore(dynamo, table);
    }

    public String table() {
        return table;
    }

    public OccurrenceStore occurrences() {
        return occurrences;
    }

    // ---------------------------------------------------------------- protocols

    /** Every stored version of the study's protocol (the documents were validated when stored). */
    public ProtocolHistory history(String studyId) {
        List<Protocol> versions = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var b = software.amazon.awssdk.services.dynamodb.model.QueryRequest.builder()
                    .tableName(table)
                    .consistentRead(true)
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :v)")
                    .expressionAttributeValues(Map.of(":pk", s(ScheduleKeys.protocolPk(studyId)), ":v", s("V#")));
            if (start != null) {
                b.exclusiveStartKey(start);
            }
            QueryResponse page = dynamo.query(b.build());
            for (var item : page.items()) {
                versions.add(parseStored(studyId, item));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return new ProtocolHistory(versions);
    }

    private Protocol parseStored(String studyId, Map<String, AttributeValue> item) {
        try {
            JsonNode doc = Json.mapper().readTree(item.get(DOCUMENT).s());
            ProtocolParser.Result r = storedParser.parse(studyId, doc);
            if (!r.valid()) {
                throw new IllegalStateException("a stored protocol version no longer parses");
            }
            return r.protocol().withVersion(Integer.parseInt(item.get(VERSION).n()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored protocol version is not JSON", e);
        }
    }

    /**
     * Stores {@code protocol} as version {@code version} (the next free one), its audit event, and
     * the study's replan job, in one transaction. Empty when that version number was taken in the
     * meantime (the caller reads again and retries).
     */
    public boolean putVersion(Protocol protocol, JsonNode document, int version, AuditEvent event, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ScheduleKeys.PK, s(ScheduleKeys.protocolPk(protocol.studyId())));
        item.put(ScheduleKeys.SK, s(ScheduleKeys.protocolSk(version)));
        item.put(OccurrenceItems.KIND, s("PROTOCOL"));
        item.put(VERSION, OccurrenceItems.n(version));
        item.put(EFFECTIVE_FROM, s(protocol.effectiveFrom().toString()));
        item.put(DOCUMENT, s(document.toString()));
        item.put(CREATED_AT, s(Times.sortable(now)));
        item.put(CREATED_BY, s(event.actor().subject()));
        Map<String, AttributeValue> job = new HashMap<>();
        job.put(ScheduleKeys.PK, s(ScheduleKeys.protocolPk(protocol.studyId())));
        job.put(ScheduleKeys.SK, s(REPLAN_SK));
        job.put(OccurrenceItems.KIND, s("REPLAN"));
        job.put(OccurrenceItems.STUDY, s(protocol.studyId()));
        job.put(JOB_VERSION, OccurrenceItems.n(version));
        job.put(ScheduleKeys.DUE_AT, s(Times.sortable(now)));
        job.put(ScheduleKeys.DUE_BUCKET, s(ScheduleKeys.dueBucket(now, ScheduleKeys.protocolPk(protocol.studyId()))));
        try {
            dynamo.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder()
                            .put(Put.builder()
                                    .tableName(table)
                                    .item(item)
                                    .conditionExpression("attribute_not_exists(pk)")
                                    .build())
                            .build(),
                    TransactWriteItem.builder()
                            .put(Put.builder().tableName(table).item(job).build())
                            .build(),
                    audit.transactionItem(event)));
            return true;
        } catch (TransactionCanceledException e) {
            if (e.hasCancellationReasons()
                    && "ConditionalCheckFailed"
                            .equals(e.cancellationReasons().getFirst().code())) {
                return false;
            }
            throw e;
        }
    }

    /** The stored document of a version, for the response (exactly what was accepted). */
    public Optional<Map<String, AttributeValue>> versionItem(String studyId, int version) {
        var item = dynamo.getItem(b -> b.tableName(table)
                        .consistentRead(true)
                        .key(Map.of(
                                ScheduleKeys.PK,
                                s(ScheduleKeys.protocolPk(studyId)),
                                ScheduleKeys.SK,
                                s(ScheduleKeys.protocolSk(version)))))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    // ---------------------------------------------------------------- enrollments

    public Optional<Map<String, AttributeValue>> enrollmentItem(String studyId, String subjectId) {
        var item = dynamo.getItem(
                        b -> b.tableName(table).consistentRead(true).key(EnrollmentItems.key(studyId, subjectId)))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    /**
     * Writes the enrollment (with its next top-up due) and its audit event in one transaction,
     * on the condition that it is still what was read ({@code previousUpdatedAt}, or absent).
     *
     * @return false when someone else changed it first
     */
    public boolean putEnrollment(
            Enrollment e,
            int plannedVersion,
            Optional<String> previousUpdatedAt,
            String actor,
            Instant now,
            Instant nextTopUp,
            AuditEvent event) {
        Map<String, AttributeValue> item = EnrollmentItems.toItem(e);
        item.put(EnrollmentItems.PLANNED_VERSION, OccurrenceItems.n(plannedVersion));
        item.put(EnrollmentItems.UPDATED_AT, s(Times.sortable(now) + "#" + event.eventId()));
        item.put(EnrollmentItems.UPDATED_BY, s(actor));
        if (e.active()) {
            String pk = ScheduleKeys.enrollmentPk(e.subject().studyId()) + "#"
                    + e.subject().subjectId();
            item.put(ScheduleKeys.DUE_AT, s(Times.sortable(nextTopUp)));
            item.put(ScheduleKeys.DUE_BUCKET, s(ScheduleKeys.dueBucket(nextTopUp, pk)));
        }
        Put.Builder put = Put.builder().tableName(table).item(item);
        if (previousUpdatedAt.isPresent()) {
            put.conditionExpression("updatedAt = :was")
                    .expressionAttributeValues(Map.of(":was", s(previousUpdatedAt.get())));
        } else {
            put.conditionExpression("attribute_not_exists(pk)");
        }
        try {
            dynamo.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().put(put.build()).build(), audit.transactionItem(event)));
            return true;
        } catch (TransactionCanceledException ex) {
            if (ex.hasCancellationReasons()
                    && "ConditionalCheckFailed"
                            .equals(ex.cancellationReasons().getFirst().code())) {
                return false;
            }
            throw ex;
        }
    }

    // ---------------------------------------------------------------- occurrences

    /** What applying one set of changes did (conditions that failed were decided on a stale read). */
    public record Applied(int created, int replaced, int cancelled, int skipped) {}

    /**
     * Applies the replanner's changes: creates only absent occurrences, rewrites only those still
     * not opened (pending, or cancelled for revival), cancels only pending ones. Writes run
     * concurrently (bounded); each is one conditional item write.
     */
    public Applied apply(Replanner.Changes changes, Instant now) {
        List<java.util.concurrent.Callable<Integer>> writes = new ArrayList<>();
        for (Occurrence o : changes.create()) {
            writes.add(() -> conditional(() -> dynamo.putItem(b -> b.tableName(table)
                            .item(OccurrenceItems.toItem(o))
                            .conditionExpression("attribute_not_exists(pk)")))
                    ? 0
                    : 3);
        }
        for (Occurrence o : changes.replace()) {
            writes.add(() -> conditional(() -> dynamo.putItem(b -> b.tableName(table)
                            .item(OccurrenceItems.toItem(o))
                            .conditionExpression("(#status = :pending OR #status = :cancelled) AND opensAt > :now")
                            .expressionAttributeNames(Map.of("#status", OccurrenceItems.STATUS))
                            .expressionAttributeValues(Map.of(
                                    ":pending",
                                    s(OccurrenceStatus.PENDING.name()),
                                    ":cancelled",
                                    s(OccurrenceStatus.CANCELLED.name()),
                                    ":now",
                                    s(Times.sortable(now))))))
                    ? 1
                    : 3);
        }
        for (Occurrence o : changes.cancel()) {
            writes.add(() -> conditional(() -> dynamo.updateItem(b -> b.tableName(table)
                            .key(OccurrenceItems.key(o))
                            .updateExpression("SET #status = :cancelled REMOVE dueBucket, dueAt")
                            .conditionExpression("#status = :pending")
                            .expressionAttributeNames(Map.of("#status", OccurrenceItems.STATUS))
                            .expressionAttributeValues(Map.of(
                                    ":pending",
                                    s(OccurrenceStatus.PENDING.name()),
                                    ":cancelled",
                                    s(OccurrenceStatus.CANCELLED.name())))))
                    ? 2
                    : 3);
        }
        int[] counts = new int[4];
        for (int kind : runBounded(writes)) {
            counts[kind]++;
        }
        return new Applied(counts[0], counts[1], counts[2], counts[3]);
    }

    private static boolean conditional(Runnable write) {
        try {
            write.run();
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static List<Integer> runBounded(List<java.util.concurrent.Callable<Integer>> tasks) {
        if (tasks.size() <= 1) {
            List<Integer> out = new ArrayList<>();
            for (var t : tasks) {
                try {
                    out.add(t.call());
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return out;
        }
        Semaphore permits = new Semaphore(WRITE_CONCURRENCY);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> futures = new ArrayList<>();
            for (var t : tasks) {
                futures.add(pool.submit(() -> {
                    permits.acquire();
                    try {
                        return t.call();
                    } finally {
                        permits.release();
                    }
                }));
            }
            List<Integer> out = new ArrayList<>();
            for (Future<Integer> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing occurrences", e);
        }
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }
}
