package org.openepro.core.questionnaire.study;

import static org.openepro.core.dynamo.Item.s;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openepro.core.audit.AuditEvent;
import org.openepro.core.audit.AuditLog;
import org.openepro.core.dynamo.Cancellation;
import org.openepro.core.dynamo.Item;
import org.openepro.core.dynamo.Queries;
import org.openepro.core.dynamo.Writes;
import org.openepro.core.report.Times;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The questionnaires studies publish, in the questionnaires table. Each is stored twice in one
 * transaction: under its canonical ({@code Q#url|version}, which makes {@code url|version}
 * immutable across every study) and under its study ({@code S#study}, so one Query reads a study's
 * whole catalogue with its built-in selection). Written only with conditions; nothing is deleted.
 */
public final class StudyQuestionnaireStore {
    // positions in a publication's transaction: cancellation reasons come back in this order
    private static final int BY_CANONICAL = 0;
    private static final int BY_STUDY = 1;
    static final String SELECTION_SK = "BUILT-INS";

    private final DynamoDbClient dynamo;
    private final String table;
    private final AuditLog audit;

    public StudyQuestionnaireStore(DynamoDbClient dynamo, String table, AuditLog audit) {
        this.dynamo = dynamo;
        this.table = table;
        this.audit = audit;
    }

    /** For functions that only read the catalogue (their IAM grants Query alone): every write refuses. */
    public static StudyQuestionnaireStore readOnly(DynamoDbClient dynamo, String table) {
        return new StudyQuestionnaireStore(dynamo, table, null);
    }

    private AuditLog audit() {
        if (audit == null) {
            throw new IllegalStateException("a read-only questionnaire store writes nothing");
        }
        return audit;
    }

    /** A stored publication as read back: its resource as published (current status) and its facts. */
    public record Stored(
            String studyId,
            String canonical,
            byte[] json,
            String contentHash,
            String status,
            Instant publishedAt,
            String publishedBy) {}

    /** What one read of a study gives: its publications and its built-in selection. */
    public record StudyEntries(List<Stored> questionnaires, BuiltInSelection selection) {}

    /** The publication of this canonical, whichever study made it (strongly consistent). */
    public Optional<Stored> find(String canonical) {
        Map<String, AttributeValue> item = dynamo.getItem(b ->
                        b.tableName(table).consistentRead(true).key(Map.of("pk", s("Q#" + canonical), "sk", s("Q"))))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(stored(item));
    }

    /**
     * Stores a new publication with its audit event, all or nothing.
     *
     * @return false when the canonical was published meanwhile (by this or another request)
     */
    public boolean create(Stored q, AuditEvent event) {
        List<TransactWriteItem> items = List.of(
                Writes.putNew(table, item("Q#" + q.canonical(), "Q", q)), // BY_CANONICAL
                Writes.putNew(table, item("S#" + q.studyId(), "Q#" + q.canonical(), q)), // BY_STUDY
                audit().transactionItem(event));
        return writeBothCopies(items);
    }

    /**
     * Marks an active publication retired (both copies, with its audit event); its content and every
     * report answered with it stay as they are.
     *
     * @return false when it was no longer active
     */
    public boolean retire(String studyId, String canonical, byte[] retiredJson, Instant at, AuditEvent event) {
        Map<String, AttributeValue> values = Map.of(
                ":retired",
                s("retired"),
                ":active",
                s("active"),
                ":json",
                s(new String(retiredJson, StandardCharsets.UTF_8)),
                ":at",
                s(Times.sortable(at)));
        List<TransactWriteItem> items = List.of(
                update("Q#" + canonical, "Q", values), // BY_CANONICAL
                update("S#" + studyId, "Q#" + canonical, values), // BY_STUDY
                audit().transactionItem(event));
        return writeBothCopies(items);
    }

    /** Replaces a study's built-in selection, with its audit event. */
    public void select(String studyId, BuiltInSelection selection, String actor, Instant at, AuditEvent event) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s("S#" + studyId));
        item.put("sk", s(SELECTION_SK));
        item.put("studyId", s(studyId));
        item.put("all", AttributeValue.fromBool(selection.all()));
        item.put(
                "canonicals",
                AttributeValue.fromL(
                        selection.canonicals().stream().sorted().map(Item::s).toList()));
        item.put("updatedAt", s(Times.sortable(at)));
        item.put("updatedBy", s(actor));
        List<TransactWriteItem> items = List.of(Writes.put(table, item), audit().transactionItem(event));
        dynamo.transactWriteItems(b -> b.transactItems(items));
    }

    /** Everything a study published, and its built-in selection (ALL when it never chose): Query, never Scan. */
    public StudyEntries study(String studyId) {
        List<Stored> out = new ArrayList<>();
        BuiltInSelection selection = BuiltInSelection.ALL;
        QueryRequest query = QueryRequest.builder()
                .tableName(table)
                .consistentRead(true)
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s("S#" + studyId)))
                .build();
        for (Map<String, AttributeValue> item : Queries.everyItem(dynamo, query)) {
            if (SELECTION_SK.equals(item.get("sk").s())) {
                selection = item.get("all").bool()
                        ? BuiltInSelection.ALL
                        : BuiltInSelection.only(item.get("canonicals").l().stream()
                                .map(AttributeValue::s)
                                .toList());
            } else {
                out.add(stored(item));
            }
        }
        return new StudyEntries(out, selection);
    }

    private TransactWriteItem update(String pk, String sk, Map<String, AttributeValue> values) {
        return TransactWriteItem.builder()
                .update(Update.builder()
                        .tableName(table)
                        .key(Map.of("pk", s(pk), "sk", s(sk)))
                        .updateExpression("SET #status = :retired, #json = :json, retiredAt = :at")
                        .conditionExpression("#status = :active")
                        .expressionAttributeNames(Map.of("#status", "status", "#json", "json"))
                        .expressionAttributeValues(values)
                        .build())
                .build();
    }

    private static Map<String, AttributeValue> item(String pk, String sk, Stored q) {
        Map<String, AttributeValue> item = new HashMap<>(12);
        item.put("pk", s(pk));
        item.put("sk", s(sk));
        item.put("studyId", s(q.studyId()));
        item.put("canonical", s(q.canonical()));
        item.put("json", s(new String(q.json(), StandardCharsets.UTF_8)));
        item.put("contentHash", s(q.contentHash()));
        item.put("status", s(q.status()));
        item.put("publishedAt", s(Times.sortable(q.publishedAt())));
        item.put("publishedBy", s(q.publishedBy()));
        return item;
    }

    private static Stored stored(Map<String, AttributeValue> item) {
        return new Stored(
                item.get("studyId").s(),
                item.get("canonical").s(),
                item.get("json").s().getBytes(StandardCharsets.UTF_8),
                item.get("contentHash").s(),
                item.get("status").s(),
                Times.parse(item.get("publishedAt").s()),
                item.get("publishedBy").s());
    }

    /**
     * Writes the two copies of a publication and its audit event; false when either copy's condition
     * failed (published or changed meanwhile), nothing then being written.
     */
    private boolean writeBothCopies(List<TransactWriteItem> items) {
        try {
            dynamo.transactWriteItems(b -> b.transactItems(items));
            return true;
        } catch (TransactionCanceledException e) {
            Cancellation cancellation = Cancellation.of(e);
            if (cancellation.conditionFailedAt(BY_CANONICAL) || cancellation.conditionFailedAt(BY_STUDY)) {
                return false;
            }
            throw e;
        }
    }
}
