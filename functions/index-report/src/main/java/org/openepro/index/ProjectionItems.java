package org.openepro.index;

import static org.openepro.core.dynamo.Item.n;
import static org.openepro.core.dynamo.Item.s;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openepro.core.dynamo.Writes;
import org.openepro.core.projection.ProjectionKeys;
import org.openepro.core.report.Report;
import org.openepro.core.report.ReportItems;
import org.openepro.core.report.Times;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Builds the projection writes of one report version in the key scheme of {@link ProjectionKeys}
 * (no I/O). Rows carry ids, scores and bands; the report row carries {@link ReportItems#content}
 * so readers decode it with {@link ReportItems#fromItem}.
 */
public final class ProjectionItems {
    static final String PK = "pk";
    static final String SK = "sk";

    private static final AttributeValue ONE = AttributeValue.fromN("1");
    private static final AttributeValue ZERO = AttributeValue.fromN("0");

    private final String table;

    public ProjectionItems(String table) {
        this.table = table;
    }

    /**
     * @param earlierVersions earlier versions of the same report, whose timeline rows this version
     *                        replaces when its authored time moved (empty for version 1)
     */
    public IndexTransaction transaction(Report r, List<Report> earlierVersions, Instant now) {
        Map<String, AttributeValue> content = ReportItems.content(r);
        List<TransactWriteItem> rows = new ArrayList<>(2 + earlierVersions.size());
        rows.add(TransactWriteItem.builder().put(reportRow(r, content)).build());
        rows.add(TransactWriteItem.builder().put(timelineRow(r, content)).build());
        for (String staleSk : staleTimelineSks(r, earlierVersions)) {
            rows.add(TransactWriteItem.builder()
                    .delete(Delete.builder()
                            .tableName(table)
                            .key(key(ProjectionKeys.subjectTimelinePk(r.studyId(), r.subjectId()), staleSk))
                            .build())
                    .build());
        }
        return new IndexTransaction(
                TransactWriteItem.builder().put(marker(r, now)).build(),
                TransactWriteItem.builder().update(counters(r)).build(),
                TransactWriteItem.builder().update(subject(r)).build(),
                rows);
    }

    /** The applied marker of this version: a put that succeeds only the first time. */
    Put marker(Report r, Instant now) {
        Map<String, AttributeValue> item =
                key(ProjectionKeys.markerPk(r.reportId()), ProjectionKeys.markerSk(r.version()));
        item.put("reportId", s(r.reportId()));
        item.put("version", n(r.version()));
        item.put("studyId", s(r.studyId()));
        item.put("appliedAt", s(Times.sortable(now)));
        return Put.builder()
                .tableName(table)
                .item(item)
                .conditionExpression(Writes.NEW_ITEM)
                .build();
    }

    /**
     * The study/site/day counters of the day this version was received: a first version counts as a
     * submission, on time or late; a later version counts as an amendment.
     */
    Update counters(Report r) {
        LocalDate day = Times.utcDay(r.receivedAt());
        Map<String, String> names = new HashMap<>(8);
        Map<String, AttributeValue> values = new HashMap<>(8);
        names.put("#study", "studyId");
        names.put("#site", "siteId");
        names.put("#day", "day");
        values.put(":study", s(r.studyId()));
        values.put(":site", s(r.siteId()));
        values.put(":day", s(day.toString()));
        String add = countReport(r, "submissions", names, values);
        return Update.builder()
                .tableName(table)
                .key(key(ProjectionKeys.counterPk(r.studyId()), ProjectionKeys.counterSk(day, r.siteId())))
                .updateExpression("SET #study = :study, #site = :site, #day = :day ADD " + add)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build();
    }

    /**
     * The subject's entry in the study roster (the staff console's subject list): site, first report
     * received, and the counts of reports (on time, late) and amendments.
     */
    Update subject(Report r) {
        Map<String, String> names = new HashMap<>(8);
        Map<String, AttributeValue> values = new HashMap<>(8);
        names.put("#study", "studyId");
        names.put("#subject", "subjectId");
        names.put("#site", "siteId");
        names.put("#sitePk", ProjectionKeys.SITE_PK);
        names.put("#first", "firstReceivedAt");
        values.put(":study", s(r.studyId()));
        values.put(":subject", s(r.subjectId()));
        values.put(":site", s(r.siteId()));
        values.put(":sitePk", s(ProjectionKeys.subjectSitePk(r.studyId(), r.siteId())));
        values.put(":first", s(Times.sortable(r.firstReceivedAt())));
        String add = countReport(r, "reports", names, values);
        return Update.builder()
                .tableName(table)
                .key(key(ProjectionKeys.subjectPk(r.studyId()), r.subjectId()))
                .updateExpression("SET #study = :study, #subject = :subject, #site = :site, #sitePk = :sitePk, "
                        + "#first = if_not_exists(#first, :first) ADD " + add)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build();
    }

    /**
     * The ADD clause that counts one report on a counter item: a first version in {@code firsts}
     * and in onTime or late, a later version in amendments. Adds its names and values to the maps.
     */
    private static String countReport(
            Report r, String firsts, Map<String, String> names, Map<String, AttributeValue> values) {
        values.put(":one", ONE);
        if (r.amendment()) {
            names.put("#amendments", "amendments");
            return "#amendments :one";
        }
        names.put("#" + firsts, firsts);
        names.put("#onTime", "onTime");
        names.put("#late", "late");
        values.put(":onTime", r.onTime() ? ONE : ZERO);
        values.put(":late", r.onTime() ? ZERO : ONE);
        return "#" + firsts + " :one, #onTime :onTime, #late :late";
    }

    /** The report row, by study and day (and by site through the GSI); replaced only by a newer version. */
    Put reportRow(Report r, Map<String, AttributeValue> content) {
        LocalDate day = ProjectionKeys.rowDay(r);
        Map<String, AttributeValue> item = new HashMap<>(content);
        item.put(PK, s(ProjectionKeys.studyDayPk(r.studyId(), day)));
        item.put(SK, s(ProjectionKeys.rowSk(r)));
        item.put(ProjectionKeys.SITE_PK, s(ProjectionKeys.siteDayPk(r.studyId(), r.siteId(), day)));
        return Put.builder()
                .tableName(table)
                .item(item)
                .conditionExpression(Writes.NEW_ITEM + " OR #version < :version")
                .expressionAttributeNames(Map.of("#version", ReportItems.VERSION))
                .expressionAttributeValues(Map.of(":version", n(r.version())))
                .build();
    }

    /** The subject's timeline entry: which questionnaire, when, and its scores with their bands; no answers. */
    Put timelineRow(Report r, Map<String, AttributeValue> content) {
        Map<String, AttributeValue> item =
                key(ProjectionKeys.subjectTimelinePk(r.studyId(), r.subjectId()), ProjectionKeys.subjectTimelineSk(r));
        for (String attribute : List.of(
                ReportItems.REPORT_ID,
                ReportItems.VERSION,
                ReportItems.STUDY_ID,
                ReportItems.SITE_ID,
                ReportItems.SUBJECT_ID,
                ReportItems.QUESTIONNAIRE_ID,
                ReportItems.QUESTIONNAIRE_URL,
                ReportItems.QUESTIONNAIRE_VERSION,
                ReportItems.AUTHORED,
                ReportItems.AUTHORED_AT,
                ReportItems.RECEIVED_AT,
                ReportItems.SCORES)) {
            item.put(attribute, content.get(attribute));
        }
        return Put.builder().tableName(table).item(item).build();
    }

    private static Set<String> staleTimelineSks(Report r, List<Report> earlierVersions) {
        Set<String> stale = new LinkedHashSet<>();
        String current = ProjectionKeys.subjectTimelineSk(r);
        for (Report earlier : earlierVersions) {
            String sk = ProjectionKeys.subjectTimelineSk(earlier);
            if (!sk.equals(current)) {
                stale.add(sk);
            }
        }
        return stale;
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        Map<String, AttributeValue> key = new HashMap<>(24);
        key.put(PK, s(pk));
        key.put(SK, s(sk));
        return key;
    }
}
