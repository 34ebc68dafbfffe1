package org.openepro.core.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.openepro.core.http.ApiException;
import org.openepro.core.http.Problem;
import org.openepro.core.http.Problem.FieldError;
import org.openepro.core.http.ProblemType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The schedule's part of a new submission, decided before it is stored: a withdrawn subject is
 * refused (409, nothing stored); otherwise the task it answers (named in
 * {@code QuestionnaireResponse.basedOn}, or matched by {@link TaskMatcher}), its window verdict,
 * and the writes that complete the task, which go into the submission's own transaction so a
 * report and its completion are stored together or not at all. A subject the study never enrolled
 * in a schedule gets {@code unscheduled}.
 */
public final class SubmissionPlacement {
    /**
     * How far back the subject's occurrences are read: a window closes at most 31 days after its
     * date, and a plausible device clock is at most {@link SubmissionTiming#MAX_OFFLINE} behind.
     */
    static final Duration LOOK_BACK =
            Duration.ofDays(31).plus(SubmissionTiming.MAX_OFFLINE).plusDays(1);

    /** Where the submission belongs: the task it answers (absent when unscheduled), its verdict, the completion writes. */
    public record Placement(Optional<TaskId> taskId, WindowVerdict verdict, List<TransactWriteItem> writes) {
        public Placement {
            writes = List.copyOf(writes);
        }

        public static Placement unscheduled() {
            return new Placement(Optional.empty(), WindowVerdict.UNSCHEDULED, List.of());
        }

        /** Whether storing the report also completes its task (so a refused condition means: place it again). */
        public boolean completes() {
            return !writes.isEmpty();
        }
    }

    private final OccurrenceStore store;

    public SubmissionPlacement(OccurrenceStore store) {
        this.store = store;
    }

    /**
     * @param basedOn the first {@code basedOn[].reference} of the response, if any: {@code Task/<id>} or {@code <id>}
     * @throws ApiException 409 {@code subject-withdrawn} for a withdrawn subject, 422 for a
     *                      {@code basedOn} that names no task of this subject and questionnaire
     */
    public Placement place(
            String studyId,
            String subjectId,
            String questionnaire,
            Optional<String> basedOn,
            Instant authoredAt,
            Instant receivedAt,
            String reportId) {
        Optional<Enrollment> enrollment = store.enrollment(studyId, subjectId);
        if (enrollment.isPresent() && enrollment.get().status() == EnrollmentStatus.WITHDRAWN) {
            throw ApiException.of(
                    ProblemType.SUBJECT_WITHDRAWN,
                    "This participant has withdrawn from the study's schedule; no new answers are accepted. "
                            + "Answers already given are kept.");
        }
        Optional<TaskId> named = basedOn.map(SubmissionPlacement::taskId);
        if (enrollment.isEmpty()) {
            if (named.isPresent()) {
                throw unknownTask();
            }
            return Placement.unscheduled();
        }
        // the earlier of both clocks, so a plausible offline answer still finds its window
        Instant earliest = authoredAt.isBefore(receivedAt) ? authoredAt : receivedAt;
        LocalDate from = LocalDate.ofInstant(earliest.minus(LOOK_BACK), ZoneOffset.UTC);
        List<Occurrence> ofQuestionnaire = store.forSubject(studyId, subjectId, from).stream()
                .filter(o -> o.questionnaire().equals(questionnaire))
                .toList();
        TaskMatcher.Match match;
        if (named.isPresent()) {
            Occurrence task = ofQuestionnaire.stream()
                    .filter(o -> o.taskId().equals(named.get()))
                    .findFirst()
                    .orElseThrow(SubmissionPlacement::unknownTask);
            boolean fillable = task.status() == OccurrenceStatus.PENDING || task.status() == OccurrenceStatus.MISSED;
            // a second answer to a completed task, or one to a cancelled task, is kept, but fills nothing
            match = fillable
                    ? TaskMatcher.named(task, authoredAt, receivedAt)
                    : new TaskMatcher.Match(Optional.empty(), WindowVerdict.UNSCHEDULED);
        } else {
            match = TaskMatcher.match(ofQuestionnaire, authoredAt, receivedAt);
        }
        if (match.occurrence().isEmpty()) {
            return Placement.unscheduled();
        }
        Occurrence o = match.occurrence().get();
        List<TransactWriteItem> writes = match.completes() ? store.completion(o, reportId, match.verdict()) : List.of();
        return new Placement(Optional.of(o.taskId()), match.verdict(), writes);
    }

    private static TaskId taskId(String reference) {
        String id = reference.startsWith("Task/") ? reference.substring("Task/".length()) : reference;
        return TaskId.parse(id).orElseThrow(SubmissionPlacement::unknownTask);
    }

    private static ApiException unknownTask() {
        return new ApiException(Problem.of(
                ProblemType.VALIDATION_FAILED,
                "basedOn names no task of yours for this questionnaire.",
                List.of(FieldError.at(
                        "/basedOn/0/reference",
                        "unknown-task",
                        "Not one of your tasks for this questionnaire (GET /v1/tasks lists them)."))));
    }
}
