package org.openepro.core.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Keys of the schedule table. One table, items by kind:
 * <pre>
 *   protocol version   P#study              V#000001
 *   enrollment         E#study              S#subject                  (+ due index: top-up)
 *   occurrence         O#study#subject      2026-03-28#entry#v1        (+ due index: next event)
 *   compliance         C#study#STUDY        2026-03-28#shard
 *                      C#study#SITE         2026-03-28#site#shard
 *                      C#study#SUBJ         2026-03-28#site#subject
 *   scheduler cursor   SCHED                CURSOR
 * </pre>
 * The sparse {@code due} index is keyed by {@code dueBucket} (a 5-minute UTC slot and a shard) and
 * {@code dueAt}: the scheduler finds what falls due in a slot with one Query per shard, never a Scan.
 */
public final class ScheduleKeys {
    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String DUE_INDEX = "due";
    public static final String DUE_BUCKET = "dueBucket";
    public static final String DUE_AT = "dueAt";
    /** A slot of the scheduler: its rate in the template. */
    public static final Duration SLOT = Duration.ofMinutes(5);
    /** Shards of a slot and of the study/site counters, so that no single key takes every write of a slot. */
    public static final int SHARDS = 4;

    public static final String CURSOR_PK = "SCHED";
    public static final String CURSOR_SK = "CURSOR";

    private static final DateTimeFormatter SLOT_FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm").withZone(ZoneOffset.UTC);

    private ScheduleKeys() {}

    public static String protocolPk(String studyId) {
        return "P#" + studyId;
    }

    public static String protocolSk(int version) {
        return String.format("V#%06d", version);
    }

    public static String enrollmentPk(String studyId) {
        return "E#" + studyId;
    }

    public static String enrollmentSk(String subjectId) {
        return "S#" + subjectId;
    }

    public static String occurrencePk(String studyId, String subjectId) {
        return "O#" + studyId + "#" + subjectId;
    }

    public static String occurrenceSk(TaskId id) {
        return id.localDate() + "#" + id.entryId() + "#v" + id.protocolVersion();
    }

    /** The start of the slot holding {@code t}. */
    public static Instant slotStart(Instant t) {
        long slot = SLOT.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), slot) * slot);
    }

    public static String slot(Instant slotStart) {
        return SLOT_FORMAT.format(slotStart);
    }

    public static String dueBucket(Instant dueAt, String pk) {
        return slot(slotStart(dueAt)) + "#" + shard(pk);
    }

    public static String dueBucket(Instant slotStart, int shard) {
        return slot(slotStart) + "#" + shard;
    }

    /** Stable across JVMs: {@link String#hashCode} is specified. */
    public static int shard(String key) {
        return Math.floorMod(key.hashCode(), SHARDS);
    }

    public static String studyCounterPk(String studyId) {
        return "C#" + studyId + "#STUDY";
    }

    public static String studyCounterSk(LocalDate day, String subjectId) {
        return day + "#" + shard(subjectId);
    }

    public static String siteCounterPk(String studyId) {
        return "C#" + studyId + "#SITE";
    }

    public static String siteCounterSk(LocalDate day, String siteId, String subjectId) {
        return day + "#" + siteId + "#" + shard(subjectId);
    }

    public static String subjectCounterPk(String studyId) {
        return "C#" + studyId + "#SUBJ";
    }

    public static String subjectCounterSk(LocalDate day, String siteId, String subjectId) {
        return day + "#" + siteId + "#" + subjectId;
    }
}
