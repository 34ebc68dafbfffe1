package org.openepro.core.schedule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Finds the occurrence a submission answers when it does not name one ({@code basedOn}), among the
 * subject's occurrences of that questionnaire, and gives its verdict:
 * <ol>
 *   <li>the pending occurrence whose window holds {@code receivedAt}: on time;</li>
 *   <li>else the pending or missed one whose window holds a plausible {@code authored} (offline): on time;</li>
 *   <li>else, if no window is open at the answer time, the most recent window that closed before
 *       it, if still pending or missed: late (a missed one is corrected);</li>
 *   <li>else the next window to open, if pending: early (linked, but it does not complete it);</li>
 *   <li>else none: unscheduled (e.g. a second answer in a window already completed).</li>
 * </ol>
 */
public final class TaskMatcher {
    /** The occurrence matched (absent when unscheduled) and the verdict. */
    public record Match(Optional<Occurrence> occurrence, WindowVerdict verdict) {
        /** Whether this match completes its occurrence (on time or late); early and unscheduled do not. */
        public boolean completes() {
            return occurrence.isPresent() && (verdict == WindowVerdict.ON_TIME || verdict == WindowVerdict.LATE);
        }
    }

    private TaskMatcher() {}

    public static Match match(List<Occurrence> ofQuestionnaire, Instant authoredAt, Instant receivedAt) {
        List<Occurrence> live = new ArrayList<>();
        for (Occurrence o : ofQuestionnaire) {
            if (o.status() != OccurrenceStatus.CANCELLED) {
                live.add(o);
            }
        }
        live.sort(Comparator.comparing((Occurrence o) -> o.window().opens()));
        for (Occurrence o : live) {
            if (o.window().contains(receivedAt)) {
                return o.status() == OccurrenceStatus.PENDING
                        ? new Match(Optional.of(o), WindowVerdict.ON_TIME)
                        : unscheduled();
            }
        }
        boolean plausible = SubmissionTiming.plausible(authoredAt, receivedAt);
        Instant answered = SubmissionTiming.answeredAt(authoredAt, receivedAt);
        for (Occurrence o : live) {
            if (plausible && o.window().contains(authoredAt)) {
                return fillable(o)
                        ? new Match(Optional.of(o), SubmissionTiming.verdict(o.window(), authoredAt, receivedAt))
                        : unscheduled();
            }
        }
        Occurrence lastClosed = null;
        Occurrence nextOpening = null;
        for (Occurrence o : live) {
            if (!o.window().closes().isAfter(answered)) {
                lastClosed = o;
            } else if (o.window().opens().isAfter(answered) && nextOpening == null) {
                nextOpening = o;
            }
        }
        if (lastClosed != null && fillable(lastClosed)) {
            return new Match(Optional.of(lastClosed), WindowVerdict.LATE);
        }
        if (nextOpening != null && nextOpening.status() == OccurrenceStatus.PENDING) {
            return new Match(Optional.of(nextOpening), WindowVerdict.EARLY);
        }
        return unscheduled();
    }

    /** The verdict for an occurrence the submission names itself ({@code basedOn}). */
    public static Match named(Occurrence o, Instant authoredAt, Instant receivedAt) {
        return new Match(Optional.of(o), SubmissionTiming.verdict(o.window(), authoredAt, receivedAt));
    }

    private static boolean fillable(Occurrence o) {
        return o.status() == OccurrenceStatus.PENDING || o.status() == OccurrenceStatus.MISSED;
    }

    private static Match unscheduled() {
        return new Match(Optional.empty(), WindowVerdict.UNSCHEDULED);
    }
}
