package org.openepro.alert;

import java.time.Duration;
import java.util.Map;
import org.openepro.core.batch.BatchSettings;
import org.openepro.core.config.Env;

/**
 * The alert function's configuration, read once per container.
 *
 * @param publishLease how long a claim owns an alert's publication: longer than the function's
 *                     timeout (a live publisher is never overtaken), shorter than the queue's
 *                     visibility timeout (a crashed one is retried on the next delivery)
 * @param questionnairesTable the studies' published questionnaires, whose alert rules are read from it
 */
public record AlertConfig(
        String reportsTable,
        String alertsTable,
        String topicArn,
        Duration publishLease,
        BatchSettings batch,
        String questionnairesTable) {
    public static AlertConfig fromEnv(Map<String, String> env) {
        return new AlertConfig(
                Env.required(env, "REPORTS_TABLE"),
                Env.required(env, "ALERTS_TABLE"),
                Env.required(env, "NURSE_ALERTS_TOPIC_ARN"),
                Duration.ofSeconds(Env.integer(env, "ALERT_PUBLISH_LEASE_SECONDS", 60)),
                BatchSettings.fromEnv(env),
                Env.required(env, "QUESTIONNAIRES_TABLE"));
    }
}
