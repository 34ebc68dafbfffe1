package org.openepro.core.schedule;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openepro.core.questionnaire.Severity;
import org.openepro.core.report.Times;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/** Maps an {@link Occurrence} to its schedule-table item and back; the attribute names live here only. */
public final class OccurrenceItems {
    public static final String KIND = "kind";
    public static final String KIND_OCCURRENCE = "OCC";
    public static final String STUDY = "studyId";
    public static final String SITE = "siteId";
    public static final String SUBJECT = "subjectId";
    public static final String ENTRY = "entryId";
    public static final String DATE = "localDate";
    public static final String VERSION = "protocolVersion";
    public static final String TASK = "taskId";
    public static final String QUESTIONNAIRE = "questionnaire";
    public static final String SEQUENCE = "sequence";
    public static final String ZONE = "zone";
    public static final String SCHEDULED_AT = "scheduledAt";
    public static final String OPENS_AT = "opensAt";
    public static final String CLOSES_AT = "closesAt";
    public static final String REMINDERS = "reminders";
    public static final String MISSED_CONSECUTIVE = "missedConsecutive";
    public static final String MISSED_SEVERITY = "missedSeverity";
    public static final String STATUS = "status";
    public static final String NEXT_REMINDER = "nextReminder";
    public static final String REMINDERS_SENT = "remindersSent";
    public static final String REPORT = "reportId";
    public static final String VERDICT = "verdict";
    public static final String ALERT_OWED = "alertOwed";
    public static final String LEASE_UNTIL = "leaseUntil";

    private OccurrenceItems() {}

    public static Map<String, AttributeValue> key(ScheduledSubject s, TaskId id) {
        return Map.of(
                ScheduleKeys.PK,
                AttributeValue.fromS(ScheduleKeys.occurrencePk(s.studyId(), s.subjectId())),
                ScheduleKeys.SK,
                AttributeValue.fromS(ScheduleKeys.occurrenceSk(id)));
    }

    public static Map<String, AttributeValue> key(Occurrence o) {
        return key(o.subject(), o.taskId());
    }

    /**
     * A transaction's update of one occurrence on a condition on what was read; both expressions name the status
     * {@code #status} (a reserved word).
     */
    public static TransactWriteItem statusUpdate(
            String table, Occurrence o, String update, String condition, Map<String, AttributeValue> values) {
        return TransactWriteItem.builder()
                .update(Update.builder()
                        .tableName(table)
                        .key(key(o))
                        .updateExpression(update)
                        .conditionExpression(condition)
                        .expressionAttributeNames(Map.of("#status", STATUS))
                        .expressionAttributeValues(values)
                        .build())
                .build();
    }

    public static String pk(Occurrence o) {
        return ScheduleKeys.occurrencePk(o.subject().studyId(), o.subject().subjectId());
    }

    public static Map<String, AttributeValue> toItem(Occurrence o) {
        Map<String, AttributeValue> item = new HashMap<>(key(o));
        item.put(KIND, s(KIND_OCCURRENCE));
        item.put(STUDY, s(o.subject().studyId()));
        item.put(SITE, s(o.subject().siteId()));
        item.put(SUBJECT, s(o.subject().subjectId()));
        item.put(ENTRY, s(o.taskId().entryId()));
        item.put(DATE, s(o.taskId().localDate().toString()));
        item.put(VERSION, n(o.taskId().protocolVersion()));
        item.put(TASK, s(o.taskId().toString()));
        item.put(QUESTIONNAIRE, s(o.questionnaire()));
        item.put(SEQUENCE, n(o.sequence()));
        item.put(ZONE, s(o.zone().getId()));
        item.put(SCHEDULED_AT, s(Times.sortable(o.scheduledAt())));
        item.put(OPENS_AT, s(Times.sortable(o.window().opens())));
        item.put(CLOSES_AT, s(Times.sortable(o.window().closes())));
        List<AttributeValue> reminders = new ArrayList<>(o.reminders().size());
        o.reminders().forEach(r -> reminders.add(s(Times.sortable(r))));
        item.put(REMINDERS, AttributeValue.fromL(reminders));
        if (o.missedAlert().enabled()) {
            item.put(MISSED_CONSECUTIVE, n(o.missedAlert().consecutive()));
            item.put(MISSED_SEVERITY, s(o.missedAlert().severity().name()));
        }
        Occurrence.Progress p = o.progress();
        item.put(STATUS, s(p.status().name()));
        item.put(NEXT_REMINDER, n(p.nextReminder()));
        item.put(REMINDERS_SENT, n(p.remindersSent()));
        if (p.reportId() != null) {
            item.put(REPORT, s(p.reportId()));
        }
        if (p.verdict() != null) {
            item.put(VERDICT, s(p.verdict().name()));
        }
        if (p.alertOwed()) {
            item.put(ALERT_OWED, AttributeValue.fromBool(true));
        }
        o.nextDue().ifPresent(due -> {
            item.put(ScheduleKeys.DUE_BUCKET, s(ScheduleKeys.dueBucket(due.at(), pk(o))));
            item.put(ScheduleKeys.DUE_AT, s(Times.sortable(due.at())));
        });
        return item;
    }

    public static Occurrence fromItem(Map<String, AttributeValue> item) {
        ScheduledSubject subject = new ScheduledSubject(str(item, STUDY), str(item, SITE), str(item, SUBJECT));
        TaskId id = new TaskId(str(item, ENTRY), LocalDate.parse(str(item, DATE)), num(item, VERSION));
        List<Instant> reminders = new ArrayList<>();
        AttributeValue list = item.get(REMINDERS);
        if (list != null && list.hasL()) {
            list.l().forEach(v -> reminders.add(Times.parse(v.s())));
        }
        MissedAlertRule rule = item.containsKey(MISSED_CONSECUTIVE)
                ? new MissedAlertRule(num(item, MISSED_CONSECUTIVE), Severity.valueOf(str(item, MISSED_SEVERITY)))
                : MissedAlertRule.NONE;
        AttributeValue verdict = item.get(VERDICT);
        AttributeValue owed = item.get(ALERT_OWED);
        Occurrence.Progress progress = new Occurrence.Progress(
                OccurrenceStatus.valueOf(str(item, STATUS)),
                num(item, NEXT_REMINDER),
                num(item, REMINDERS_SENT),
                item.containsKey(REPORT) ? str(item, REPORT) : null,
                verdict == null ? null : WindowVerdict.valueOf(verdict.s()),
                owed != null && Boolean.TRUE.equals(owed.bool()));
        return new Occurrence(
                subject,
                id,
                str(item, QUESTIONNAIRE),
                num(item, SEQUENCE),
                ZoneId.of(str(item, ZONE)),
                Times.parse(str(item, SCHEDULED_AT)),
                new Window(Times.parse(str(item, OPENS_AT)), Times.parse(str(item, CLOSES_AT))),
                reminders,
                rule,
                progress);
    }

    public static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    public static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        if (v == null || v.s() == null) {
            throw new IllegalStateException("schedule item without " + name);
        }
        return v.s();
    }

    static int num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        if (v == null || v.n() == null) {
            throw new IllegalStateException("schedule item without " + name);
        }
        return Integer.parseInt(v.n());
    }
}
