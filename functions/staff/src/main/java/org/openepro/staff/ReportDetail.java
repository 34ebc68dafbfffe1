package org.openepro.staff;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.openepro.core.audit.Actor;
import org.openepro.core.audit.AuditAction;
import org.openepro.core.audit.AuditEntity;
import org.openepro.core.audit.AuditEvent;
import org.openepro.core.audit.AuditLog;
import org.openepro.core.audit.AuditReader;
import org.openepro.core.http.Caller;
import org.openepro.core.questionnaire.ItemDefinition;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.study.StudyCatalog;
import org.openepro.core.report.Answer;
import org.openepro.core.report.Report;
import org.openepro.core.report.ReportStore;
import org.openepro.core.report.Score;
import org.openepro.core.report.Times;

/**
 * A report with every version, for staff of its study. Reading a patient's answers is itself an
 * audit event, written before the answers are handed out: no audit, no answers.
 */
final class ReportDetail {
    private static final String NOT_FOUND = "No such report.";

    private final ReportStore reports;
    private final AuditReader auditReader;
    private final AuditLog audit;
    private final StudyCatalog questionnaires;
    private final Clock clock;

    ReportDetail(
            ReportStore reports, AuditReader auditReader, AuditLog audit, StudyCatalog questionnaires, Clock clock) {
        this.reports = reports;
        this.auditReader = auditReader;
        this.audit = audit;
        this.questionnaires = questionnaires;
        this.clock = clock;
    }

    ReportView read(Caller caller, String studyId, String reportId) {
        StudyAccess.require(caller, studyId, NOT_FOUND);
        List<Report> versions = reports.versions(reportId);
        if (versions.isEmpty() || !studyId.equals(versions.get(0).studyId())) {
            throw StudyAccess.notFound(NOT_FOUND);
        }
        Report latest = versions.get(versions.size() - 1);
        Instant now = clock.instant();
        StudyAccess.requireSubject(caller);
        audit.append(AuditEvent.of(AuditAction.REPORT_VIEWED, Actor.staff(caller), now)
                .study(studyId)
                .entity(reportId)
                .detail("versions", Integer.toString(versions.size()))
                .detail("subjectId", latest.subjectId())
                .detail("siteId", latest.siteId())
                .build());
        Optional<QuestionnaireDefinition> definition =
                questionnaires.forReport(studyId, latest.questionnaireCanonical());
        List<ReportView.Version> views = new ArrayList<>(versions.size());
        Report previous = null;
        for (Report r : versions) {
            QuestionnaireDefinition d = questionnaires
                    .forReport(studyId, r.questionnaireCanonical())
                    .orElse(null);
            views.add(version(r, previous, d));
            previous = r;
        }
        return new ReportView(
                reportId,
                studyId,
                latest.siteId(),
                latest.subjectId(),
                new ReportView.QuestionnaireRef(
                        latest.questionnaireId(),
                        latest.questionnaireUrl(),
                        latest.questionnaireVersion(),
                        definition.map(QuestionnaireDefinition::title).orElse(null)),
                views,
                definition.map(ScoreScales::of).orElse(List.of()),
                auditReader.history(studyId, AuditEntity.REPORT.entityPk(reportId)));
    }

    private static ReportView.Version version(Report r, Report previous, QuestionnaireDefinition d) {
        List<ReportView.AnswerView> answers = new ArrayList<>(r.answers().size());
        for (Answer a : r.answers()) {
            Optional<ItemDefinition> item = d == null ? Optional.empty() : d.item(a.linkId());
            answers.add(new ReportView.AnswerView(
                    a.linkId(),
                    item.map(ItemDefinition::prefix).orElse(null),
                    item.map(ItemDefinition::text).orElse(null),
                    a.type().fhirCode(),
                    a.number(),
                    a.code(),
                    a.display(),
                    a.text(),
                    a.bool(),
                    a.possiblyIdentifying()));
        }
        List<ReportView.ScoreView> scores = new ArrayList<>(r.scores().size());
        for (Score s : r.scores()) {
            String title =
                    d == null ? null : d.score(s.id()).map(sd -> sd.title()).orElse(null);
            scores.add(new ReportView.ScoreView(s.id(), title, s.value(), s.profile(), s.band(), s.bandDisplay()));
        }
        return new ReportView.Version(
                r.version(),
                r.status(),
                r.authored(),
                Times.sortable(r.authoredAt()),
                Times.sortable(r.receivedAt()),
                r.onTime(),
                r.submittedBy(),
                r.amendmentReason(),
                previous == null ? List.of() : changedItems(previous, r),
                answers,
                scores);
    }

    /** The linkIds answered differently (or only) in one of two consecutive versions, in the newer one's order. */
    static List<String> changedItems(Report before, Report after) {
        List<String> changed = new ArrayList<>();
        for (Answer a : after.answers()) {
            if (!Objects.equals(before.answer(a.linkId()).orElse(null), a)) {
                changed.add(a.linkId());
            }
        }
        for (Answer a : before.answers()) {
            if (after.answer(a.linkId()).isEmpty()) {
                changed.add(a.linkId());
            }
        }
        return changed;
    }
}
