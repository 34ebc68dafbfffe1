package org.openepro.alert;

import java.time.Duration;
import java.util.List;
import org.openepro.core.report.Times;

/** An alert as staff see it through the API: ids, rule, severity and its acknowledgement. */
public record AlertView(
        String alertId,
        String reportId,
        int version,
        String studyId,
        String siteId,
        String subjectId,
        String questionnaireId,
        String questionnaire,
        String ruleId,
        String severity,
        String status,
        String raisedAt,
        String acknowledgedAt,
        String acknowledgedBy,
        Long timeToAcknowledgeSeconds,
        String link) {

    public static AlertView of(AlertRecord a) {
        return new AlertView(
                a.alertId(),
                a.reportId(),
                a.version(),
                a.studyId(),
                a.siteId(),
                a.subjectId(),
                a.questionnaireId(),
                a.questionnaire(),
                a.ruleId(),
                a.severity().name(),
                a.status().name(),
                Times.sortable(a.raisedAt()),
                a.acknowledgedAt() == null ? null : Times.sortable(a.acknowledgedAt()),
                a.acknowledgedBy(),
                a.timeToAcknowledge().map(Duration::toSeconds).orElse(null),
                a.link());
    }

    /** One page of a study's alerts; {@code next} is opaque and absent on the last page. */
    public record Page(List<AlertView> items, String next) {}
}
