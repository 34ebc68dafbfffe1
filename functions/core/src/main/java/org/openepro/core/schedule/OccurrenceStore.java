package org.openepro.core.schedule;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openepro.core.dynamo.Queries;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Reads a subject's occurrences and enrollment from the schedule table, and builds the writes that
 * complete an occurrence, for the functions that answer patients (tasks, submissions). Every read
 * is a GetItem or a Query on the subject's own partition.
 */
public final class OccurrenceStore {
    private final DynamoDbClient dynamo;
    private final String table;
    private final ComplianceCounters counters;

    public OccurrenceStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
        this.counters = new ComplianceCounters(table);
    }

    public String table() {
        return table;
    }

    public Optional<Enrollment> enrollment(String studyId, String subjectId) {
        var item = dynamo.getItem(b -> b.tableName(table)
                        .key(EnrollmentItems.key(studyId, subjectId))
                        .consistentRead(true))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(EnrollmentItems.fromItem(item));
    }

    public Optional<Occurrence> get(String studyId, String subjectId, TaskId id) {
        var item = dynamo.getItem(b -> b.tableName(table)
                        .key(OccurrenceItems.key(new ScheduledSubject(studyId, null, subjectId), id))
                        .consistentRead(true))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(OccurrenceItems.fromItem(item));
    }

    /** The subject's occurrences with a local date on or after {@code from}, in date order. */
    public List<Occurrence> forSubject(String studyId, String subjectId, LocalDate from) {
        QueryRequest query = QueryRequest.builder()
                .tableName(table)
                .consistentRead(true)
                .keyConditionExpression("pk = :pk AND sk >= :from")
                .expressionAttributeValues(Map.of(
                        ":pk",
                        AttributeValue.fromS(ScheduleKeys.occurrencePk(studyId, subjectId)),
                        ":from",
                        AttributeValue.fromS(from.toString())))
                .build();
        return Queries.everyItem(dynamo, query).stream()
                .map(OccurrenceItems::fromItem)
                .toList();
    }

    /**
     * The transaction items that complete {@code o} with a report: the occurrence, on the condition
     * that its status is still the one read (so a concurrent completion, close or cancellation makes
     * the whole transaction fail rather than count twice), and its compliance counters. A pending
     * occurrence leaves the due index (its reminders are cancelled); a missed one keeps an alert it
     * still owes.
     */
    public List<TransactWriteItem> completion(Occurrence o, String reportId, WindowVerdict verdict) {
        boolean wasMissed = o.status() == OccurrenceStatus.MISSED;
        if (!wasMissed && o.status() != OccurrenceStatus.PENDING) {
            throw new IllegalArgumentException("only a pending or missed occurrence can be completed");
        }
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":completed", AttributeValue.fromS(OccurrenceStatus.COMPLETED.name()));
        values.put(":was", AttributeValue.fromS(o.status().name()));
        values.put(":report", AttributeValue.fromS(reportId));
        values.put(":verdict", AttributeValue.fromS(verdict.name()));
        String update = "SET #status = :completed, reportId = :report, verdict = :verdict"
                + (wasMissed ? "" : " REMOVE dueBucket, dueAt");
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(OccurrenceItems.statusUpdate(table, o, update, "#status = :was", values));
        items.addAll(
                counters.updates(o.subject(), o.taskId().localDate(), ComplianceDelta.completed(verdict, wasMissed)));
        return items;
    }
}
