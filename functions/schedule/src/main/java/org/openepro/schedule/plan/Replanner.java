package org.openepro.schedule.plan;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.openepro.core.schedule.Enrollment;
import org.openepro.core.schedule.Occurrence;
import org.openepro.core.schedule.OccurrenceStatus;
import org.openepro.core.schedule.TaskId;
import org.openepro.schedule.protocol.Protocol;
import org.openepro.schedule.protocol.ProtocolHistory;
import org.openepro.schedule.protocol.ScheduleEntry;

/**
 * Decides what changes in a subject's materialised occurrences when something happens: enrollment
 * or a daily top-up (materialise ahead), travel (a new zone), a new protocol version, a pause or a
 * withdrawal. Pure: it reads the occurrences already stored and returns the writes, which the store
 * applies with conditions (so a decision taken on a stale read changes nothing).
 *
 * <p>Rules: an occurrence whose window has opened is never moved or re-versioned (it keeps the zone
 * and the protocol version it was generated with); travel moves only occurrences that have not
 * opened and whose new window also opens later than now (so no local date loses or doubles its
 * occurrence, and none lands in the past); a new version cancels the older version's occurrences
 * that have not opened from its effective date on, and generates its own, except where an occurrence
 * of the same questionnaire already opened on that date; pausing or withdrawing cancels every
 * pending occurrence whose window has not closed.
 */
public final class Replanner {
    /** How far ahead occurrences are materialised, in local days after today. */
    public static final int HORIZON_DAYS = 14;

    private final OccurrencePlanner planner = new OccurrencePlanner();

    /** The writes: new occurrences, occurrences rewritten with new times, occurrences cancelled. */
    public record Changes(List<Occurrence> create, List<Occurrence> replace, List<Occurrence> cancel) {
        public boolean isEmpty() {
            return create.isEmpty() && replace.isEmpty() && cancel.isEmpty();
        }
    }

    /** The last local date that is materialised when topping up at {@code now}. */
    public static LocalDate horizonEnd(Enrollment enrollment, Instant now) {
        return LocalDate.ofInstant(now, enrollment.zone()).plusDays(HORIZON_DAYS);
    }

    /**
     * Occurrences up to the horizon that are missing: every applicable occurrence whose window has
     * not closed yet, unless one for its task already exists (a cancelled one whose window has not
     * opened is revived: a paused subject resumes). Reminders already past are skipped, not sent late.
     */
    public Changes materialise(ProtocolHistory history, Enrollment enrollment, List<Occurrence> existing, Instant now) {
        Map<TaskId, Occurrence> byTask = index(existing);
        Set<String> openedSameQuestionnaire = openedByDateAndQuestionnaire(existing, now);
        LocalDate today = LocalDate.ofInstant(now, enrollment.zone());
        List<Occurrence> create = new ArrayList<>();
        List<Occurrence> replace = new ArrayList<>();
        // from two days back: a window that opened yesterday (or earlier, if long) may still be open
        for (Occurrence o : planner.plan(history, enrollment, today.minusDays(2), horizonEnd(enrollment, now))) {
            if (!o.window().closes().isAfter(now)) {
                continue;
            }
            Occurrence previous = byTask.get(o.taskId());
            Occurrence fresh = skipPastReminders(o, now);
            if (previous == null) {
                if (!openedSameQuestionnaire.contains(key(o.taskId().localDate(), o.questionnaire()))) {
                    create.add(fresh);
                }
            } else if (previous.status() == OccurrenceStatus.CANCELLED
                    && o.window().opens().isAfter(now)) {
                replace.add(fresh);
            }
        }
        return new Changes(create, replace, List.of());
    }

