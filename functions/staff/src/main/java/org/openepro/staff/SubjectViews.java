package org.openepro.staff;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.openepro.core.audit.Actor;
import org.openepro.core.audit.AuditAction;
import org.openepro.core.audit.AuditEvent;
import org.openepro.core.audit.AuditLog;
import org.openepro.core.http.Caller;
import org.openepro.core.questionnaire.study.StudyCatalog;

/**
 * A study's subjects for staff: the roster (latest scores, open alerts, on-time share) and one
 * subject's score timeline for charts. Reading a subject's score history is audited.
 */
final class SubjectViews {
    /** Timeline entries read per roster subject to find the latest report of each questionnaire. */
    static final int LATEST_WINDOW = 20;

    private final ProjectionReader projections;
    private final OpenAlerts alerts;
    private final AuditLog audit;
    private final StudyCatalog questionnaires;
    private final Clock clock;

    SubjectViews(
            ProjectionReader projections, OpenAlerts alerts, AuditLog audit, StudyCatalog questionnaires, Clock clock) {
        this.projections = projections;
        this.alerts = alerts;
        this.audit = audit;
        this.questionnaires = questionnaires;
        this.clock = clock;
    }

    record Timeline(
            String studyId,
            String subjectId,
            String questionnaire,
            List<ProjectionReader.TimelineEntry> points,
            List<ReportView.ScoreScale> scoreScales,
            String next) {}

    record Roster(String studyId, String siteId, List<SubjectSummary> subjects, String next) {}

    /** One subject of the roster. {@code onTimeRate}: share of first versions received within their window. */
    record SubjectSummary(
            String subjectId,
            String siteId,
            String firstReceivedAt,
            String lastAuthoredAt,
            long reports,
            long onTime,
            long late,
            long amendments,
            Double onTimeRate,
            int openAlerts,
            String highestOpenSeverity,
            List<ProjectionReader.TimelineEntry> latest) {}

    Timeline timeline(
            Caller caller,
            String studyId,
            String subjectId,
            Optional<String> questionnaireId,
            int limit,
            Optional<String> before) {
        StudyAccess.require(caller, studyId, "No such subject.");
        ProjectionReader.TimelinePage page = projections.timeline(studyId, subjectId, questionnaireId, limit, before);
        if (page.entries().isEmpty() && before.isEmpty()) {
            // no report at all: nothing to audit, and a subject unknown here is not found
            throw StudyAccess.notFound("No such subject.");
        }
        StudyAccess.requireSubject(caller);
        audit.append(AuditEvent.of(AuditAction.TIMELINE_VIEWED, Actor.staff(caller), clock.instant())
                .study(studyId)
                .entity(subjectId)
                .detail("subjectId", subjectId)
                .detail("questionnaire", questionnaireId.orElse(null))
                .build());
        return new Timeline(
                studyId,
                subjectId,
                questionnaireId.orElse(null),
                page.entries(),
                scales(studyId, page.entries()),
                page.nextSk().map(PageCursor::encode).orElse(null));
    }

    Roster roster(Caller caller, String studyId, Optional<String> siteId, int limit, Optional<String> after) {
        StudyAccess.require(caller, studyId, "No such study.");
        ProjectionReader.SubjectPage page = projections.subjects(studyId, siteId, limit, after);
        Map<String, OpenAlerts.Count> open = page.subjects().isEmpty() ? Map.of() : alerts.bySubject(studyId);
        List<List<ProjectionReader.TimelineEntry>> latest = latest(studyId, page.subjects());
        List<SubjectSummary> subjects = new ArrayList<>(page.subjects().size());
        for (int i = 0; i < page.subjects().size(); i++) {
            ProjectionReader.SubjectEntry s = page.subjects().get(i);
            OpenAlerts.Count count = open.getOrDefault(s.subjectId(), new OpenAlerts.Count(0, null));
            List<ProjectionReader.TimelineEntry> newest = latest.get(i);
            subjects.add(new SubjectSummary(
                    s.subjectId(),
                    s.siteId(),
                    s.firstReceivedAt(),
                    newest.isEmpty() ? null : newest.get(0).authoredAt(),
                    s.reports(),
                    s.onTime(),
                    s.late(),
                    s.amendments(),
                    s.reports() == 0 ? null : (double) s.onTime() / s.reports(),
                    count.open(),
                    count.highestSeverity(),
                    newest));
        }
        return new Roster(
                studyId,
                siteId.orElse(null),
                subjects,
                page.nextSk().map(PageCursor::encode).orElse(null));
    }

    /** Each subject's newest report of every questionnaire, read concurrently (one Query per subject). */
    private List<List<ProjectionReader.TimelineEntry>> latest(
            String studyId, List<ProjectionReader.SubjectEntry> subjects) {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<ProjectionReader.TimelineEntry>>> futures = new ArrayList<>(subjects.size());
            for (ProjectionReader.SubjectEntry s : subjects) {
                futures.add(pool.submit(() -> newestPerQuestionnaire(projections
                        .timeline(studyId, s.subjectId(), Optional.empty(), LATEST_WINDOW, Optional.empty())
                        .entries())));
            }
            List<List<ProjectionReader.TimelineEntry>> out = new ArrayList<>(subjects.size());
            for (Future<List<ProjectionReader.TimelineEntry>> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading timelines", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    static List<ProjectionReader.TimelineEntry> newestPerQuestionnaire(
            List<ProjectionReader.TimelineEntry> newestFirst) {
        Set<String> seen = new LinkedHashSet<>();
        List<ProjectionReader.TimelineEntry> out = new ArrayList<>();
        for (ProjectionReader.TimelineEntry e : newestFirst) {
            if (seen.add(e.questionnaireId())) {
                out.add(e);
            }
        }
        return out;
    }

    private List<ReportView.ScoreScale> scales(String studyId, List<ProjectionReader.TimelineEntry> entries) {
        Set<String> canonicals = new LinkedHashSet<>();
        entries.forEach(e -> canonicals.add(e.questionnaireUrl() + "|" + e.questionnaireVersion()));
        List<ReportView.ScoreScale> scales = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (String canonical : canonicals) {
            questionnaires
                    .forReport(studyId, canonical)
                    .filter(d -> ids.add(d.id()))
                    .ifPresent(d -> scales.addAll(ScoreScales.of(d)));
        }
        return scales;
    }
}
