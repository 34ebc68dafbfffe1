package org.openepro.export.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openepro.core.report.Report;
import org.openepro.core.report.ReportItems;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The earlier versions of an amended report, from the reports table, where every version stays
 * ({@code pk = R#reportId}, {@code sk = V#version}): one Query, in version order. The projections hold
 * only a report's latest version; a format that shows the history (ODM's audit trail) asks here, and
 * only for reports whose version is above 1, so an export without amendments makes no call at all.
 */
public final class ReportVersions {
    private final DynamoDbClient dynamo;
    private final String table;

    public ReportVersions(DynamoDbClient dynamo, String reportsTable) {
        this.dynamo = dynamo;
        this.table = reportsTable;
    }

    /** The versions of the report before {@code version}, oldest first. */
    public List<Report> before(String reportId, int version) {
        List<Report> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(b -> b.tableName(table)
                    .keyConditionExpression("pk = :pk AND sk < :sk")
                    .expressionAttributeValues(Map.of(
                            ":pk",
                            AttributeValue.fromS(ReportItems.pk(reportId)),
                            ":sk",
                            AttributeValue.fromS(ReportItems.sk(version))))
                    .scanIndexForward(true)
                    .exclusiveStartKey(from));
            for (Map<String, AttributeValue> item : page.items()) {
                out.add(ReportItems.fromItem(item));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }
}
