package org.openepro.export.source;

import java.util.List;
import java.util.Map;
import org.openepro.core.dynamo.Item;
import org.openepro.core.dynamo.Queries;
import org.openepro.core.report.Report;
import org.openepro.core.report.ReportItems;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

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
        QueryRequest query = QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("pk = :pk AND sk < :sk")
                .expressionAttributeValues(
                        Map.of(":pk", Item.s(ReportItems.pk(reportId)), ":sk", Item.s(ReportItems.sk(version))))
                .scanIndexForward(true)
                .build();
        return Queries.everyItem(dynamo, query).stream()
                .map(ReportItems::fromItem)
                .toList();
    }
}
