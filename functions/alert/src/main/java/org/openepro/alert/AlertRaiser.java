package org.openepro.alert;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.openepro.core.log.Log;
import org.openepro.core.message.MissedPatternMessage;
import org.openepro.core.message.ReportMessage;
import org.openepro.core.questionnaire.AlertRule;
import org.openepro.core.report.Report;
import org.openepro.core.report.ReportStore;

/**
 * Raises the alerts of one report version: evaluates its questionnaire's rules, then for each
 * triggered rule claims the alert (conditional write), publishes it, and marks it published.
 * A redelivered or duplicated message finds the alert published and publishes nothing.
 *
 * <p><b>The one window left.</b> Publishing to SNS and marking the alert published are two
 * writes to two services; nothing makes them one. If the function dies after the topic accepted
 * the message but before {@code markPublished} (a crash, a timeout, a DynamoDB error), the alert
 * stays {@code PUBLISHING}; once its lease runs out, the message's redelivery claims it again and
 * publishes a second time. Standard SNS topics are at-least-once in any case (they may deliver one
 * publication twice), so exactly-once cannot hold end to end. What holds: every publication of an
 * alert carries the same {@code alertId} (derived from report and rule) as a message attribute and
 * in the body, so subscribers drop duplicates by that id; and the duplicate needs a failure
 * inside a window of one DynamoDB write.
 */
public final class AlertRaiser {
    /** What one message did. */
    public record Outcome(int published, int duplicates) {}

    private static final Log LOG = Log.get(AlertRaiser.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final ReportStore reports;
    private final AlertRuleEngine engine;
    private final AlertStore store;
    private final AlertPublisher publisher;
    private final Clock clock;
    private final Duration lease;
    private final Duration inProgressWait;

    /**
     * @param inProgressWait how long to wait for another worker's publication in progress (a
     *                       duplicate message in the same batch) before failing the record
     */
    public AlertRaiser(
            ReportStore reports,
            AlertRuleEngine engine,
            AlertStore store,
            AlertPublisher publisher,
            Clock clock,
            Duration lease,
            Duration inProgressWait) {
        this.reports = reports;
        this.engine = engine;
        this.store = store;
        this.publisher = publisher;
        this.clock = clock;
        this.lease = lease;
        this.inProgressWait = inProgressWait;
    }

    public Outcome raise(ReportMessage message) {
        Report report = reports.get(message.reportId(), message.version())
                .orElseThrow(() -> new IllegalStateException("report version not found"));
        if (message.studyId() != null && !message.studyId().equals(report.studyId())) {
            throw new IllegalStateException("message study does not match the stored report");
        }
        List<AlertRule> rules = engine.triggered(report, () -> reports.previousForSubject(report));
        int published = 0;
        int duplicates = 0;
        for (AlertRule rule : rules) {
            if (publishOnce(AlertRecord.raise(report, rule, clock.instant()))) {
                published++;
            } else {
                duplicates++;
            }
        }
        return new Outcome(published, duplicates);
    }

    /**
     * Raises the one alert of a run of missed windows: claimed, published and marked like a report's,
     * so a redelivered or repeated message publishes nothing.
     */
    public Outcome raise(MissedPatternMessage message) {
        return publishOnce(AlertRecord.missedPattern(message, clock.instant())) ? new Outcome(1, 0) : new Outcome(0, 1);
    }

    /** @return true when this call published the alert, false when it had been published before */
    private boolean publishOnce(AlertRecord candidate) {
        long giveUpAt = System.nanoTime() + inProgressWait.toNanos();
        while (true) {
            Instant now = clock.instant();
            Optional<AlertRecord> claimed = store.claim(candidate, now, lease);
            if (claimed.isPresent()) {
                AlertRecord alert = claimed.get();
                String messageId = publisher.publish(alert);
                // a crash here republishes after the lease, with the same alertId (see the class comment)
                store.markPublished(alert.alertId(), messageId, clock.instant());
                LOG.info(
                        "alert.published",
                        "alertId",
                        alert.alertId(),
                        "reportId",
                        alert.reportId(),
                        "ruleId",
                        alert.ruleId(),
                        "severity",
                        alert.severity().name());
                return true;
            }
            Optional<AlertRecord> existing = store.get(candidate.alertId());
            if (existing.isPresent() && existing.get().publishState() == PublishState.PUBLISHED) {
                LOG.info(
                        "alert.duplicate.suppressed",
                        "alertId",
                        candidate.alertId(),
                        "reportId",
                        candidate.reportId(),
                        "ruleId",
                        candidate.ruleId());
                return false;
            }
            if (System.nanoTime() >= giveUpAt) {
                // another worker holds the lease: fail the record, the next delivery finds it published
                // or the lease run out
                throw new IllegalStateException("alert publication in progress under another lease");
            }
            sleep();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a publication in progress", e);
        }
    }
}
