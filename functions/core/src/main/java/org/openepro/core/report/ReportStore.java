package org.openepro.core.report;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openepro.core.dynamo.Item;
import org.openepro.core.dynamo.Queries;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** Reads reports from the reports table (the immutable source of truth). */
public final class ReportStore {
    private final DynamoDbClient dynamo;
    private final String table;

    public ReportStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public Optional<Report> get(String reportId, int version) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                        .consistentRead(true)
                        .key(Map.of(
                                ReportItems.PK,
                                AttributeValue.fromS(ReportItems.pk(reportId)),
                                ReportItems.SK,
                                AttributeValue.fromS(ReportItems.sk(version)))))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(ReportItems.fromItem(item));
    }

    /** Every stored version of a report, oldest first (staff's report detail): one Query on its partition. */
    public List<Report> versions(String reportId) {
        return versions(QueryRequest.builder()
                .tableName(table)
                .consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :v)")
                .expressionAttributeValues(Map.of(":pk", Item.s(ReportItems.pk(reportId)), ":v", Item.s("V#")))
                .build());
    }

    /**
     * The versions of an amended report before {@code version}, oldest first: the projections hold only a report's
     * latest version, so a format that shows the history (ODM's audit trail) asks here, and only for reports whose
     * version is above 1 (an export without amendments makes no call at all).
     */
    public List<Report> versionsBefore(String reportId, int version) {
        return versions(QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("pk = :pk AND sk < :sk")
                .expressionAttributeValues(
                        Map.of(":pk", Item.s(ReportItems.pk(reportId)), ":sk", Item.s(ReportItems.sk(version))))
                .scanIndexForward(true)
                .build());
    }

    private List<Report> versions(QueryRequest query) {
        return Queries.everyItem(dynamo, query).stream()
                .map(ReportItems::fromItem)
                .toList();
    }

    /** The newest version of a report. */
    public Optional<Report> latest(String reportId) {
        QueryResponse response = dynamo.query(b -> b.tableName(table)
                .consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :v)")
                .expressionAttributeValues(
                        Map.of(":pk", AttributeValue.fromS(ReportItems.pk(reportId)), ":v", AttributeValue.fromS("V#")))
                .scanIndexForward(false)
                .limit(1));
        return response.items().isEmpty()
                ? Optional.empty()
                : Optional.of(ReportItems.fromItem(response.items().get(0)));
    }

    /**
     * The subject's report of the same questionnaire authored just before this one (any
     * version of another report), for rules that compare with the previous answers.
     */
    public Optional<Report> previousForSubject(Report report) {
        Map<String, AttributeValue> start = null;
        for (int page = 0; page < 5; page++) {
            Map<String, AttributeValue> exclusiveStart = start;
            QueryResponse response = dynamo.query(b -> b.tableName(table)
                    .indexName(ReportItems.QUESTIONNAIRE_HISTORY_INDEX)
                    .keyConditionExpression("timelinePk = :pk AND timelineSk < :sk")
                    .expressionAttributeValues(Map.of(
                            ":pk",
                                    AttributeValue.fromS(ReportItems.questionnaireHistoryPk(
                                            report.studyId(), report.subjectId(), report.questionnaireUrl())),
                            ":sk", AttributeValue.fromS(ReportItems.questionnaireHistorySk(report))))
                    .scanIndexForward(false)
                    .limit(10)
                    .exclusiveStartKey(exclusiveStart));
            for (Map<String, AttributeValue> item : response.items()) {
                if (!report.reportId().equals(item.get(ReportItems.REPORT_ID).s())) {
                    Report previous = ReportItems.fromItem(item);
                    // the newest version of that earlier report is what staff see
                    return latest(previous.reportId()).or(() -> Optional.of(previous));
                }
            }
            if (!response.hasLastEvaluatedKey() || response.lastEvaluatedKey().isEmpty()) {
                return Optional.empty();
            }
            start = response.lastEvaluatedKey();
        }
        return Optional.empty();
    }
}
