package org.openepro.core.message;

import java.util.Objects;

/**
 * What submit-report puts on the index and alert queues when a report version is stored: ids
 * only. Consumers read the report from the table, so no answer ever travels through a queue, and
 * duplicates key on the report. JSON (type {@value ReportMessageCodec#TYPE}, schema 1):
 * {@code {"type":"report.stored","schemaVersion":1,"reportId":"…","version":1,"studyId":"…"}}.
 *
 * @param studyId optional: consumers check it against the stored report when present
 */
public record ReportMessage(String reportId, int version, String studyId) implements AlertQueueMessage {
    /** The contract's one codec. */
    public static final MessageCodec<ReportMessage> CODEC = new ReportMessageCodec();

    public ReportMessage {
        Objects.requireNonNull(reportId, "reportId");
        if (version < 1) {
            throw new IllegalArgumentException("a report version starts at 1");
        }
    }

    @Override
    public String serialisedBy() {
        return reportId;
    }
}
