package org.openepro.schedule.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import org.openepro.core.http.Problem.FieldError;
import org.openepro.core.questionnaire.Severity;
import org.openepro.core.schedule.MissedAlertRule;
import org.openepro.core.schedule.TaskId;

/**
 * Reads a protocol document (the body of {@code PUT /v1/studies/{studyId}/protocol}) and checks it,
 * collecting every field error with its JSON pointer rather than stopping at the first; the caller
 * renders them (422 problem+json). Checks that need generated occurrences (overlapping windows)
 * are {@link WindowOverlapCheck}'s; {@link ProtocolValidator} runs both.
 */
public final class ProtocolParser {
    public static final int MAX_SITES = 500;
    public static final int MAX_ENTRIES = 50;
    public static final int MAX_REMINDERS = 10;
    public static final int MAX_DAY = 3660;
    public static final Duration MAX_OFFSET = Duration.ofDays(31);
    private static final Pattern SITE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern CANONICAL = Pattern.compile("https?://\\S{1,500}\\|[0-9A-Za-z.+-]{1,40}");
    private static final LocalDate REFERENCE_DATE = LocalDate.of(2026, 1, 5);
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    /**
     * The parsed protocol (version 0 until stored); when {@code errors} is not empty it holds only
     * what could be read (the rest of the checks still run on it, so every error is reported at once).
     */
    public record Result(Protocol protocol, List<FieldError> errors) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    private final QuestionnaireLookup questionnaires;

    public ProtocolParser(QuestionnaireLookup questionnaires) {
        this.questionnaires = questionnaires;
    }

    public Result parse(String studyId, JsonNode doc) {
        List<FieldError> errors = new ArrayList<>();
        if (doc == null || !doc.isObject()) {
            errors.add(FieldError.at("", "not-an-object", "The protocol must be a JSON object."));
            return new Result(null, errors);
        }
        LocalDate effectiveFrom = date(doc.get("effectiveFrom"), "/effectiveFrom", errors);
        List<Site> sites = sites(doc.get("sites"), errors);
        List<ScheduleEntry> entries = entries(studyId, doc.get("entries"), errors);
        // an unreadable date still lets the other checks run, on a reference date
        LocalDate from = effectiveFrom == null ? REFERENCE_DATE : effectiveFrom;
        return new Result(new Protocol(studyId, 0, from, sites, entries), errors);
    }

    private static List<Site> sites(JsonNode node, List<FieldError> errors) {
        List<Site> sites = new ArrayList<>();
        if (!nonEmptyArray(node, "/sites", MAX_SITES, errors)) {
            return sites;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String at = "/sites/" + i;
            JsonNode s = node.get(i);
            String id = text(
                    s.get("siteId"), at + "/siteId", SITE_ID, "a site id of letters, digits, '.', '_' or '-'", errors);
            if (id != null && !seen.add(id)) {
                errors.add(FieldError.at(at + "/siteId", "duplicate", "Site " + id + " is listed twice."));
            }
            ZoneId zone = zone(s.get("timeZone"), at + "/timeZone", errors);
            if (id != null && zone != null) {
                sites.add(new Site(id, zone));
            }
        }
        return sites;
    }

    private List<ScheduleEntry> entries(String studyId, JsonNode node, List<FieldError> errors) {
        List<ScheduleEntry> entries = new ArrayList<>();
        if (!nonEmptyArray(node, "/entries", MAX_ENTRIES, errors)) {
            return entries;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String at = "/entries/" + i;
            JsonNode e = node.get(i);
            if (!e.isObject()) {
                errors.add(FieldError.at(at, "not-an-object", "Each entry is a JSON object."));
                continue;
            }
            String id = text(e.get("id"), at + "/id", TaskId.ENTRY_ID, "1-40 letters, digits, '_' or '-'", errors);
            if (id != null && !seen.add(id)) {
                errors.add(FieldError.at(at + "/id", "duplicate", "Entry " + id + " is listed twice."));
            }
            String questionnaire =
                    text(e.get("questionnaire"), at + "/questionnaire", CANONICAL, "a canonical url|version", errors);
            if (questionnaire != null) {
                QuestionnaireLookup.Availability named = questionnaires.availability(studyId, questionnaire);
                if (named == QuestionnaireLookup.Availability.UNKNOWN) {
                    errors.add(FieldError.at(
                            at + "/questionnaire",
                            "unknown-questionnaire",
                            "No questionnaire " + questionnaire + " is available to this study."));
                } else if (named == QuestionnaireLookup.Availability.RETIRED) {
                    errors.add(FieldError.at(
                            at + "/questionnaire",
                            "retired-questionnaire",
                            "Questionnaire " + questionnaire
                                    + " is retired and takes no new responses; schedule a published version."));
                }
            }
            Recurrence recurrence = recurrence(e.get("recurrence"), at + "/recurrence", errors);
            Duration opens = null;
            Duration closes = null;
            JsonNode window = e.get("window");
            if (window == null || !window.isObject()) {
                errors.add(FieldError.at(at + "/window", "required", "A window {opens, closes} is required."));
            } else {
                opens = offset(window.get("opens"), at + "/window/opens", errors);
                closes = offset(window.get("closes"), at + "/window/closes", errors);
                if (opens != null && closes != null && closes.compareTo(opens) <= 0) {
                    errors.add(FieldError.at(
                            at + "/window/closes",
                            "window-closes-before-it-opens",
                            "The window must close after it opens."));
                }
            }
            List<Duration> reminders = reminders(e.get("reminders"), at + "/reminders", opens, closes, errors);
            ScheduleEnd end = end(e.get("end"), at + "/end", errors);
            MissedAlertRule missed = missedAlert(e.get("missedAlert"), at + "/missedAlert", errors);
            boolean readable = id != null
                    && questionnaire != null
                    && recurrence != null
                    && opens != null
                    && closes != null
                    && closes.compareTo(opens) > 0;
            if (readable) {
                entries.add(new ScheduleEntry(id, questionnaire, recurrence, opens, closes, reminders, end, missed));
            }
        }
        return entries;
    }

