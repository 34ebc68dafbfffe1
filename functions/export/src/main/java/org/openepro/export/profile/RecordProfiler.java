package org.openepro.export.profile;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openepro.core.report.Answer;
import org.openepro.core.report.Report;
import org.openepro.core.report.Times;
import org.openepro.export.format.ExportRecord;

/**
 * Applies one export's profile to each report: the only place where identity is removed, so the
 * writers never see what the profile leaves out. Pseudonyms are looked up once per subject per
 * export (held in memory for the export: one entry per subject of the study). Not thread-safe.
 */
public final class RecordProfiler {
    private final Profile profile;
    private final PseudonymSource pseudonyms;
    private final Map<String, Pseudonym> known = new HashMap<>();

    public RecordProfiler(Profile profile, PseudonymSource pseudonyms) {
        this.profile = profile;
        this.pseudonyms = pseudonyms;
    }

    /**
     * How a subject named outside a report (a compliance row) shows under the profile: the id as stored in an
     * identified export, else the same pseudonym the subject's reports carry.
     *
     * @param seenOn a day the subject had a counted occurrence on or before, bounding a new pseudonym's anchor
     */
    public String subject(String studyId, String subjectId, LocalDate seenOn) {
        if (!profile.pseudonymous()) {
            return subjectId;
        }
        return known.computeIfAbsent(subjectId, s -> pseudonyms.pseudonym(studyId, s, seenOn))
                .value();
    }

    public ExportRecord apply(Report r) {
        if (!profile.pseudonymous()) {
            return withDates(r, r.subjectId(), r.submittedBy());
        }
        Pseudonym p = known.computeIfAbsent(
                r.subjectId(), s -> pseudonyms.pseudonym(r.studyId(), s, Times.utcDay(r.authoredAt())));
        if (!profile.studyDays()) {
            // the token subject would tie a pseudonymous row back to an account: only identified exports keep it
            return withDates(r, p.value(), null);
        }
        // the amendment reason is free text: it goes with the other free text
        return new ExportRecord(
                null,
                r.version(),
                r.status(),
                p.value(),
                r.siteId(),
                r.questionnaireId(),
                r.questionnaireUrl(),
                r.questionnaireVersion(),
                null,
                null,
                p.studyDay(Times.utcDay(r.authoredAt())),
                null,
                p.studyDay(Times.utcDay(r.receivedAt())),
                r.onTime(),
                deidentified(r.answers(), p),
                r.scores(),
                null,
                null,
                r.language(),
                // a task id names the occurrence's calendar date: it goes with the other dates
                null,
                verdict(r));
    }

    /** The report with its dates, free text and ids as stored, under {@code subject}. */
    private static ExportRecord withDates(Report r, String subject, String submittedBy) {
        return new ExportRecord(
                r.reportId(),
                r.version(),
                r.status(),
                subject,
                r.siteId(),
                r.questionnaireId(),
                r.questionnaireUrl(),
                r.questionnaireVersion(),
                r.authored(),
                r.authoredAt(),
                null,
                r.receivedAt(),
                null,
                r.onTime(),
                r.answers(),
                r.scores(),
                r.amendmentReason(),
                submittedBy,
                r.language(),
                r.taskId(),
                verdict(r));
    }

    private static String verdict(Report r) {
        return r.windowVerdict() == null ? null : r.windowVerdict().code();
    }

    /** Free text dropped; date answers become study days (an unparseable date is dropped, not leaked). */
    private static List<Answer> deidentified(List<Answer> answers, Pseudonym p) {
        boolean clean = true;
        for (Answer a : answers) {
            if (a.possiblyIdentifying() || a.type().fhirCode().startsWith("date")) {
                clean = false;
                break;
            }
        }
        if (clean) {
            return answers;
        }
        List<Answer> out = new ArrayList<>(answers.size());
        for (Answer a : answers) {
            if (a.possiblyIdentifying()) {
                continue;
            }
            switch (a.type()) {
                case DATE, DATETIME -> {
                    LocalDate day = day(a);
                    if (day != null) {
                        out.add(new Answer(
                                a.linkId(),
                                a.type(),
                                BigDecimal.valueOf(p.studyDay(day)),
                                null,
                                null,
                                null,
                                null,
                                null,
                                a.branchSkipped()));
                    }
                }
                default -> out.add(a);
            }
        }
        return out;
    }

    private static LocalDate day(Answer a) {
        if (a.text() == null) {
            return null;
        }
        try {
            return a.text().length() <= 10
                    ? LocalDate.parse(a.text())
                    : Times.utcDay(OffsetDateTime.parse(a.text()).toInstant());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    public Profile profile() {
        return profile;
    }
}
