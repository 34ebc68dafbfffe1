package org.openepro.export.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openepro.core.report.Answer;
import org.openepro.core.report.Report;
import org.openepro.export.TestReports;
import org.openepro.export.format.ExportRecord;

class RecordProfilerTest {
    private final TestReports reports = new TestReports(3);
    private final List<String> lookups = new ArrayList<>();
    private final PseudonymSource source = (study, subject, anchor) -> {
        lookups.add(subject);
        return new Pseudonym("P-" + lookups.size(), LocalDate.parse("2026-03-01"));
    };

    private Report diary(String subject, String receivedAt) {
        return reports.report("S1", "SITE-1", subject, "diary", Instant.parse(receivedAt));
    }

    @Test
    void identifiedKeepsTheRecordAsStored() {
        Report r = diary("SUBJ-1", "2026-03-05T10:00:00Z");

        ExportRecord out = new RecordProfiler(Profile.IDENTIFIED, source).apply(r);

        assertThat(out.subject()).isEqualTo("SUBJ-1");
        assertThat(out.reportId()).isEqualTo(r.reportId());
        assertThat(out.authoredAt()).isEqualTo(r.authoredAt());
        assertThat(out.answers()).isEqualTo(r.answers());
        assertThat(lookups).isEmpty();
    }

    @Test
    void limitedReplacesTheSubjectAndKeepsDatesAndText() {
        Report r = diary("SUBJ-1", "2026-03-05T10:00:00Z");

        ExportRecord out = new RecordProfiler(Profile.LIMITED, source).apply(r);

        assertThat(out.subject()).isEqualTo("P-1");
        assertThat(out.authoredAt()).isEqualTo(r.authoredAt());
        assertThat(out.answers()).isEqualTo(r.answers());
    }

    @Test
    void deidentifiedLeavesNoIdNoCalendarDateAndNoFreeText() {
        // GIVEN a diary with free text and a date answer, received on the anchor's fifth day
        Report r = diary("SUBJ-1", "2026-03-05T10:00:00Z");
        String onset = r.answer("onset").orElseThrow().text();

        ExportRecord out = new RecordProfiler(Profile.DEIDENTIFIED, source).apply(r);

        assertThat(out.reportId()).isNull();
        assertThat(out.subject()).isEqualTo("P-1");
        assertThat(out.authoredAt()).isNull();
        assertThat(out.receivedAt()).isNull();
        assertThat(out.receivedDay()).isEqualTo(5);
        assertThat(out.answers()).noneMatch(Answer::possiblyIdentifying);
        Answer onsetDay = out.answers().stream()
                .filter(a -> a.linkId().equals("onset"))
                .findFirst()
                .orElseThrow();
        assertThat(onsetDay.text()).isNull();
        assertThat(onsetDay.number().intValue())
                .isEqualTo(new Pseudonym("x", LocalDate.parse("2026-03-01")).studyDay(LocalDate.parse(onset)));
        assertThat(out.toString()).doesNotContain("SUBJ-1", TestReports.FREE_TEXT, "2026-");
    }

    @Test
    void looksEachSubjectUpOncePerExport() {
        RecordProfiler profiler = new RecordProfiler(Profile.DEIDENTIFIED, source);
        for (int i = 0; i < 5; i++) {
            profiler.apply(diary("SUBJ-A", "2026-03-05T10:00:00Z"));
            profiler.apply(diary("SUBJ-B", "2026-03-05T10:00:00Z"));
        }
        assertThat(lookups).containsExactly("SUBJ-A", "SUBJ-B");
    }

    @Test
    void studyDaysCountFromOneOnTheAnchorAndSkipDayZero() {
        Pseudonym p = new Pseudonym("P", LocalDate.parse("2026-03-10"));
        assertThat(p.studyDay(LocalDate.parse("2026-03-10"))).isEqualTo(1);
        assertThat(p.studyDay(LocalDate.parse("2026-03-11"))).isEqualTo(2);
        assertThat(p.studyDay(LocalDate.parse("2026-03-09"))).isEqualTo(-1);
    }
}
