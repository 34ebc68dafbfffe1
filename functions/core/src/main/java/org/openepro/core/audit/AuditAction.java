package org.openepro.core.audit;

/** Every change, request and disclosure OpenEPRO audits, each about one kind of entity. */
public enum AuditAction {
    REPORT_CREATED(EntityType.REPORT),
    REPORT_AMENDED(EntityType.REPORT),
    EXPORT_REQUESTED(EntityType.EXPORT),
    EXPORT_LINK_ISSUED(EntityType.EXPORT),
    ALERT_ACKNOWLEDGED(EntityType.ALERT),
    /** Staff read a report's answers (the console's report view). */
    REPORT_VIEWED(EntityType.REPORT),
    /** Staff read a subject's score history. */
    TIMELINE_VIEWED(EntityType.SUBJECT);

    private final EntityType entityType;

    AuditAction(EntityType entityType) {
        this.entityType = entityType;
    }

    public EntityType entityType() {
        return entityType;
    }
}
