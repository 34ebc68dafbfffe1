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
    TIMELINE_VIEWED(EntityType.SUBJECT),
    /** A study designer published a questionnaire version (entity: its url|version). */
    QUESTIONNAIRE_PUBLISHED(EntityType.QUESTIONNAIRE),
    /** A study designer retired a questionnaire version: no new responses to it. */
    QUESTIONNAIRE_RETIRED(EntityType.QUESTIONNAIRE),
    /** A study designer chose which built-in instruments the study uses (entity: the study). */
    QUESTIONNAIRES_SELECTED(EntityType.STUDY),
    /** A study designer published a new version of the study's schedule protocol. */
    PROTOCOL_VERSION_CREATED(EntityType.PROTOCOL),
    SUBJECT_ENROLLED(EntityType.SUBJECT),
    SUBJECT_WITHDRAWN(EntityType.SUBJECT),
    SUBJECT_PAUSED(EntityType.SUBJECT),
    SUBJECT_RESUMED(EntityType.SUBJECT),
    /** The subject's time zone changed (travel, a move): the schedule follows from the next occurrence. */
    SUBJECT_ZONE_CHANGED(EntityType.SUBJECT);

    private final EntityType entityType;

    AuditAction(EntityType entityType) {
        this.entityType = entityType;
    }

    public EntityType entityType() {
        return entityType;
    }
}
