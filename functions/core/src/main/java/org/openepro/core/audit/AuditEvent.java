package org.openepro.core.audit;

import java.time.Instant;
import java.util.Map;

/**
 * Who did what, when and why. Ids only: the actor is the token subject, the entity a report,
 * export or alert id; {@code details} holds ids and codes, never answers or contact data.
 */
public record AuditEvent(String eventId, String studyId, String action, String actor, String actorRole,
                         Instant at, String entityType, String entityId, String reason, Map<String, String> details) {
    public AuditEvent {
        details = Map.copyOf(details);
    }

    public static final String REPORT_CREATED = "REPORT_CREATED";
    public static final String REPORT_AMENDED = "REPORT_AMENDED";
    public static final String EXPORT_REQUESTED = "EXPORT_REQUESTED";
    public static final String EXPORT_LINK_ISSUED = "EXPORT_LINK_ISSUED";
    public static final String ALERT_ACKNOWLEDGED = "ALERT_ACKNOWLEDGED";
    /** Staff read a report's answers (the console's report view). */
    public static final String REPORT_VIEWED = "REPORT_VIEWED";
    /** Staff read a subject's score history. */
    public static final String TIMELINE_VIEWED = "TIMELINE_VIEWED";
}