    /** A new zone (travel): from the next occurrence that has not opened, in both the old and the new zone. */
    public Changes changeZone(ProtocolHistory history, Enrollment moved, List<Occurrence> existing, Instant now) {
        List<Occurrence> replace = new ArrayList<>();
        for (Occurrence o : existing) {
            if (o.status() != OccurrenceStatus.PENDING
                    || !o.window().opens().isAfter(now)
                    || o.zone().equals(moved.zone())) {
                continue;
            }
            Optional<Protocol> version = history.version(o.taskId().protocolVersion());
            Optional<ScheduleEntry> entry = version.flatMap(p -> p.entries().stream()
                    .filter(e -> e.id().equals(o.taskId().entryId()))
                    .findFirst());
            if (entry.isEmpty()) {
                continue;
            }
            OccurrencePlanner.occurrenceOn(
                            version.get(),
                            entry.get(),
                            moved,
                            moved.zone(),
                            o.taskId().localDate())
                    .filter(n -> n.window().opens().isAfter(now))
                    .ifPresent(n -> replace.add(n.withProgress(o.progress())));
        }
        return new Changes(List.of(), replace, List.of());
    }

    /**
     * A new protocol version: occurrences of older versions on or after its effective date that
     * have not opened are cancelled, then what the history now defines is materialised.
     */
    public Changes applyVersion(
            ProtocolHistory history, Enrollment enrollment, List<Occurrence> existing, Instant now) {
        List<Occurrence> cancel = new ArrayList<>();
        List<Occurrence> kept = new ArrayList<>();
        for (Occurrence o : existing) {
            LocalDate date = o.taskId().localDate();
            int applicable = history.applicableOn(date)
                    .map(Protocol::version)
                    .orElse(o.taskId().protocolVersion());
            if (o.status() == OccurrenceStatus.PENDING
                    && o.window().opens().isAfter(now)
                    && o.taskId().protocolVersion() != applicable) {
                cancel.add(o.withProgress(o.progress().withStatus(OccurrenceStatus.CANCELLED)));
            } else {
                kept.add(o);
            }
        }
        List<Occurrence> withCancelled = new ArrayList<>(kept);
        withCancelled.addAll(cancel);
        Changes more = materialise(history, enrollment, withCancelled, now);
        return new Changes(more.create(), more.replace(), cancel);
    }

    /** A pause or a withdrawal: every pending occurrence whose window has not closed is cancelled. */
    public Changes stop(List<Occurrence> existing, Instant now) {
        List<Occurrence> cancel = new ArrayList<>();
        for (Occurrence o : existing) {
            if (o.status() == OccurrenceStatus.PENDING && o.window().closes().isAfter(now)) {
                cancel.add(o.withProgress(o.progress().withStatus(OccurrenceStatus.CANCELLED)));
            }
        }
        return new Changes(List.of(), List.of(), cancel);
    }

    private static Occurrence skipPastReminders(Occurrence o, Instant now) {
        int next = 0;
        while (next < o.reminders().size() && o.reminders().get(next).isBefore(now)) {
            next++;
        }
        Occurrence.Progress p = o.progress();
        return next == 0
                ? o
                : o.withProgress(new Occurrence.Progress(
                        p.status(), next, p.remindersSent(), p.reportId(), p.verdict(), p.alertOwed()));
    }

    private static Map<TaskId, Occurrence> index(List<Occurrence> existing) {
        Map<TaskId, Occurrence> byTask = new HashMap<>();
        existing.forEach(o -> byTask.put(o.taskId(), o));
        return byTask;
    }

    /** (date, questionnaire) pairs that already have a live occurrence whose window opened. */
    private static Set<String> openedByDateAndQuestionnaire(List<Occurrence> existing, Instant now) {
        Set<String> keys = new HashSet<>();
        for (Occurrence o : existing) {
            if (o.status() != OccurrenceStatus.CANCELLED && !o.window().opens().isAfter(now)) {
                keys.add(key(o.taskId().localDate(), o.questionnaire()));
            }
        }
        return keys;
    }

    private static String key(LocalDate date, String questionnaire) {
        return date + "|" + questionnaire;
    }
}
