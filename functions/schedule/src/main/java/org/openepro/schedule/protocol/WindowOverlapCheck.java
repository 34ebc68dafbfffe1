package org.openepro.schedule.protocol;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openepro.core.http.Problem.FieldError;
import org.openepro.core.schedule.Enrollment;
import org.openepro.core.schedule.EnrollmentStatus;
import org.openepro.core.schedule.Occurrence;
import org.openepro.core.schedule.ScheduledSubject;
import org.openepro.schedule.plan.OccurrencePlanner;

/**
 * Refuses a protocol in which two windows of one questionnaire overlap: then a submission could
 * not say which occurrence it answers. Rather than reasoning about every pair of recurrence kinds,
 * it generates what a subject would get, with the planner itself: for an enrollment on each of
 * seven consecutive days (every weekday alignment), in every site's zone (so a window that
 * overlaps only on a daylight-saving day is found), over a year.
 */
public final class WindowOverlapCheck {
    static final int HORIZON_DAYS = 366;

    public List<FieldError> check(Protocol protocol) {
        Map<String, List<Integer>> byQuestionnaire = new LinkedHashMap<>();
        for (int i = 0; i < protocol.entries().size(); i++) {
            byQuestionnaire
                    .computeIfAbsent(protocol.entries().get(i).questionnaire(), q -> new ArrayList<>())
                    .add(i);
        }
        Set<ZoneId> zones = new LinkedHashSet<>();
        protocol.sites().forEach(s -> zones.add(s.zone()));
        Map<String, FieldError> errors = new LinkedHashMap<>();
        for (List<Integer> group : byQuestionnaire.values()) {
            Protocol only = new Protocol(
                    protocol.studyId(),
                    1,
                    protocol.effectiveFrom(),
                    protocol.sites(),
                    group.stream().map(protocol.entries()::get).toList());
            ProtocolHistory history = new ProtocolHistory(List.of(only));
            for (ZoneId zone : zones) {
                for (int shift = 0; shift < 7; shift++) {
                    LocalDate enrolled = protocol.effectiveFrom().plusDays(shift);
                    Enrollment e = new Enrollment(
                            new ScheduledSubject(protocol.studyId(), "check", "check"),
                            enrolled,
                            zone,
                            EnrollmentStatus.ACTIVE,
                            null);
                    firstOverlap(new OccurrencePlanner().plan(history, e, enrolled, enrolled.plusDays(HORIZON_DAYS)))
                            .forEach(pair -> report(protocol, group, pair, enrolled, zone, errors));
                }
            }
        }
        return List.copyOf(errors.values());
    }

    /** At most one overlapping pair (earlier, later) per later entry, in window order. */
    private static List<Occurrence[]> firstOverlap(List<Occurrence> occurrences) {
        List<Occurrence> sorted = new ArrayList<>(occurrences);
        sorted.sort(Comparator.comparing((Occurrence o) -> o.window().opens()));
        List<Occurrence[]> pairs = new ArrayList<>();
        Set<String> reported = new LinkedHashSet<>();
        Occurrence latestClosing = null;
        for (Occurrence o : sorted) {
            if (latestClosing != null
                    && latestClosing.window().overlaps(o.window())
                    && reported.add(
                            o.taskId().entryId() + "|" + latestClosing.taskId().entryId())) {
                pairs.add(new Occurrence[] {latestClosing, o});
            }
            if (latestClosing == null
                    || o.window().closes().isAfter(latestClosing.window().closes())) {
                latestClosing = o;
            }
        }
        return pairs;
    }

    private static void report(
            Protocol protocol,
            List<Integer> group,
            Occurrence[] pair,
            LocalDate enrolled,
            ZoneId zone,
            Map<String, FieldError> errors) {
        String later = pair[1].taskId().entryId();
        int index = group.stream()
                .filter(i -> protocol.entries().get(i).id().equals(later))
                .findFirst()
                .orElseThrow();
        String pointer = "/entries/" + index + "/window";
        long day = ChronoUnit.DAYS.between(enrolled, pair[1].taskId().localDate());
        String other = pair[0].taskId().entryId();
        errors.putIfAbsent(
                pointer,
                FieldError.at(
                        pointer,
                        "overlapping-windows",
                        (other.equals(later)
                                        ? "Consecutive windows of entry " + later
                                        : "Windows of entries " + other + " and " + later)
                                + " (same questionnaire) overlap, e.g. on day " + day + " after an enrollment on "
                                + enrolled + " in " + zone + "."));
    }
}
