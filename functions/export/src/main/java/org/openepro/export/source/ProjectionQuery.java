package org.openepro.export.source;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import org.openepro.core.projection.ProjectionKeys;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Reads a study's report rows from the projections table, day by day and page by page: one
 * paginated Query per day on {@code SD#study#day} (or, for one site, on the {@code by-site}
 * index's {@code SS#study#site#day}), optionally filtered on questionnaireId. Never a Scan.
 *
 * <p>The next page is requested while the current one is consumed, so DynamoDB latency overlaps
 * with writing; at most two pages (2 MB) are held. {@link #position()} is always the point to
 * resume after the last row returned. Not thread-safe.
 */
public final class ProjectionQuery implements AutoCloseable {
    /** What to read. */
    public record Scope(String studyId, String siteId, LocalDate from, LocalDate to, List<String> questionnaireIds) {
        public Scope {
            questionnaireIds = questionnaireIds == null ? List.of() : List.copyOf(questionnaireIds);
        }
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final Scope scope;
    private final int pageLimit;
    private final ExecutorService prefetch;
    private QueryPosition position;
    private Iterator<Map<String, AttributeValue>> page;
    private Map<String, AttributeValue> pageLastKey;
    private LocalDate pageDay;
    private CompletableFuture<QueryResponse> next;
    private QueryPosition nextFor;

    /**
     * @param pageLimit at most this many items a page (0: DynamoDB's 1 MB pages)
     * @param start     where to begin (a checkpoint's position, or the start of {@code scope.from()})
     */
    public ProjectionQuery(
            DynamoDbClient dynamo,
            String table,
            Scope scope,
            int pageLimit,
            ExecutorService prefetch,
            QueryPosition start) {
        this.dynamo = dynamo;
        this.table = table;
        this.scope = scope;
        this.pageLimit = pageLimit;
        this.prefetch = prefetch;
        this.position = start;
    }

    /** The next row, or null when the range is exhausted. */
    public Map<String, AttributeValue> next() {
        while (true) {
            if (page != null && page.hasNext()) {
                Map<String, AttributeValue> item = page.next();
                position = new QueryPosition(pageDay, keyOf(item));
                if (!page.hasNext()) {
                    afterPage();
                }
                return item;
            }
            if (position.day().isAfter(scope.to())) {
                return null;
            }
            QueryResponse response = fetch();
            pageDay = position.day();
            page = response.items().iterator();
            pageLastKey = response.hasLastEvaluatedKey()
                            && !response.lastEvaluatedKey().isEmpty()
                    ? response.lastEvaluatedKey()
                    : null;
            prefetchNext();
            if (!page.hasNext()) {
                afterPage();
            }
        }
    }

    /** The position once the current page is consumed: its LastEvaluatedKey, or the next day. */
    private void afterPage() {
        page = null;
        position = pageLastKey != null
                ? new QueryPosition(pageDay, strings(pageLastKey))
                : QueryPosition.startOf(pageDay.plusDays(1));
        pageLastKey = null;
    }

    private void prefetchNext() {
        QueryPosition after = pageLastKey != null
                ? new QueryPosition(pageDay, strings(pageLastKey))
                : QueryPosition.startOf(pageDay.plusDays(1));
        if (after.day().isAfter(scope.to())) {
            next = null;
            return;
        }
        QueryRequest request = request(after);
        next = CompletableFuture.supplyAsync(() -> dynamo.query(request), prefetch);
        nextFor = after;
    }

    private QueryResponse fetch() {
        if (next != null && position.equals(nextFor)) {
            CompletableFuture<QueryResponse> f = next;
            next = null;
            try {
                return f.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw e;
            }
        }
        return dynamo.query(request(position));
    }

    private QueryRequest request(QueryPosition at) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        QueryRequest.Builder b = QueryRequest.builder().tableName(table);
        if (scope.siteId() != null) {
            b.indexName(ProjectionKeys.SITE_INDEX).keyConditionExpression("#k = :k");
            names.put("#k", ProjectionKeys.SITE_PK);
            values.put(":k", AttributeValue.fromS(ProjectionKeys.siteDayPk(scope.studyId(), scope.siteId(), at.day())));
        } else {
            b.keyConditionExpression("#k = :k");
            names.put("#k", "pk");
            values.put(":k", AttributeValue.fromS(ProjectionKeys.studyDayPk(scope.studyId(), at.day())));
        }
        if (!scope.questionnaireIds().isEmpty()) {
            StringBuilder filter = new StringBuilder("#q IN (");
            for (int i = 0; i < scope.questionnaireIds().size(); i++) {
                filter.append(i == 0 ? ":q" : ", :q").append(i);
                values.put(
                        ":q" + i, AttributeValue.fromS(scope.questionnaireIds().get(i)));
            }
            names.put("#q", "questionnaireId");
            b.filterExpression(filter.append(')').toString());
        }
        if (at.startKey() != null) {
            Map<String, AttributeValue> start = new HashMap<>();
            at.startKey().forEach((k, v) -> start.put(k, AttributeValue.fromS(v)));
            b.exclusiveStartKey(start);
        }
        if (pageLimit > 0) {
            b.limit(pageLimit);
        }
        return b.expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build();
    }

    /** The key DynamoDB needs to continue after this item: the table's key, plus the index's on the index. */
    private Map<String, String> keyOf(Map<String, AttributeValue> item) {
        Map<String, String> key = new HashMap<>(4);
        key.put("pk", item.get("pk").s());
        key.put("sk", item.get("sk").s());
        if (scope.siteId() != null) {
            key.put(ProjectionKeys.SITE_PK, item.get(ProjectionKeys.SITE_PK).s());
        }
        return key;
    }

    private static Map<String, String> strings(Map<String, AttributeValue> key) {
        Map<String, String> out = new HashMap<>(key.size());
        key.forEach((k, v) -> out.put(k, v.s()));
        return out;
    }

    /** Where to resume after the last row {@link #next()} returned. */
    public QueryPosition position() {
        return position;
    }

    @Override
    public void close() {
        if (next != null) {
            next.cancel(true);
            next = null;
        }
    }
}
