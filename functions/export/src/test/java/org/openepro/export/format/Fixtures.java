package org.openepro.export.format;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.report.Answer;
import org.openepro.core.report.Report;
import org.openepro.export.TestReports;
import org.openepro.export.profile.Profile;
import org.openepro.export.profile.Pseudonym;
import org.openepro.export.profile.RecordProfiler;

/** Records and files for the writer tests. */
final class Fixtures {
    static final TestReports REPORTS = new TestReports(42);
    static final List<String> QUESTIONNAIRES = List.of("phq-9", "eq-5d-5l", "diary");

    private Fixtures() {}

    static List<QuestionnaireDefinition> definitions(List<String> ids) {
        return ids.stream().map(REPORTS::first).toList();
    }

    static ExportLayout layout(Profile profile, boolean labels) {
        return ExportLayout.of(definitions(QUESTIONNAIRES), profile, labels);
    }

    static List<Report> reports(int n) {
        List<Report> out = new ArrayList<>();
        Instant t = Instant.parse("2026-03-01T08:00:00Z");
        for (int i = 0; i < n; i++) {
            out.add(REPORTS.report(
                    "STUDY-1",
                    "SITE-" + (i % 3),
                    "SUBJ-" + (i % 7),
                    QUESTIONNAIRES.get(i % 3),
                    t.plusSeconds(3600L * i)));
        }
        return out;
    }

    static RecordProfiler profiler(Profile profile) {
        return new RecordProfiler(
                profile,
                (study, subject, anchor) -> new Pseudonym(
                        "P" + Integer.toHexString(subject.hashCode()).toUpperCase(), LocalDate.parse("2026-02-20")));
    }

    static List<ExportRecord> records(int n, Profile profile) {
        RecordProfiler p = profiler(profile);
        return reports(n).stream().map(p::apply).toList();
    }

    /** A diary report whose free text and weight are chosen by the test. */
    static ExportRecord diary(String comment, String weight) {
        Report base = REPORTS.report("STUDY-1", "SITE-1", "SUBJ-1", "diary", Instant.parse("2026-03-02T10:00:00Z"));
        List<Answer> answers = new ArrayList<>();
        for (Answer a : base.answers()) {
            switch (a.linkId()) {
                case "comment" -> answers.add(Answer.text("comment", a.type(), comment));
                case "weight" -> answers.add(Answer.number("weight", a.type(), new java.math.BigDecimal(weight)));
                default -> answers.add(a);
            }
        }
        Report r = base.toBuilder()
                .version(1)
                .status("completed")
                .answers(answers)
                .onTime(true)
                .amendmentReason(null)
                .submittedBy("x")
                .build();
        return profiler(Profile.LIMITED).apply(r);
    }

    /** A diary report whose date-time answer ("woke") is the text given. */
    static ExportRecord diaryWoke(String woke) {
        Report base = REPORTS.report("STUDY-1", "SITE-1", "SUBJ-1", "diary", Instant.parse("2026-03-02T10:00:00Z"));
        List<Answer> answers = new ArrayList<>();
        for (Answer a : base.answers()) {
            answers.add(a.linkId().equals("woke") ? Answer.text("woke", a.type(), woke) : a);
        }
        Report r = base.toBuilder()
                .version(1)
                .status("completed")
                .answers(answers)
                .onTime(true)
                .amendmentReason(null)
                .submittedBy("x")
                .build();
        return profiler(Profile.LIMITED).apply(r);
    }

    static byte[] write(Exporter exporter, ExportLayout layout, List<ExportRecord> records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExportWriter w = exporter.open(out, layout, null);
        for (ExportRecord r : records) {
            w.write(r);
        }
        w.finish();
        return out.toByteArray();
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static List<List<String>> parseCsv(String csv) {
        return CsvReading.parse(csv);
    }
}
