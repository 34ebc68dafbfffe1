package org.openepro.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openepro.core.id.Participant;
import org.openepro.core.id.SiteId;
import org.openepro.core.id.StudyId;
import org.openepro.core.id.SubjectId;
import org.openepro.core.questionnaire.ItemType;

class ReportItemsTest {

    @Test
    void aStoredReportReadsBackUnchanged() {
        Report report = Report.builder()
                .reportId("0190a1b2-0000-7000-8000-000000000001")
                .version(2)
                .status("amended")
                .participant(Participant.of(StudyId.of("S1"), SiteId.of("SITE"), SubjectId.of("P1")))
                .questionnaire(
                        new QuestionnaireRef("pain-nrs", "https://openepro.dev/fhir/Questionnaire/pain-nrs", "1.0.0"))
                .authored("2026-11-27T08:02:11-05:00", Instant.parse("2026-11-27T13:02:11Z"))
                .receivedAt(Instant.parse("2026-11-27T13:05:00.120Z"))
                .firstReceivedAt(Instant.parse("2026-11-27T13:03:00Z"))
                .answers(List.of(
                        Answer.number("72514-3", ItemType.INTEGER, BigDecimal.valueOf(6)),
                        Answer.choice("c", "sys", "code", "Display", BigDecimal.ONE),
                        Answer.text("note", ItemType.STRING, "Ünïcode"),
                        Answer.bool("b", true)))
                .scores(List.of(
                        Score.numeric("pain", BigDecimal.valueOf(6), "moderate", "Moderate pain"),
                        Score.profile("profile", "11223")))
                .onTime(false)
                .amendmentReason("wrong number")
                .submittedBy("token-sub")
                .build();

        Report back = ReportItems.fromItem(ReportItems.toItem(report));

        assertThat(back).isEqualTo(report);
        assertThat(ReportItems.toItem(report).get("freeText").bool()).isTrue();
    }

    @Test
    void keysSortInTimeAndVersionOrder() {
        assertThat(ReportItems.sk(2)).isEqualTo("V#000002");
        assertThat(ReportItems.sk(10).compareTo(ReportItems.sk(9))).isPositive();
        assertThat(Times.sortable(Instant.parse("2026-01-01T00:00:00Z")))
                .isEqualTo("2026-01-01T00:00:00.000Z")
                .isLessThan(Times.sortable(Instant.parse("2026-01-01T00:00:00.001Z")));
    }
}