    private static Recurrence recurrence(JsonNode r, String at, List<FieldError> errors) {
        if (r == null || !r.isObject()) {
            errors.add(FieldError.at(at, "required", "A recurrence {type, at, ...} is required."));
            return null;
        }
        LocalTime time = time(r.get("at"), at + "/at", errors);
        String type = r.path("type").asText("");
        int startDay = r.has("startDay") ? dayNumber(r.get("startDay"), at + "/startDay", errors) : 0;
        switch (type) {
            case "enrollment" -> {
                JsonNode days = r.get("days");
                if (!nonEmptyArray(days, at + "/days", 400, errors)) {
                    return null;
                }
                List<Integer> list = new ArrayList<>();
                for (int i = 0; i < days.size(); i++) {
                    int d = dayNumber(days.get(i), at + "/days/" + i, errors);
                    if (d >= 0 && !list.isEmpty() && d <= list.getLast()) {
                        errors.add(FieldError.at(
                                at + "/days/" + i, "not-ascending", "Enrollment days must be strictly ascending."));
                    }
                    list.add(d);
                }
                return time == null ? null : new Recurrence.EnrollmentDays(list, time);
            }
            case "daily" -> {
                return time == null || startDay < 0 ? null : new Recurrence.Daily(time, startDay);
            }
            case "weekly" -> {
                DayOfWeek day = null;
                try {
                    day = DayOfWeek.valueOf(r.path("dayOfWeek").asText("").toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException ex) {
                    errors.add(FieldError.at(at + "/dayOfWeek", "invalid", "A weekday, e.g. MONDAY."));
                }
                return time == null || day == null || startDay < 0 ? null : new Recurrence.Weekly(day, time, startDay);
            }
            case "every-n-days" -> {
                JsonNode n = r.get("intervalDays");
                if (n == null || !n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 1 || n.asInt() > 366) {
                    errors.add(FieldError.at(at + "/intervalDays", "invalid", "An integer from 1 to 366."));
                    return null;
                }
                return time == null || startDay < 0 ? null : new Recurrence.EveryNDays(n.asInt(), time, startDay);
            }
            default -> {
                errors.add(FieldError.at(
                        at + "/type", "unknown-recurrence", "One of enrollment, daily, weekly, every-n-days."));
                return null;
            }
        }
    }

    private static List<Duration> reminders(
            JsonNode node, String at, Duration opens, Duration closes, List<FieldError> errors) {
        List<Duration> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray() || node.size() > MAX_REMINDERS) {
            errors.add(FieldError.at(at, "invalid", "A list of at most " + MAX_REMINDERS + " offsets."));
            return out;
        }
        for (int i = 0; i < node.size(); i++) {
            Duration d = offset(node.get(i), at + "/" + i, errors);
            if (d == null) {
                continue;
            }
            if (opens != null && closes != null && (d.compareTo(opens) < 0 || d.compareTo(closes) >= 0)) {
                errors.add(FieldError.at(
                        at + "/" + i,
                        "reminder-outside-window",
                        "A reminder must fall inside the window (at or after it opens, before it closes)."));
            }
            if (!out.isEmpty() && d.compareTo(out.getLast()) <= 0) {
                errors.add(FieldError.at(at + "/" + i, "not-ascending", "Reminders must be strictly ascending."));
            }
            out.add(d);
        }
        return out;
    }

