package org.openepro.staff;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openepro.core.report.Report;
import org.openepro.core.report.ReportItems;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** Every stored version of a report, oldest first: one Query on the report's partition. */
final class ReportVersions {
    private final DynamoDbClient dynamo;
    private final String table;

    ReportVersions(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    List<Report> versions(String reportId) {
        List<Report> versions = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> exclusiveStart = start;
            QueryResponse response = dynamo.query(b -> b.tableName(table)
                    .consistentRead(true)
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :v)")
                    .expressionAttributeValues(Map.of(
                            ":pk", AttributeValue.fromS(ReportItems.pk(reportId)), ":v", AttributeValue.fromS("V#")))
                    .exclusiveStartKey(exclusiveStart));
            response.items().forEach(item -> versions.add(ReportItems.fromItem(item)));
            start = response.hasLastEvaluatedKey()
                            && !response.lastEvaluatedKey().isEmpty()
                    ? response.lastEvaluatedKey()
                    : null;
        } while (start != null);
        return versions;
    }
}
