package org.openepro.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openepro.core.dynamo.Cancellation;
import org.openepro.core.dynamo.CursorPage;
import org.openepro.core.dynamo.Item;
import org.openepro.core.questionnaire.Severity;
import org.openepro.core.report.Times;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The alerts table. One item per alert: {@code pk = AL#alertId}, {@code sk = ALERT}; listed by
 * study, newest first, through the {@code by-study} index ({@code studyPk = AS#studyId},
 * {@code studySk = raisedAt#alertId}).
 */
public final class AlertStore {
    public static final String STUDY_INDEX = "by-study";
    // the alert item's attribute names
    private static final String PK = "pk";
    private static final String SK = "sk";
    private static final String STUDY_PK = "studyPk";
    private static final String STUDY_SK = "studySk";
    private static final String ALERT_ID = "alertId";
    private static final String REPORT_ID = "reportId";
    private static final String VERSION = "version";
    private static final String STUDY_ID = "studyId";
    private static final String SITE_ID = "siteId";
    private static final String SUBJECT_ID = "subjectId";
    private static final String QUESTIONNAIRE_ID = "questionnaireId";
    private static final String QUESTIONNAIRE = "questionnaire";
    private static final String RULE_ID = "ruleId";
    private static final String SEVERITY = "severity";
    private static final String STATUS = "status";
    private static final String PUBLISH_STATE = "publishState";
    private static final String RAISED_AT = "raisedAt";
    private static final String LEASE_UNTIL = "leaseUntil";
    private static final String PUBLISHED_AT = "publishedAt";
    private static final String SNS_MESSAGE_ID = "snsMessageId";
    private static final String ACKNOWLEDGED_AT = "acknowledgedAt";
    private static final String ACKNOWLEDGED_BY = "acknowledgedBy";
    private static final String TIME_TO_ACKNOWLEDGE = "timeToAcknowledgeSeconds";
    private static final String ALERT_SK = "ALERT";
    // positions in the acknowledgement's transaction: cancellation reasons come back in this order
    private static final int ACK_ALERT = 0;
    private static final int ACK_AUDIT = 1;

    private final DynamoDbClient dynamo;
    private final String table;

    public AlertStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** A page of a study's alerts, and where the next page starts (the last position examined). */
    public record Page(List<AlertRecord> alerts, Optional<String> nextStudySk) {}

    /**
     * Claims publication of an alert: creates it, or takes over one whose publisher's lease ran out
     * (it crashed between claiming and marking the alert published). A re-claim keeps what the
     * first claim stored (raisedAt, status, an acknowledgement) and only renews the lease.
     *
     * @return the stored alert when this caller now owns its publication; empty when it is
     *         published already or another worker's lease is still running
     */
    public Optional<AlertRecord> claim(AlertRecord alert, Instant now, Duration lease) {
        Map<String, AttributeValue> fields = item(alert);
        fields.remove(PK);
        fields.remove(SK);
        fields.remove(PUBLISH_STATE);
        fields.remove(LEASE_UNTIL);
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        StringBuilder set = new StringBuilder("SET #publishState = :publishing, #leaseUntil = :leaseUntil");
        int i = 0;
        for (Map.Entry<String, AttributeValue> e : fields.entrySet()) {
            String name = "#a" + i;
            String value = ":a" + i;
            names.put(name, e.getKey());
            values.put(value, e.getValue());
            // first claim writes them; a re-claim must not reset raisedAt, status or an acknowledgement
            set.append(", ")
                    .append(name)
                    .append(" = if_not_exists(")
                    .append(name)
                    .append(", ")
                    .append(value)
                    .append(')');
            i++;
        }
        names.put("#publishState", PUBLISH_STATE);
        names.put("#leaseUntil", LEASE_UNTIL);
        values.put(":publishing", AttributeValue.fromS(PublishState.PUBLISHING.name()));
        values.put(":leaseUntil", millis(now.plus(lease)));
        values.put(":now", millis(now));
        try {
            Map<String, AttributeValue> stored = dynamo.updateItem(b -> b.tableName(table)
                            .key(key(alert.alertId()))
                            .updateExpression(set.toString())
                            .conditionExpression("attribute_not_exists(" + PK
                                    + ") OR (#publishState = :publishing AND #leaseUntil < :now)")
                            .expressionAttributeNames(names)
                            .expressionAttributeValues(values)
                            .returnValues(ReturnValue.ALL_NEW))
                    .attributes();
            return Optional.of(fromItem(stored));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    /** Ends publication: the topic accepted the message. */
    public void markPublished(String alertId, String snsMessageId, Instant now) {
        dynamo.updateItem(b -> b.tableName(table)
                .key(key(alertId))
                .updateExpression("SET #publishState = :published, " + PUBLISHED_AT + " = :at, " + SNS_MESSAGE_ID
                        + " = :mid REMOVE #leaseUntil")
                .conditionExpression("attribute_exists(" + PK + ")")
                .expressionAttributeNames(Map.of("#publishState", PUBLISH_STATE, "#leaseUntil", LEASE_UNTIL))
                .expressionAttributeValues(Map.of(
                        ":published",
                        AttributeValue.fromS(PublishState.PUBLISHED.name()),
                        ":at",
                        AttributeValue.fromS(Times.sortable(now)),
                        ":mid",
                        AttributeValue.fromS(snsMessageId))));
    }

    public Optional<AlertRecord> get(String alertId) {
        Map<String, AttributeValue> item = dynamo.getItem(
                        b -> b.tableName(table).key(key(alertId)).consistentRead(true))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    /**
     * Acknowledges an open alert and appends {@code audit} in the same transaction.
     *
     * @return false when the alert was no longer open (acknowledged meanwhile): nothing was written
     */
    public boolean acknowledge(String alertId, String actor, Instant at, Instant raisedAt, TransactWriteItem audit) {
        Update update = Update.builder()
                .tableName(table)
                .key(key(alertId))
                .updateExpression("SET #status = :acknowledged, " + ACKNOWLEDGED_AT + " = :at, " + ACKNOWLEDGED_BY
                        + " = :by, " + TIME_TO_ACKNOWLEDGE + " = :tta")
                .conditionExpression("attribute_exists(" + PK + ") AND #status = :open")
                .expressionAttributeNames(Map.of("#status", STATUS))
                .expressionAttributeValues(Map.of(
                        ":acknowledged", AttributeValue.fromS(AlertStatus.ACKNOWLEDGED.name()),
                        ":open", AttributeValue.fromS(AlertStatus.OPEN.name()),
                        ":at", AttributeValue.fromS(Times.sortable(at)),
                        ":by", AttributeValue.fromS(actor),
                        ":tta",
                                AttributeValue.fromN(Long.toString(Math.max(
                                        0, Duration.between(raisedAt, at).toSeconds())))))
                .build();
        try {
            TransactWriteItem[] items = new TransactWriteItem[2];
            items[ACK_ALERT] = TransactWriteItem.builder().update(update).build();
            items[ACK_AUDIT] = audit;
            dynamo.transactWriteItems(b -> b.transactItems(items));
            return true;
        } catch (TransactionCanceledException e) {
            if (Cancellation.of(e).conditionFailedAt(ACK_ALERT)) {
                return false;
            }
            throw e;
        }
    }

    /**
     * A study's alerts, newest first, optionally of one status, starting after {@code afterStudySk}.
     * A status filter is applied by DynamoDB after reading, so a few reads may be needed to fill a page.
     */
    public Page page(String studyId, Optional<AlertStatus> status, int limit, Optional<String> afterStudySk) {
        int read = status.isPresent() ? Math.max(limit, 50) : limit;
        CursorPage<AlertRecord> page = CursorPage.fill(
                dynamo,
                limit,
                5,
                afterStudySk,
                STUDY_SK,
                cursor -> query(studyId, status, read, cursor),
                AlertStore::fromItem);
        return new Page(page.items(), page.next());
    }

    private QueryRequest query(String studyId, Optional<AlertStatus> status, int limit, String cursor) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":studyPk", AttributeValue.fromS(studyPk(studyId)));
        QueryRequest.Builder builder = QueryRequest.builder()
                .tableName(table)
                .indexName(STUDY_INDEX)
                .keyConditionExpression(STUDY_PK + " = :studyPk")
                .scanIndexForward(false)
                .limit(limit);
        if (status.isPresent()) {
            values.put(":status", AttributeValue.fromS(status.get().name()));
            builder.filterExpression("#status = :status").expressionAttributeNames(Map.of("#status", STATUS));
        }
        if (cursor != null) {
            String alertId = cursor.substring(cursor.indexOf('#') + 1);
            Map<String, AttributeValue> start = new HashMap<>(key(alertId));
            start.put(STUDY_PK, AttributeValue.fromS(studyPk(studyId)));
            start.put(STUDY_SK, AttributeValue.fromS(cursor));
            builder.exclusiveStartKey(start);
        }
        return builder.expressionAttributeValues(values).build();
    }

    static String studyPk(String studyId) {
        return "AS#" + studyId;
    }

    static String studySk(AlertRecord a) {
        return Times.sortable(a.raisedAt()) + "#" + a.alertId();
    }

    private static Map<String, AttributeValue> key(String alertId) {
        return Map.of(PK, AttributeValue.fromS("AL#" + alertId), SK, AttributeValue.fromS(ALERT_SK));
    }

    static Map<String, AttributeValue> item(AlertRecord a) {
        Map<String, AttributeValue> item = new HashMap<>(key(a.alertId()));
        item.put(STUDY_PK, AttributeValue.fromS(studyPk(a.studyId())));
        item.put(STUDY_SK, AttributeValue.fromS(studySk(a)));
        item.put(ALERT_ID, AttributeValue.fromS(a.alertId()));
        if (a.reportId() != null) {
            item.put(REPORT_ID, AttributeValue.fromS(a.reportId()));
        }
        item.put(VERSION, AttributeValue.fromN(Integer.toString(a.version())));
        item.put(STUDY_ID, AttributeValue.fromS(a.studyId()));
        item.put(SITE_ID, AttributeValue.fromS(a.siteId()));
        item.put(SUBJECT_ID, AttributeValue.fromS(a.subjectId()));
        item.put(QUESTIONNAIRE_ID, AttributeValue.fromS(a.questionnaireId()));
        item.put(QUESTIONNAIRE, AttributeValue.fromS(a.questionnaire()));
        item.put(RULE_ID, AttributeValue.fromS(a.ruleId()));
        item.put(SEVERITY, AttributeValue.fromS(a.severity().name()));
        item.put(STATUS, AttributeValue.fromS(a.status().name()));
        item.put(PUBLISH_STATE, AttributeValue.fromS(a.publishState().name()));
        item.put(RAISED_AT, AttributeValue.fromS(Times.sortable(a.raisedAt())));
        if (a.leaseUntil() != null) {
            item.put(LEASE_UNTIL, millis(a.leaseUntil()));
        }
        return item;
    }

    static AlertRecord fromItem(Map<String, AttributeValue> values) {
        Item item = Item.of(values);
        return new AlertRecord(
                item.string(ALERT_ID),
                item.string(REPORT_ID),
                item.integer(VERSION),
                item.string(STUDY_ID),
                item.string(SITE_ID),
                item.string(SUBJECT_ID),
                item.string(QUESTIONNAIRE_ID),
                item.string(QUESTIONNAIRE),
                item.string(RULE_ID),
                Severity.valueOf(item.string(SEVERITY)),
                AlertStatus.valueOf(item.string(STATUS)),
                PublishState.valueOf(item.string(PUBLISH_STATE)),
                instant(item, RAISED_AT),
                item.has(LEASE_UNTIL) ? Instant.ofEpochMilli(item.number(LEASE_UNTIL)) : null,
                instant(item, PUBLISHED_AT),
                instant(item, ACKNOWLEDGED_AT),
                item.string(ACKNOWLEDGED_BY));
    }

    private static AttributeValue millis(Instant at) {
        return AttributeValue.fromN(Long.toString(at.toEpochMilli()));
    }

    private static Instant instant(Item item, String name) {
        String v = item.string(name);
        return v == null ? null : Times.parse(v);
    }
}
