package org.openepro.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openepro.core.projection.ProjectionKeys;
import org.openepro.core.report.Report;
import org.openepro.core.report.ReportItems;
import org.openepro.emulator.SampleReports;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

class ProjectionItemsTest {
    private static final String TABLE = "projections";
    private static final Instant NOW = Instant.parse("2026-11-27T09:31:00Z");
    private static final Instant RECEIVED = Instant.parse("2026-11-27T23:59:30Z");

    private final ProjectionItems items = new ProjectionItems(TABLE);

    @Test
    void aFirstVersionWritesMarkerCountersAndRowsInTheProjectionKeyScheme() {
        // GIVEN version 1 of a PHQ-9, received just before midnight UTC
        Report report = SampleReports.of("phq-9")
                .study("ST")
                .site("S1")
                .receivedAt(RECEIVED)
                .answer("44250-9", 3)
                .build();

        // WHEN its transaction is built
        IndexTransaction tx = items.transaction(report, List.of(), NOW);

        // THEN the marker is keyed on the report version and only ever created
        var marker = tx.marker().put();
        assertThat(marker.tableName()).isEqualTo(TABLE);
        assertThat(s(marker.item(), "pk")).isEqualTo(ProjectionKeys.markerPk(report.reportId()));
        assertThat(s(marker.item(), "sk")).isEqualTo(ProjectionKeys.markerSk(1));
        assertThat(marker.conditionExpression()).isEqualTo("attribute_not_exists(pk)");
        // AND the report row sits under the study's received day, with the site key for the GSI
        var row = tx.rows().get(0).put();
        LocalDate day = LocalDate.parse("2026-11-27");
        assertThat(s(row.item(), "pk")).isEqualTo(ProjectionKeys.studyDayPk("ST", day));
        assertThat(s(row.item(), "sk")).isEqualTo(ProjectionKeys.rowSk(report));
        assertThat(s(row.item(), ProjectionKeys.SITE_PK)).isEqualTo(ProjectionKeys.siteDayPk("ST", "S1", day));
        assertThat(row.conditionExpression()).isEqualTo("attribute_not_exists(pk) OR #version < :version");
        assertThat(row.expressionAttributeValues().get(":version").n()).isEqualTo("1");
        // AND readers decode the row to the very report
        assertThat(ReportItems.fromItem(row.item())).isEqualTo(report);
        // AND the timeline row has the scores with their band and no answers
        var timeline = tx.rows().get(1).put();
        assertThat(s(timeline.item(), "pk")).isEqualTo(ProjectionKeys.subjectTimelinePk("ST", report.subjectId()));
        assertThat(s(timeline.item(), "sk")).isEqualTo(ProjectionKeys.subjectTimelineSk(report));
        assertThat(timeline.item())
                .containsKeys("questionnaireId", "version", "authoredAt", "receivedAt", "scores")
                .doesNotContainKey("answers");
        Map<String, AttributeValue> total =
                timeline.item().get("scores").l().get(0).m();
        assertThat(total.get("v").n()).isEqualTo("3");
        assertThat(total.get("band").s()).isEqualTo("minimal");
        // AND the marker comes first and the report row fourth, where the writer reads their reasons
        List<TransactWriteItem> all = tx.items(true);
        assertThat(all.get(IndexTransaction.MARKER)).isSameAs(tx.marker());
        assertThat(all.get(IndexTransaction.REPORT_ROW)).isSameAs(tx.rows().get(0));
        assertThat(tx.items(false)).containsExactly(tx.marker(), tx.counter(), tx.subject());
        // AND the subject's roster entry sits under the study, with the site key for the GSI
        var subject = tx.subject().update();
        assertThat(s(subject.key(), "pk")).isEqualTo(ProjectionKeys.subjectPk("ST"));
        assertThat(s(subject.key(), "sk")).isEqualTo(report.subjectId());
        assertThat(subject.expressionAttributeValues().get(":sitePk").s())
                .isEqualTo(ProjectionKeys.subjectSitePk("ST", "S1"));
        assertThat(subject.updateExpression())
                .contains("if_not_exists(#first, :first)")
                .endsWith("ADD #reports :one, #onTime :onTime, #late :late");
        // AND the timeline row keeps the device time with its offset, for the console's hover
        assertThat(s(timeline.item(), "authored")).isEqualTo(report.authored());
    }

