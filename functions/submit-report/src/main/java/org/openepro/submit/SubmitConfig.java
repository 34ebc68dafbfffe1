package org.openepro.submit;

import java.time.Duration;
import java.util.Map;
import org.openepro.core.config.Env;

/**
 * The configuration of submit-report's functions (the API and the outbox sweeper), read once
 * from the function's environment: every variable either of them reads is read here.
 *
 * @param outboxGrace         how old an outbox item must be before the sweeper takes it over, so that a
 *                            request still delivering is left alone (OUTBOX_GRACE_SECONDS, 60)
 * @param questionnairesTable the studies' published questionnaires; only the API function reads it
 *                            (the outbox sweeper has no such variable and no access)
 * @param scheduleTable       the schedule's table (SCHEDULE_TABLE): the API reads a subject's enrollment
 *                            and tasks there and completes a task with the report; the sweeper has none
 */
public record SubmitConfig(
        String reportsTable,
        String auditTable,
        String indexQueueUrl,
        String alertQueueUrl,
        Duration outboxGrace,
        String questionnairesTable,
        String scheduleTable) {
    public static final int DEFAULT_OUTBOX_GRACE_SECONDS = 60;

    public static SubmitConfig fromEnv(Map<String, String> env) {
        return new SubmitConfig(
                Env.required(env, "REPORTS_TABLE"),
                Env.required(env, "AUDIT_TABLE"),
                Env.required(env, "INDEX_QUEUE_URL"),
                Env.required(env, "ALERT_QUEUE_URL"),
                Duration.ofSeconds(Env.integer(env, "OUTBOX_GRACE_SECONDS", DEFAULT_OUTBOX_GRACE_SECONDS)),
                Env.optional(env, "QUESTIONNAIRES_TABLE", null),
                Env.optional(env, "SCHEDULE_TABLE", null));
    }

    /** The questionnaires table, which the API function cannot serve a study without. */
    public String requireQuestionnairesTable() {
        if (questionnairesTable == null) {
            throw new IllegalStateException("missing environment variable QUESTIONNAIRES_TABLE");
        }
        return questionnairesTable;
    }
}
