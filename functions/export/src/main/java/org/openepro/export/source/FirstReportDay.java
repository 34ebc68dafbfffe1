package org.openepro.export.source;

import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import org.openepro.core.projection.ProjectionKeys;
import org.openepro.core.report.Times;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The UTC day a subject authored its first report in a study: one Query on the subject's timeline
 * ({@code pk = TL#study#subject}, {@code sk = authoredAt#reportId}) in ascending order, Limit 1,
 * reading the sort key only. Never a Scan. The timeline holds every report of the subject whatever
 * its site or questionnaire, so the answer does not depend on what an export asked for.
 */
public final class FirstReportDay {
    private final DynamoDbClient dynamo;
    private final String table;

    public FirstReportDay(DynamoDbClient dynamo, String projectionsTable) {
        this.dynamo = dynamo;
        this.table = projectionsTable;
    }

    /** Empty when the subject has no timeline entry (yet): the caller decides what to anchor on then. */
    public Optional<LocalDate> of(String studyId, String subjectId) {
        QueryResponse response = dynamo.query(b -> b.tableName(table)
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(
                        Map.of(":pk", AttributeValue.fromS(ProjectionKeys.subjectTimelinePk(studyId, subjectId))))
                .projectionExpression("sk")
                .scanIndexForward(true)
                .limit(1));
        if (!response.hasItems() || response.items().isEmpty()) {
            return Optional.empty();
        }
        String sk = response.items().get(0).get("sk").s();
        int hash = sk.indexOf('#');
        return Optional.of(Times.utcDay(Times.parse(hash < 0 ? sk : sk.substring(0, hash))));
    }
}
