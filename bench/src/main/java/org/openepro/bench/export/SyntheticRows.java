package org.openepro.bench.export;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.openepro.core.report.Report;
import org.openepro.export.TestReports;
import org.openepro.export.format.ExportLayout;
import org.openepro.export.format.ExportRecord;
import org.openepro.export.profile.Profile;
import org.openepro.export.profile.Pseudonym;
import org.openepro.export.profile.PseudonymSource;
import org.openepro.export.profile.RecordProfiler;

/**
 * Synthetic export input: realistic reports (every packaged questionnaire plus a diary with free
 * text and a date) of 2,000 subjects over three sites, generated on the fly so that a million rows
 * are never held at once. Seeding a million items into the emulator's DynamoDB would take hours
 * (about 5 ms a write), so the end-to-end runs read from here instead of Queries.
 */
public final class SyntheticRows {
    static final List<String> QUESTIONNAIRES = List.of("phq-9", "gad-7", "pain-nrs", "pro-ctcae", "eq-5d-5l", "diary");
    static final Instant START = Instant.parse("2026-01-01T06:00:00Z");
    /** Pseudonyms without a table: what a de-identified export's lookups return, minus the round trip. */
    static final PseudonymSource PSEUDONYMS = (study, subject, anchor) ->
            new Pseudonym("P" + Integer.toHexString(subject.hashCode()).toUpperCase(), LocalDate.parse("2025-12-20"));

    /** Answers per row of {@link #records} (the questionnaires in turn): converts rows/s to answers/s. */
    public static final double ANSWERS_PER_ROW = answersPerRow();

    private SyntheticRows() {}

    private static double answersPerRow() {
        List<ExportRecord> sample = records(QUESTIONNAIRES.size() * 100, Profile.LIMITED);
        return sample.stream().mapToInt(r -> r.answers().size()).average().orElse(0);
    }

    static TestReports reports(long seed) {
        return new TestReports(seed);
    }

    static ExportLayout layout(TestReports reports, Profile profile) {
        return ExportLayout.of(
                QUESTIONNAIRES.stream()
                        .map(id -> reports.registry().latest(id).orElseThrow())
                        .toList(),
                profile,
                false);
    }

    static Report report(TestReports reports, long i) {
        return reports.report(
                "STUDY-BENCH",
                "SITE-" + (i % 3),
                "SUBJ-" + (i % 2_000),
                QUESTIONNAIRES.get((int) (i % QUESTIONNAIRES.size())),
                START.plusSeconds(30 * i));
    }

    /** {@code n} profiled records built up front (for the JMH writer benchmarks). */
    static List<ExportRecord> records(int n, Profile profile) {
        TestReports reports = reports(1);
        RecordProfiler profiler = new RecordProfiler(profile, PSEUDONYMS);
        List<ExportRecord> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(profiler.apply(report(reports, i)));
        }
        return out;
    }

    /** {@code n} profiled records generated as they are consumed (for the end-to-end runs). */
    static Iterator<ExportRecord> stream(long n, Profile profile) {
        TestReports reports = reports(1);
        RecordProfiler profiler = new RecordProfiler(profile, PSEUDONYMS);
        return new Iterator<>() {
            private long i;

            @Override
            public boolean hasNext() {
                return i < n;
            }

            @Override
            public ExportRecord next() {
                if (i >= n) {
                    throw new NoSuchElementException();
                }
                return profiler.apply(report(reports, i++));
            }
        };
    }
}
