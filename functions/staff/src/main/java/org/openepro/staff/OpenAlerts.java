package org.openepro.staff;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * A study's open alerts counted per subject, for the roster: one Query of the alerts table's
 * {@code by-study} index (keys as the alert module's {@code AlertStore} writes them), filtered on
 * status. Open alerts are few (nurses acknowledge them); the read is bounded all the same.
 */
final class OpenAlerts {
    private static final int MAX_PAGES = 10;
    private static final String STUDY_INDEX = "by-study";

    private final DynamoDbClient dynamo;
    private final String table;

    OpenAlerts(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** Open alerts of one subject: how many, and the most severe. */
    record Count(int open, String highestSeverity) {
        Count plus(String severity) {
            return new Count(open + 1, rank(severity) < rank(highestSeverity) ? severity : highestSeverity);
        }

        private static int rank(String severity) {
            return switch (severity == null ? "" : severity) {
                case "URGENT" -> 0;
                case "HIGH" -> 1;
                case "MEDIUM" -> 2;
                case "LOW" -> 3;
                default -> 4;
            };
        }
    }

    Map<String, Count> bySubject(String studyId) {
        Map<String, Count> counts = new HashMap<>();
        Map<String, AttributeValue> start = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            Map<String, AttributeValue> exclusiveStart = start;
            QueryResponse response = dynamo.query(b -> b.tableName(table)
                    .indexName(STUDY_INDEX)
                    .keyConditionExpression("studyPk = :pk")
                    .filterExpression("#status = :open")
                    .projectionExpression("subjectId, severity")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(
                            Map.of(":pk", AttributeValue.fromS("AS#" + studyId), ":open", AttributeValue.fromS("OPEN")))
                    .exclusiveStartKey(exclusiveStart));
            for (Map<String, AttributeValue> item : response.items()) {
                String severity = item.get("severity").s();
                counts.merge(item.get("subjectId").s(), new Count(1, severity), (a, b) -> a.plus(severity));
            }
            if (!response.hasLastEvaluatedKey() || response.lastEvaluatedKey().isEmpty()) {
                break;
            }
            start = response.lastEvaluatedKey();
        }
        return counts;
    }
}