    private static ScheduleEnd end(JsonNode node, String at, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return ScheduleEnd.NEVER;
        }
        if (!node.isObject()) {
            errors.add(FieldError.at(at, "invalid", "An object {afterOccurrences} or {lastDay}."));
            return ScheduleEnd.NEVER;
        }
        OptionalInt after = OptionalInt.empty();
        OptionalInt last = OptionalInt.empty();
        if (node.has("afterOccurrences")) {
            JsonNode n = node.get("afterOccurrences");
            if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1 || n.asInt() > 10_000) {
                errors.add(FieldError.at(at + "/afterOccurrences", "invalid", "An integer from 1 to 10000."));
            } else {
                after = OptionalInt.of(n.asInt());
            }
        }
        if (node.has("lastDay")) {
            int d = dayNumber(node.get("lastDay"), at + "/lastDay", errors);
            if (d >= 0) {
                last = OptionalInt.of(d);
            }
        }
        return new ScheduleEnd(after, last);
    }

    private static MissedAlertRule missedAlert(JsonNode node, String at, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return MissedAlertRule.NONE;
        }
        JsonNode n = node.get("consecutive");
        int consecutive = 0;
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1 || n.asInt() > 100) {
            errors.add(FieldError.at(at + "/consecutive", "invalid", "An integer from 1 to 100."));
        } else {
            consecutive = n.asInt();
        }
        Severity severity = null;
        try {
            severity = Severity.valueOf(node.path("severity").asText(""));
        } catch (IllegalArgumentException e) {
            errors.add(FieldError.at(at + "/severity", "invalid", "One of URGENT, HIGH, MEDIUM, LOW."));
        }
        return consecutive > 0 && severity != null ? new MissedAlertRule(consecutive, severity) : MissedAlertRule.NONE;
    }

    private static boolean nonEmptyArray(JsonNode node, String at, int max, List<FieldError> errors) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            errors.add(FieldError.at(at, "required", "A non-empty list is required."));
            return false;
        }
        if (node.size() > max) {
            errors.add(FieldError.at(at, "too-many", "At most " + max + " are allowed."));
            return false;
        }
        return true;
    }

    private static String text(JsonNode node, String at, Pattern pattern, String expected, List<FieldError> errors) {
        if (node == null || !node.isTextual() || !pattern.matcher(node.asText()).matches()) {
            errors.add(FieldError.at(at, node == null ? "required" : "invalid", "Expected " + expected + "."));
            return null;
        }
        return node.asText();
    }

    private static LocalDate date(JsonNode node, String at, List<FieldError> errors) {
        try {
            if (node != null && node.isTextual()) {
                return LocalDate.parse(node.asText());
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        errors.add(FieldError.at(at, node == null ? "required" : "invalid", "Expected a date, e.g. 2026-03-01."));
        return null;
    }

    private static LocalTime time(JsonNode node, String at, List<FieldError> errors) {
        try {
            if (node != null && node.isTextual() && node.asText().length() == 5) {
                return LocalTime.parse(node.asText(), HH_MM);
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        errors.add(
                FieldError.at(at, node == null ? "required" : "invalid", "Expected a local time HH:mm, e.g. 20:00."));
        return null;
    }

    /** Only region ids of the JDK's tz database: a fixed offset would not follow the patient's DST. */
    private static ZoneId zone(JsonNode node, String at, List<FieldError> errors) {
        if (node != null && node.isTextual() && ZoneId.getAvailableZoneIds().contains(node.asText())) {
            try {
                return ZoneId.of(node.asText());
            } catch (DateTimeException e) {
                // reported below
            }
        }
        errors.add(FieldError.at(
                at,
                node == null ? "required" : "unknown-time-zone",
                "Expected an IANA time zone, e.g. Europe/Berlin."));
        return null;
    }

    /** An ISO-8601 duration in hours, minutes and seconds, within a month either way. */
    private static Duration offset(JsonNode node, String at, List<FieldError> errors) {
        try {
            if (node != null && node.isTextual()) {
                Duration d = Duration.parse(node.asText());
                if (d.abs().compareTo(MAX_OFFSET) <= 0) {
                    return d;
                }
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        errors.add(FieldError.at(
                at,
                node == null ? "required" : "invalid",
                "Expected an ISO-8601 duration within 31 days, e.g. PT4H or -PT30M."));
        return null;
    }

    private static int dayNumber(JsonNode node, String at, List<FieldError> errors) {
        if (node == null
                || !node.isIntegralNumber()
                || !node.canConvertToInt()
                || node.asInt() < 0
                || node.asInt() > MAX_DAY) {
            errors.add(FieldError.at(at, "invalid", "A day offset from enrollment, 0 to " + MAX_DAY + "."));
            return -1;
        }
        return node.asInt();
    }
}
