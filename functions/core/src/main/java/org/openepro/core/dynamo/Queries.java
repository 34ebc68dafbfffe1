package org.openepro.core.dynamo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Reads a Query through all its pages, for results small enough to hold (a report's versions, a study's catalogue,
 * a subject's two weeks of occurrences); a large or paged read (an export, a staff page) stays streamed by its caller.
 */
public final class Queries {
    private Queries() {}

    /** Every item the query matches, in the query's order. */
    public static List<Map<String, AttributeValue>> everyItem(DynamoDbClient dynamo, QueryRequest query) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = dynamo.query(
                    start == null
                            ? query
                            : query.toBuilder().exclusiveStartKey(start).build());
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }
}
