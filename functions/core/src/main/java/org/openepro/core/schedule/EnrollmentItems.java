package org.openepro.core.schedule;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Maps an {@link Enrollment} to its schedule-table item and back. */
public final class EnrollmentItems {
    public static final String KIND_ENROLLMENT = "ENR";
    public static final String ENROLLED_ON = "enrolledOn";
    public static final String ZONE = "zone";
    public static final String STATUS = "status";
    public static final String STATUS_REASON = "statusReason";
    /** The protocol version the subject's occurrences were last planned with. */
    public static final String PLANNED_VERSION = "plannedVersion";

    public static final String UPDATED_AT = "updatedAt";
    public static final String UPDATED_BY = "updatedBy";

    private EnrollmentItems() {}

    public static Map<String, AttributeValue> key(String studyId, String subjectId) {
        return Map.of(
                ScheduleKeys.PK,
                AttributeValue.fromS(ScheduleKeys.enrollmentPk(studyId)),
                ScheduleKeys.SK,
                AttributeValue.fromS(ScheduleKeys.enrollmentSk(subjectId)));
    }

    public static Map<String, AttributeValue> toItem(Enrollment e) {
        Map<String, AttributeValue> item =
                new HashMap<>(key(e.subject().studyId(), e.subject().subjectId()));
        item.put(OccurrenceItems.KIND, AttributeValue.fromS(KIND_ENROLLMENT));
        item.put(OccurrenceItems.STUDY, AttributeValue.fromS(e.subject().studyId()));
        item.put(OccurrenceItems.SITE, AttributeValue.fromS(e.subject().siteId()));
        item.put(OccurrenceItems.SUBJECT, AttributeValue.fromS(e.subject().subjectId()));
        item.put(ENROLLED_ON, AttributeValue.fromS(e.enrolledOn().toString()));
        item.put(ZONE, AttributeValue.fromS(e.zone().getId()));
        item.put(STATUS, AttributeValue.fromS(e.status().name()));
        if (e.statusReason() != null) {
            item.put(STATUS_REASON, AttributeValue.fromS(e.statusReason()));
        }
        return item;
    }

    public static Enrollment fromItem(Map<String, AttributeValue> item) {
        AttributeValue reason = item.get(STATUS_REASON);
        return new Enrollment(
                new ScheduledSubject(
                        OccurrenceItems.str(item, OccurrenceItems.STUDY),
                        OccurrenceItems.str(item, OccurrenceItems.SITE),
                        OccurrenceItems.str(item, OccurrenceItems.SUBJECT)),
                LocalDate.parse(OccurrenceItems.str(item, ENROLLED_ON)),
                ZoneId.of(OccurrenceItems.str(item, ZONE)),
                EnrollmentStatus.valueOf(OccurrenceItems.str(item, STATUS)),
                reason == null ? null : reason.s());
    }

    public static int plannedVersion(Map<String, AttributeValue> item) {
        AttributeValue v = item.get(PLANNED_VERSION);
        return v == null || v.n() == null ? 0 : Integer.parseInt(v.n());
    }
}
