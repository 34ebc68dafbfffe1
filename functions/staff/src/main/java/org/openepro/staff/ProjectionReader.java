package org.openepro.staff;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openepro.core.dynamo.CursorPage;
import org.openepro.core.projection.ProjectionKeys;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Reads the projections index-report writes ({@link ProjectionKeys}): a subject's timeline (scores
 * only, no answers) and the study's subject roster, by study or by site. Queries only.
 */
final class ProjectionReader {
    private static final int MAX_ROUNDS = 5;

    private final DynamoDbClient dynamo;
    private final String table;

    ProjectionReader(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** One report on a subject's timeline: which questionnaire, both clocks and the scores. */
    record TimelineEntry(
            String reportId,
            int version,
            String siteId,
            String questionnaireId,
            String questionnaireUrl,
            String questionnaireVersion,
            String authored,
            String authoredAt,
            String receivedAt,
            List<ScorePoint> scores) {}

    record ScorePoint(String id, BigDecimal value, String profile, String band, String bandDisplay) {}

    record TimelinePage(List<TimelineEntry> entries, Optional<String> nextSk) {}

    /** A subject of the roster, with the counts index-report keeps. */
    record SubjectEntry(
            String subjectId,
            String siteId,
            String firstReceivedAt,
            long reports,
            long onTime,
            long late,
            long amendments) {}

    record SubjectPage(List<SubjectEntry> subjects, Optional<String> nextSk) {}

    /** The subject's reports newest first, optionally of one questionnaire (a filter: a few reads may fill a page). */
    TimelinePage timeline(
            String studyId, String subjectId, Optional<String> questionnaireId, int limit, Optional<String> beforeSk) {
        String pk = ProjectionKeys.subjectTimelinePk(studyId, subjectId);
        CursorPage<TimelineEntry> page = CursorPage.fill(
                dynamo,
                limit,
                MAX_ROUNDS,
                beforeSk,
                "sk",
                cursor -> {
                    Map<String, AttributeValue> values = new HashMap<>();
                    values.put(":pk", AttributeValue.fromS(pk));
                    QueryRequest.Builder q = QueryRequest.builder()
                            .tableName(table)
                            .keyConditionExpression("pk = :pk")
                            .scanIndexForward(false)
                            .limit(questionnaireId.isPresent() ? Math.max(limit, 50) : limit);
                    if (questionnaireId.isPresent()) {
                        values.put(":q", AttributeValue.fromS(questionnaireId.get()));
                        q.filterExpression("questionnaireId = :q");
                    }
                    if (cursor != null) {
                        q.exclusiveStartKey(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(cursor)));
                    }
                    return q.expressionAttributeValues(values).build();
                },
                ProjectionReader::timelineEntry);
        return new TimelinePage(page.items(), page.next());
    }

    /** The study's subjects in id order, or one site's through the {@code by-site} index. */
    SubjectPage subjects(String studyId, Optional<String> siteId, int limit, Optional<String> afterSubject) {
        String pk = ProjectionKeys.subjectPk(studyId);
        QueryRequest.Builder q = QueryRequest.builder().tableName(table).limit(limit);
        Map<String, AttributeValue> start = new HashMap<>();
        if (siteId.isPresent()) {
            String sitePk = ProjectionKeys.subjectSitePk(studyId, siteId.get());
            q.indexName(ProjectionKeys.SITE_INDEX)
                    .keyConditionExpression("#sitePk = :pk")
                    .expressionAttributeNames(Map.of("#sitePk", ProjectionKeys.SITE_PK))
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(sitePk)));
            start.put(ProjectionKeys.SITE_PK, AttributeValue.fromS(sitePk));
        } else {
            q.keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)));
        }
        if (afterSubject.isPresent()) {
            start.put("pk", AttributeValue.fromS(pk));
            start.put("sk", AttributeValue.fromS(afterSubject.get()));
            q.exclusiveStartKey(start);
        }
        QueryResponse response = dynamo.query(q.build());
        List<SubjectEntry> subjects = new ArrayList<>(response.items().size());
        for (Map<String, AttributeValue> item : response.items()) {
            subjects.add(new SubjectEntry(
                    s(item, "subjectId"),
                    s(item, "siteId"),
                    s(item, "firstReceivedAt"),
                    n(item, "reports"),
                    n(item, "onTime"),
                    n(item, "late"),
                    n(item, "amendments")));
        }
        boolean more =
                response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty();
        return new SubjectPage(
                subjects,
                more ? Optional.of(response.lastEvaluatedKey().get("sk").s()) : Optional.empty());
    }

    private static TimelineEntry timelineEntry(Map<String, AttributeValue> item) {
        List<ScorePoint> scores = new ArrayList<>();
        AttributeValue list = item.get("scores");
        if (list != null && list.hasL()) {
            for (AttributeValue v : list.l()) {
                Map<String, AttributeValue> m = v.m();
                scores.add(new ScorePoint(
                        s(m, "id"),
                        m.containsKey("v") ? new BigDecimal(m.get("v").n()) : null,
                        s(m, "p"),
                        s(m, "band"),
                        s(m, "bandDisplay")));
            }
        }
        return new TimelineEntry(
                s(item, "reportId"),
                (int) n(item, "version"),
                s(item, "siteId"),
                s(item, "questionnaireId"),
                s(item, "questionnaireUrl"),
                s(item, "questionnaireVersion"),
                s(item, "authored"),
                s(item, "authoredAt"),
                s(item, "receivedAt"),
                scores);
    }

    private static String s(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static long n(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }
}
