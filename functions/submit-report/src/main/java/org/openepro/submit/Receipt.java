package org.openepro.submit;

import java.util.List;
import org.openepro.core.report.Report;
import org.openepro.core.report.Score;
import org.openepro.core.report.Times;

/**
 * What the patient app gets back for a stored report (and again for an idempotent repeat).
 *
 * @param taskId        the task it answered (absent when unscheduled)
 * @param windowVerdict {@code on-time}, {@code late}, {@code early} or {@code unscheduled}
 */
public record Receipt(
        String reportId,
        int version,
        String status,
        String questionnaire,
        String authored,
        String receivedAt,
        boolean onTime,
        List<Score> scores,
        String taskId,
        String windowVerdict) {
    public static Receipt of(Report r) {
        return new Receipt(
                r.reportId(),
                r.version(),
                r.status(),
                r.questionnaireCanonical(),
                r.authored(),
                Times.sortable(r.receivedAt()),
                r.onTime(),
                r.scores(),
                r.taskId(),
                r.windowVerdict() == null ? null : r.windowVerdict().code());
    }

    public String location() {
        return "/v1/reports/" + reportId;
    }
}