    @Test
    void anOnTimeFirstVersionCountsASubmissionOnTime() {
        Report report = SampleReports.of("gad-7")
                .study("ST")
                .site("S1")
                .receivedAt(RECEIVED)
                .onTime(true)
                .build();

        var counter = items.transaction(report, List.of(), NOW).counter().update();

        assertThat(s(counter.key(), "pk")).isEqualTo(ProjectionKeys.counterPk("ST"));
        assertThat(s(counter.key(), "sk")).isEqualTo(ProjectionKeys.counterSk(LocalDate.parse("2026-11-27"), "S1"));
        assertThat(counter.updateExpression()).endsWith("ADD #submissions :one, #onTime :onTime, #late :late");
        assertThat(counter.expressionAttributeValues().get(":onTime").n()).isEqualTo("1");
        assertThat(counter.expressionAttributeValues().get(":late").n()).isEqualTo("0");
    }

    @Test
    void aLateFirstVersionCountsASubmissionLate() {
        Report report =
                SampleReports.of("gad-7").receivedAt(RECEIVED).onTime(false).build();

        var counter = items.transaction(report, List.of(), NOW).counter().update();

        assertThat(counter.expressionAttributeValues().get(":onTime").n()).isEqualTo("0");
        assertThat(counter.expressionAttributeValues().get(":late").n()).isEqualTo("1");
    }

    @Test
    void anAmendmentCountsOnTheDayItArrivedAndReplacesTheRowOfVersionOne() {
        // GIVEN version 2 received two days after version 1
        Instant first = Instant.parse("2026-11-25T10:00:00Z");
        Report v1 = SampleReports.of("gad-7")
                .study("ST")
                .site("S1")
                .receivedAt(first)
                .build();
        Report v2 = SampleReports.of("gad-7")
                .reportId(v1.reportId())
                .subject(v1.subjectId())
                .study("ST")
                .site("S1")
                .version(2)
                .firstReceivedAt(first)
                .receivedAt(RECEIVED)
                .authoredAt(v1.authoredAt())
                .build();

        IndexTransaction tx = items.transaction(v2, List.of(v1), NOW);

        // THEN it counts one amendment on its own day, not a submission
        var counter = tx.counter().update();
        assertThat(s(counter.key(), "sk")).isEqualTo(ProjectionKeys.counterSk(LocalDate.parse("2026-11-27"), "S1"));
        assertThat(counter.updateExpression()).endsWith("ADD #amendments :one");
        assertThat(counter.expressionAttributeValues()).doesNotContainKeys(":onTime", ":late");
        // AND the subject counts one amendment, not a second report
        assertThat(tx.subject().update().updateExpression()).endsWith("ADD #amendments :one");
        // AND its row has version 1's key, replaced only if stored older
        var row = tx.rows().get(0).put();
        assertThat(s(row.item(), "pk")).isEqualTo(ProjectionKeys.studyDayPk("ST", LocalDate.parse("2026-11-25")));
        assertThat(s(row.item(), "sk")).isEqualTo(ProjectionKeys.rowSk(v1));
        assertThat(row.expressionAttributeValues().get(":version").n()).isEqualTo("2");
        // AND as the authored time did not move, no timeline row is deleted
        assertThat(tx.rows()).hasSize(2);
    }

    @Test
    void anAmendmentWhoseAuthoredTimeMovedDeletesTheEarlierTimelineRow() {
        Report v1 = SampleReports.of("pain-nrs")
                .authoredAt(Instant.parse("2026-11-27T08:00:00Z"))
                .build();
        Report v2 = SampleReports.of("pain-nrs")
                .reportId(v1.reportId())
                .subject(v1.subjectId())
                .version(2)
                .authoredAt(Instant.parse("2026-11-27T08:30:00Z"))
                .build();

        IndexTransaction tx = items.transaction(v2, List.of(v1), NOW);

        assertThat(tx.rows()).hasSize(3);
        var delete = tx.rows().get(2).delete();
        assertThat(s(delete.key(), "pk")).isEqualTo(ProjectionKeys.subjectTimelinePk(v1.studyId(), v1.subjectId()));
        assertThat(s(delete.key(), "sk")).isEqualTo(ProjectionKeys.subjectTimelineSk(v1));
    }

    private static String s(Map<String, AttributeValue> item, String name) {
        return item.get(name).s();
    }
}
