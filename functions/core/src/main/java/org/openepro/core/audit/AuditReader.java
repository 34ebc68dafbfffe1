package org.openepro.core.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openepro.core.dynamo.CursorPage;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Reads the audit table: a study's events by time ({@code pk = A#study}, {@code sk = at#eventId}),
 * or one entity's events through the {@code by-entity} index, kept to the study. Queries only. The one
 * reader of the trail: the staff audit route and the {@code audit-csv} export both read through it.
 */
public final class AuditReader {
    public static final String ENTITY_INDEX = "by-entity";
    private static final int MAX_ROUNDS = 5;

    private final DynamoDbClient dynamo;
    private final String table;

    public AuditReader(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** One audit event as stored: ids, codes and the reason given, never answers. */
    public record Event(
            String eventId,
            String studyId,
            String action,
            String actor,
            String actorRole,
            String at,
            String entityType,
            String entityId,
            String reason,
            Map<String, String> details) {
        /** The event's sort key in the study's partition ({@code at#eventId}): where a read continues after it. */
        public String sortKey() {
            return at + "#" + eventId;
        }
    }

    /** @param nextSk the sort key to continue after, when the range holds more */
    public record Page(List<Event> events, Optional<String> nextSk) {}

    /**
     * Events of the study with {@code fromSk <= sk < toSk}, oldest first, from after {@code afterSk}.
     * With an entity, the entity's events, kept to this study by a filter (an id names one entity
     * everywhere, but an entity of another study must never show).
     */
    public Page page(
            String studyId,
            String fromSk,
            String toSk,
            Optional<String> entityPk,
            int limit,
            Optional<String> afterSk) {
        int read = entityPk.isPresent() ? Math.max(limit, 50) : limit;
        CursorPage<Event> page = CursorPage.fill(
                dynamo,
                limit,
                MAX_ROUNDS,
                afterSk,
                "sk",
                cursor -> query(studyId, fromSk, toSk, entityPk, read, cursor),
                AuditReader::event);
        return new Page(page.items(), page.next());
    }

    /** Every event of one entity in this study, oldest first (a report's history: a handful). */
    public List<Event> history(String studyId, String entityPk) {
        List<Event> events = new ArrayList<>();
        Optional<String> after = Optional.empty();
        do {
            Page page = page(studyId, "0", "~", Optional.of(entityPk), 100, after);
            events.addAll(page.events());
            after = page.nextSk();
        } while (after.isPresent() && events.size() < 1000);
        return events;
    }

    private QueryRequest query(
            String studyId, String fromSk, String toSk, Optional<String> entityPk, int limit, String cursor) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":from", AttributeValue.fromS(fromSk));
        values.put(":to", AttributeValue.fromS(toSk));
        QueryRequest.Builder builder =
                QueryRequest.builder().tableName(table).limit(limit).scanIndexForward(true);
        String pk = "A#" + studyId;
        if (entityPk.isPresent()) {
            values.put(":entity", AttributeValue.fromS(entityPk.get()));
            values.put(":pk", AttributeValue.fromS(pk));
            builder.indexName(ENTITY_INDEX)
                    .keyConditionExpression("entityPk = :entity AND sk BETWEEN :from AND :to")
                    .filterExpression("pk = :pk");
        } else {
            values.put(":pk", AttributeValue.fromS(pk));
            builder.keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to");
        }
        if (cursor != null) {
            Map<String, AttributeValue> start = new HashMap<>();
            start.put("pk", AttributeValue.fromS(pk));
            start.put("sk", AttributeValue.fromS(cursor));
            entityPk.ifPresent(e -> start.put("entityPk", AttributeValue.fromS(e)));
            builder.exclusiveStartKey(start);
        }
        return builder.expressionAttributeValues(values).build();
    }

    private static Event event(Map<String, AttributeValue> item) {
        Map<String, String> details = new HashMap<>();
        AttributeValue d = item.get("details");
        if (d != null && d.hasM()) {
            d.m().forEach((k, v) -> details.put(k, v.s()));
        }
        return new Event(
                s(item, "eventId"),
                s(item, "studyId"),
                s(item, "action"),
                s(item, "actor"),
                s(item, "actorRole"),
                s(item, "at"),
                s(item, "entityType"),
                s(item, "entityId"),
                s(item, "reason"),
                Map.copyOf(details));
    }

    private static String s(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }
}
