package org.openepro.core.metrics;

/**
 * Every business metric OpenEPRO emits, by its CloudWatch name, so a dashboard or an alarm can be
 * written from this list and no name is assembled at runtime. Grouped by the function that emits it.
 */
public enum Metric {
    // every API function, counted by the HTTP adapter
    REJECTED("Rejected"),
    UNAVAILABLE("Unavailable"),
    FAILED("Failed"),
    // every queue function, counted by the queue consumer
    RECORDS_FAILED("RecordsFailed"),
    MESSAGES_UNDECODABLE("MessagesUndecodable"),
    // submit-report and its outbox sweeper
    SUBMITTED("Submitted"),
    REPLAYED("Replayed"),
    ENQUEUED("Enqueued"),
    DELIVERY_DEFERRED("DeliveryDeferred"),
    OUTBOX_DELIVERED("OutboxDelivered"),
    OUTBOX_DEFERRED("OutboxDeferred"),
    // questionnaire publication
    QUESTIONNAIRES_PUBLISHED("QuestionnairesPublished"),
    QUESTIONNAIRE_PUBLICATIONS_REPEATED("QuestionnairePublicationsRepeated"),
    // index-report
    REPORTS_INDEXED("ReportsIndexed"),
    INDEX_DUPLICATES_SKIPPED("IndexDuplicatesSkipped"),
    // alert and the alert API
    ALERTS_PUBLISHED("AlertsPublished"),
    ALERT_DUPLICATES_SUPPRESSED("AlertDuplicatesSuppressed"),
    ALERT_TIME_TO_ACKNOWLEDGE("AlertTimeToAcknowledge"),
    // export API and worker
    EXPORTS_REQUESTED("ExportsRequested"),
    EXPORT_LINKS_ISSUED("ExportLinksIssued"),
    EXPORTS_SUCCEEDED("ExportsSucceeded"),
    EXPORTS_SUSPENDED("ExportsSuspended"),
    EXPORTS_FAILED("ExportsFailed"),
    EXPORTS_RETRYING("ExportsRetrying"),
    EXPORTS_SKIPPED("ExportsSkipped"),
    EXPORT_ROWS("ExportRows"),

    REMINDERS_SENT("RemindersSent"),
    WINDOWS_MISSED("WindowsMissed"),
    MISSED_PATTERN_ALERTS("MissedPatternAlerts"),
    SCHEDULE_EVENTS_FAILED("ScheduleEventsFailed");

    private final String cloudWatchName;

    Metric(String cloudWatchName) {
        this.cloudWatchName = cloudWatchName;
    }

    /** The name in CloudWatch (namespace {@value Metrics#NAMESPACE}). */
    public String cloudWatchName() {
        return cloudWatchName;
    }
}
