package org.openepro.alert;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.openepro.core.message.MissedPatternMessage;
import org.openepro.core.questionnaire.AlertRule;
import org.openepro.core.questionnaire.Severity;
import org.openepro.core.report.Report;

/**
 * One alert: a rule a report triggered. There is exactly one per (report, rule), whatever the
 * number of deliveries or versions, because its id is derived from both. Ids only: no answer,
 * score value or text of the patient's.
 *
 * @param reportId     the report that raised it; absent for a missed-window alert
 * @param version      the report version that raised it (0 for a missed-window alert)
 * @param leaseUntil   while {@code PUBLISHING}: until when the claiming worker owns publication
 */
public record AlertRecord(
        String alertId,
        String reportId,
        int version,
        String studyId,
        String siteId,
        String subjectId,
        String questionnaireId,
        String questionnaire,
        String ruleId,
        Severity severity,
        AlertStatus status,
        PublishState publishState,
        Instant raisedAt,
        Instant leaseUntil,
        Instant publishedAt,
        Instant acknowledgedAt,
        String acknowledgedBy) {

    /** The deterministic id of the alert a rule raises for a report. */
    public static String alertId(String reportId, String ruleId) {
        return UUID.nameUUIDFromBytes((reportId + "|" + ruleId).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /** A new, open alert for this report and rule, about to be claimed for publication. */
    public static AlertRecord raise(Report report, AlertRule rule, Instant now) {
        return new AlertRecord(
                alertId(report.reportId(), rule.id()),
                report.reportId(),
                report.version(),
                report.studyId(),
                report.siteId(),
                report.subjectId(),
                report.questionnaireId(),
                report.questionnaireCanonical(),
                rule.id(),
                rule.severity(),
                AlertStatus.OPEN,
                PublishState.PUBLISHING,
                now,
                null,
                null,
                null,
                null);
    }

    /** The rule id of a missed-window alert: {@code missed-pattern:<schedule entry>}. */
    public static String missedPatternRuleId(String entryId) {
        return "missed-pattern:" + entryId;
    }

    /**
     * A new, open alert for a run of missed windows: no report raised it ({@code reportId} absent,
     * version 0); its id comes with the message, derived from the subject and the occurrence that
     * completed the run.
     */
    public static AlertRecord missedPattern(MissedPatternMessage m, Instant now) {
        return new AlertRecord(
                m.alertId(),
                null,
                0,
                m.studyId(),
                m.siteId(),
                m.subjectId(),
                m.questionnaireId(),
                m.questionnaire(),
                missedPatternRuleId(m.entryId()),
                Severity.valueOf(m.severity()),
                AlertStatus.OPEN,
                PublishState.PUBLISHING,
                now,
                null,
                null,
                null,
                null);
    }

    /** From raising to acknowledgement, once acknowledged. */
    public Optional<Duration> timeToAcknowledge() {
        return acknowledgedAt == null ? Optional.empty() : Optional.of(Duration.between(raisedAt, acknowledgedAt));
    }

    /** Where staff open it (relative to the API's base URL). */
    public String link() {
        return "/v1/alerts/" + alertId;
    }
}
