package org.openepro.alert;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.openepro.core.audit.Actor;
import org.openepro.core.audit.AuditAction;
import org.openepro.core.audit.AuditEvent;
import org.openepro.core.audit.AuditLog;
import org.openepro.core.http.ApiException;
import org.openepro.core.http.Caller;
import org.openepro.core.http.ProblemType;
import org.openepro.core.log.Log;
import org.openepro.core.metrics.Metric;
import org.openepro.core.metrics.Metrics;

/**
 * What staff do with alerts: open one, list a study's alerts, and acknowledge one. Only staff with
 * the alerts scope who are assigned to the alert's study; every acknowledgement is audited.
 */
public final class AlertInbox {
    private static final Log LOG = Log.get(AlertInbox.class);

    private final AlertStore store;
    private final AuditLog audit;
    private final Metrics metrics;
    private final Clock clock;

    public AlertInbox(AlertStore store, AuditLog audit, Metrics metrics, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * The alert a nurse's message links to. Another study's alert is answered like an unknown one,
     * so an alert id (which travels in e-mails) does not tell outsiders that the alert exists.
     */
    public AlertRecord get(Caller caller, String alertId) {
        caller.requireScope(Caller.SCOPE_ALERTS);
        AlertRecord alert = store.get(alertId).orElseThrow(AlertInbox::notFound);
        if (!caller.assignedTo(alert.studyId())) {
            throw notFound();
        }
        return alert;
    }

    /**
     * Acknowledges the alert, with an audit event in the same transaction. A repeat returns the
     * acknowledgement already recorded (who and when), and audits nothing more. Another study's
     * alert is answered like an unknown one, as {@link #get} does.
     */
    public AlertRecord acknowledge(Caller caller, String alertId) {
        return acknowledge(caller, alertId, null);
    }

    /**
     * As {@link #acknowledge(Caller, String)}, with the nurse's optional note kept as the audit event's
     * reason (staff-written text: in the audit trail only, never in logs, metrics or messages).
     */
    public AlertRecord acknowledge(Caller caller, String alertId, String note) {
        AlertRecord alert = get(caller, alertId);
        if (alert.status() == AlertStatus.ACKNOWLEDGED) {
            return alert;
        }
        if (caller.tokenSubject().isBlank()) {
            throw ApiException.of(ProblemType.FORBIDDEN, "The token has no subject to record as the acknowledger.");
        }
        Instant now = clock.instant();
        AuditEvent event = AuditEvent.of(AuditAction.ALERT_ACKNOWLEDGED, Actor.staff(caller), now)
                .study(alert.studyId())
                .entity(alertId)
                .detail("reportId", alert.reportId())
                .detail("ruleId", alert.ruleId())
                .detail("severity", alert.severity().name())
                .reason(note)
                .build();
        if (store.acknowledge(alertId, caller.tokenSubject(), now, alert.raisedAt(), audit.transactionItem(event))) {
            AlertRecord acknowledged = store.get(alertId).orElseThrow(AlertInbox::notFound);
            long seconds =
                    acknowledged.timeToAcknowledge().map(Duration::toSeconds).orElse(0L);
            LOG.info(
                    "alert.acknowledged",
                    "alertId",
                    alertId,
                    "severity",
                    alert.severity().name(),
                    "timeToAcknowledgeSeconds",
                    seconds);
            metrics.milliseconds(Metric.ALERT_TIME_TO_ACKNOWLEDGE, seconds * 1000.0);
            return acknowledged;
        }
        // acknowledged by someone else between our read and our write: theirs stands
        return store.get(alertId).orElseThrow(AlertInbox::notFound);
    }

    /** A page of the study's alerts, newest first. */
    public AlertStore.Page list(
            Caller caller, String studyId, Optional<AlertStatus> status, int limit, Optional<String> afterStudySk) {
        caller.requireScope(Caller.SCOPE_ALERTS);
        requireAssigned(caller, studyId);
        return store.page(studyId, status, limit, afterStudySk);
    }

    private static void requireAssigned(Caller caller, String studyId) {
        if (!caller.assignedTo(studyId)) {
            throw ApiException.of(ProblemType.FORBIDDEN, "You are not assigned to this study.");
        }
    }

    private static ApiException notFound() {
        return ApiException.of(ProblemType.NOT_FOUND, "No such alert.");
    }
}
