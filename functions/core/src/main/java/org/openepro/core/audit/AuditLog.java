package org.openepro.core.audit;

import java.util.HashMap;
import java.util.Map;
import org.openepro.core.dynamo.Writes;
import org.openepro.core.report.Times;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Appends audit events to the audit table, keyed by study and time (and by entity through the
 * {@code by-entity} index). Events are only ever put, with a condition that they are new.
 */
public final class AuditLog {
    private final DynamoDbClient dynamo;
    private final String table;

    public AuditLog(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public String table() {
        return table;
    }

    /** The event as one item of a transaction, so it commits with the change it records. */
    public TransactWriteItem transactionItem(AuditEvent event) {
        return TransactWriteItem.builder().put(put(event)).build();
    }

    public void append(AuditEvent event) {
        Put put = put(event);
        dynamo.putItem(
                b -> b.tableName(put.tableName()).item(put.item()).conditionExpression(put.conditionExpression()));
    }

    public Put put(AuditEvent event) {
        return Put.builder()
                .tableName(table)
                .item(item(event))
                .conditionExpression(Writes.NEW_ITEM)
                .build();
    }

    public static Map<String, AttributeValue> item(AuditEvent e) {
        Map<String, AttributeValue> item = new HashMap<>(16);
        item.put("pk", AttributeValue.fromS("A#" + e.studyId()));
        item.put("sk", AttributeValue.fromS(Times.sortable(e.at()) + "#" + e.eventId()));
        item.put("entityPk", AttributeValue.fromS(AuditEvent.entityKey(e.entityType(), e.entityId())));
        item.put("eventId", AttributeValue.fromS(e.eventId()));
        item.put("studyId", AttributeValue.fromS(e.studyId()));
        item.put("action", AttributeValue.fromS(e.action().name()));
        item.put("actor", AttributeValue.fromS(e.actor().subject()));
        item.put("actorRole", AttributeValue.fromS(e.actor().roleCodes()));
        item.put("at", AttributeValue.fromS(Times.sortable(e.at())));
        item.put("entityType", AttributeValue.fromS(e.entityType().code()));
        item.put("entityId", AttributeValue.fromS(e.entityId()));
        if (e.reason() != null) {
            item.put("reason", AttributeValue.fromS(e.reason()));
        }
        if (!e.details().isEmpty()) {
            Map<String, AttributeValue> details = new HashMap<>();
            e.details().forEach((k, v) -> details.put(k, AttributeValue.fromS(v)));
            item.put("details", AttributeValue.fromM(details));
        }
        item.put("canonical", AttributeValue.fromS(e.canonicalJson()));
        return item;
    }
}
