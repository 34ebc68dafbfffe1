package org.openepro.staff;

import java.util.List;
import java.util.Map;
import org.openepro.core.dynamo.Item;
import org.openepro.core.dynamo.Queries;
import org.openepro.core.report.Report;
import org.openepro.core.report.ReportItems;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/** Every stored version of a report, oldest first: one Query on the report's partition. */
final class ReportVersions {
    private final DynamoDbClient dynamo;
    private final String table;

    ReportVersions(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    List<Report> versions(String reportId) {
        QueryRequest query = QueryRequest.builder()
                .tableName(table)
                .consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :v)")
                .expressionAttributeValues(Map.of(":pk", Item.s(ReportItems.pk(reportId)), ":v", Item.s("V#")))
                .build();
        return Queries.everyItem(dynamo, query).stream()
                .map(ReportItems::fromItem)
                .toList();
    }
}
