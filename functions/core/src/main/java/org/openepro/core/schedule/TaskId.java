package org.openepro.core.schedule;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The id of one occurrence of a schedule entry for one subject, as the app sees it in
 * {@code Task.id}: {@code <entryId>.<local date>.v<protocol version>}, e.g.
 * {@code pain-daily.2026-03-28.v1}. An entry has at most one occurrence per local date, so the
 * id is stable whatever the subject's zone does (travel moves its times, not its id), and the
 * version keeps an occurrence of an old protocol apart from its successor.
 */
public record TaskId(String entryId, LocalDate localDate, int protocolVersion) {
    /** What a schedule entry id may look like: it appears in ids, keys and message attributes. */
    public static final Pattern ENTRY_ID = Pattern.compile("[A-Za-z0-9_-]{1,40}");

    private static final Pattern FORM =
            Pattern.compile("([A-Za-z0-9_-]{1,40})\\.(\\d{4}-\\d{2}-\\d{2})\\.v([1-9]\\d{0,5})");

    public TaskId {
        if (entryId == null || !ENTRY_ID.matcher(entryId).matches()) {
            throw new IllegalArgumentException("entry id must match " + ENTRY_ID.pattern());
        }
        if (localDate == null || protocolVersion < 1) {
            throw new IllegalArgumentException("a task id needs a date and a protocol version >= 1");
        }
    }

    /** Reads the app's form; empty for anything else (the caller answers 422 or 404). */
    public static Optional<TaskId> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        Matcher m = FORM.matcher(value);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new TaskId(m.group(1), LocalDate.parse(m.group(2)), Integer.parseInt(m.group(3))));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return entryId + "." + localDate + ".v" + protocolVersion;
    }
}
