package org.openepro.core.report;

/**
 * What submit-report puts on the index and alert queues: ids only. Consumers read the report
 * from the table, so no answer ever travels through a queue, and duplicates key on the report.
 */
public record ReportMessage(String reportId, int version, String studyId) {
}
