package org.openepro.schedule;

import java.time.Duration;
import java.util.Map;
import org.openepro.core.config.Env;

/**
 * The schedule functions' configuration, read once per container (every variable they read is read here).
 *
 * @param remindersTopicArn the participant-reminders topic (the scheduler only)
 * @param alertQueueUrl     where a missed-window pattern goes (the scheduler only)
 * @param auditTable        where protocol and enrollment changes are audited (the API only)
 * @param questionnairesTable the studies' published questionnaires, which a protocol may name (the API only)
 */
public record ScheduleConfig(
        String scheduleTable,
        String remindersTopicArn,
        String alertQueueUrl,
        String auditTable,
        Duration reminderLease,
        int concurrency,
        String questionnairesTable) {
    public static ScheduleConfig scheduler(Map<String, String> env) {
        return new ScheduleConfig(
                Env.required(env, "SCHEDULE_TABLE"),
                Env.required(env, "REMINDERS_TOPIC_ARN"),
                Env.required(env, "ALERT_QUEUE_URL"),
                null,
                Duration.ofSeconds(Env.integer(env, "REMINDER_LEASE_SECONDS", 60)),
                Env.integer(env, "SCHEDULER_CONCURRENCY", 16),
                null);
    }

    public static ScheduleConfig api(Map<String, String> env) {
        return new ScheduleConfig(
                Env.required(env, "SCHEDULE_TABLE"),
                null,
                null,
                Env.required(env, "AUDIT_TABLE"),
                Duration.ofSeconds(60),
                8,
                Env.required(env, "QUESTIONNAIRES_TABLE"));
    }
}
