package org.openepro.alert;

import org.openepro.core.report.Times;

/**
 * The nurse-alerts topic message: ids, rule, severity, questionnaire and where staff open the
 * alert. Never an answer, a score value, free text, a name or contact data: nurses read the
 * details in the staff console, behind authentication.
 */
public record AlertMessage(
        String type,
        String alertId,
        String reportId,
        int version,
        String studyId,
        String siteId,
        String subjectId,
        String ruleId,
        String severity,
        String questionnaire,
        String raisedAt,
        String link) {
    public static final String TYPE = "openepro.alert.v1";

    public static AlertMessage of(AlertRecord a) {
        return new AlertMessage(
                TYPE,
                a.alertId(),
                a.reportId(),
                a.version(),
                a.studyId(),
                a.siteId(),
                a.subjectId(),
                a.ruleId(),
                a.severity().name(),
                a.questionnaire(),
                Times.sortable(a.raisedAt()),
                a.link());
    }
}
