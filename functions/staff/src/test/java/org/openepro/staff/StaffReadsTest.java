package org.openepro.staff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openepro.core.audit.AuditEntity;
import org.openepro.core.http.ApiException;
import org.openepro.core.report.Report;
import org.openepro.emulator.SampleReports;

class StaffReadsTest {
    @Test
    void anAmendmentNamesExactlyTheItemsAnsweredDifferently() {
        Report v1 = SampleReports.of("phq-9")
                .answer("44260-8", 1)
                .answer("44250-9", 2)
                .build();
        Report v2 = SampleReports.of("phq-9")
                .reportId(v1.reportId())
                .version(2)
                .answer("44260-8", 0)
                .answer("44250-9", 2)
                .build();

        assertThat(ReportDetail.changedItems(v1, v2)).containsExactly("44260-8");
        assertThat(ReportDetail.changedItems(v1, v1)).isEmpty();
    }

    @Test
    void aPageTokenIsAcceptedOnlyForAKeyOfThePagesShape() {
        String key = "2026-11-27T09:30:00.000Z#0b5e3c2e-9d1a-4e8b-a7c5-2f0e1d3c4b5a";

        assertThat(PageCursor.decode(PageCursor.encode(key), PageCursor.TIME_KEY))
                .isEqualTo(key);
        assertThat(PageCursor.decode(PageCursor.encode("SUBJ-0001"), PageCursor.SUBJECT_KEY))
                .isEqualTo("SUBJ-0001");
        // a start key into another partition, or junk, is refused before any read
        assertThatThrownBy(() -> PageCursor.decode(PageCursor.encode("SUBJ#X"), PageCursor.SUBJECT_KEY))
                .isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> PageCursor.decode(PageCursor.encode("SUBJ-0001"), PageCursor.TIME_KEY))
                .isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> PageCursor.decode("%%%", PageCursor.TIME_KEY)).isInstanceOf(ApiException.class);
    }

    @Test
    void theRosterShowsTheNewestReportOfEachQuestionnaire() {
        var newest = new ProjectionReader.TimelineEntry("r3", 1, "S", "pain-nrs", "u", "1", null, "3", "3", List.of());
        var older = new ProjectionReader.TimelineEntry("r2", 1, "S", "phq-9", "u", "1", null, "2", "2", List.of());
        var oldest = new ProjectionReader.TimelineEntry("r1", 1, "S", "pain-nrs", "u", "1", null, "1", "1", List.of());

        assertThat(SubjectViews.newestPerQuestionnaire(List.of(newest, older, oldest)))
                .containsExactly(newest, older);
    }

    @Test
    void auditEntitiesAreNamedAsTheApiAcceptsAndStoredAsTheWritersStoreThem() {
        assertThat(AuditEntity.named("Report")).contains(AuditEntity.REPORT);
        assertThat(AuditEntity.named("alert").orElseThrow().entityPk("x")).isEqualTo("alert#x");
        assertThat(AuditEntity.named("patient")).isEmpty();
    }
}
