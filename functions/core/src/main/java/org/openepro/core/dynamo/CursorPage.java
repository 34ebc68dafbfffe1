package org.openepro.core.dynamo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * One page of a Query continued by sort key, as the staff and alert APIs page: a filter (a status, an entity, a
 * questionnaire) is applied by DynamoDB after reading, so filling a page may take several reads, at most
 * {@code maxRounds}; the cursor is the sort key of the last item handed out, or of the last one read.
 *
 * @param next the sort key to continue after, when there may be more
 */
public record CursorPage<T>(List<T> items, Optional<String> next) {
    public CursorPage {
        items = List.copyOf(items);
    }

    /**
     * @param after   the cursor a previous page returned, if any
     * @param sortKey the attribute the cursor is read from (the query's sort key)
     * @param query   the request that continues after a cursor (null for the first read)
     */
    public static <T> CursorPage<T> fill(
            DynamoDbClient dynamo,
            int limit,
            int maxRounds,
            Optional<String> after,
            String sortKey,
            Function<String, QueryRequest> query,
            Function<Map<String, AttributeValue>, T> map) {
        List<T> items = new ArrayList<>(limit);
        String cursor = after.orElse(null);
        for (int round = 0; round < maxRounds; round++) {
            QueryResponse response = dynamo.query(query.apply(cursor));
            for (Map<String, AttributeValue> item : response.items()) {
                if (items.size() == limit) {
                    return new CursorPage<>(items, Optional.of(cursor));
                }
                items.add(map.apply(item));
                cursor = item.get(sortKey).s();
            }
            if (!response.hasLastEvaluatedKey() || response.lastEvaluatedKey().isEmpty()) {
                return new CursorPage<>(items, Optional.empty());
            }
            cursor = response.lastEvaluatedKey().get(sortKey).s();
            if (items.size() == limit) {
                break;
            }
        }
        return new CursorPage<>(items, Optional.ofNullable(cursor));
    }
}
