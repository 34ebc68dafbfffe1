package org.openepro.core.schedule;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The compliance counters an occurrence's change moves: its subject's day, its site's day and its
 * study's day (the last two sharded by subject), all on the occurrence's local date. They are
 * items of the same transaction as the occurrence's conditional change, so a count moves exactly
 * once however often the change is tried.
 */
public final class ComplianceCounters {
    public static final String EXPECTED = "expected";
    public static final String ON_TIME = "onTime";
    public static final String LATE = "late";
    public static final String MISSED = "missed";
    public static final String DAY = "day";

    private final String table;

    public ComplianceCounters(String table) {
        this.table = table;
    }

    public List<TransactWriteItem> updates(ScheduledSubject s, LocalDate day, ComplianceDelta d) {
        return List.of(
                update(
                        ScheduleKeys.studyCounterPk(s.studyId()),
                        ScheduleKeys.studyCounterSk(day, s.subjectId()),
                        s,
                        day,
                        d,
                        false,
                        false),
                update(
                        ScheduleKeys.siteCounterPk(s.studyId()),
                        ScheduleKeys.siteCounterSk(day, s.siteId(), s.subjectId()),
                        s,
                        day,
                        d,
                        true,
                        false),
                update(
                        ScheduleKeys.subjectCounterPk(s.studyId()),
                        ScheduleKeys.subjectCounterSk(day, s.siteId(), s.subjectId()),
                        s,
                        day,
                        d,
                        true,
                        true));
    }

    private TransactWriteItem update(
            String pk, String sk, ScheduledSubject s, LocalDate day, ComplianceDelta d, boolean site, boolean subject) {
        StringBuilder set = new StringBuilder(" SET studyId = :study, #day = :day");
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":e",
                OccurrenceItems.n(d.expected()),
                ":o",
                OccurrenceItems.n(d.onTime()),
                ":l",
                OccurrenceItems.n(d.late()),
                ":m",
                OccurrenceItems.n(d.missed()),
                ":study",
                OccurrenceItems.s(s.studyId()),
                ":day",
                OccurrenceItems.s(day.toString())));
        if (site) {
            set.append(", siteId = :site");
            values.put(":site", OccurrenceItems.s(s.siteId()));
        }
        if (subject) {
            set.append(", subjectId = :subject");
            values.put(":subject", OccurrenceItems.s(s.subjectId()));
        }
        return TransactWriteItem.builder()
                .update(Update.builder()
                        .tableName(table)
                        .key(Map.of(ScheduleKeys.PK, OccurrenceItems.s(pk), ScheduleKeys.SK, OccurrenceItems.s(sk)))
                        .updateExpression("ADD expected :e, onTime :o, late :l, missed :m" + set)
                        .expressionAttributeNames(Map.of("#day", DAY))
                        .expressionAttributeValues(values)
                        .build())
                .build();
    }
}
