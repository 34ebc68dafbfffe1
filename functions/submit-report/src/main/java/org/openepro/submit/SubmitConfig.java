package org.openepro.submit;

import java.util.Map;
import org.openepro.core.config.Env;

/**
 * submit-report's configuration, read once from the function's environment.
 *
 * @param questionnairesTable the studies' published questionnaires; only the API function reads it
 *                            (the outbox sweeper has no such variable and no access)
 */
public record SubmitConfig(String reportsTable, String auditTable, String indexQueueUrl, String alertQueueUrl,
                           String questionnairesTable) {
    public static SubmitConfig fromEnv(Map<String, String> env) {
        return new SubmitConfig(Env.required(env, "REPORTS_TABLE"), Env.required(env, "AUDIT_TABLE"),
                Env.required(env, "INDEX_QUEUE_URL"), Env.required(env, "ALERT_QUEUE_URL"),
                Env.optional(env, "QUESTIONNAIRES_TABLE", null));
    }

    /** The questionnaires table, which the API function cannot serve a study without. */
    public String requireQuestionnairesTable() {
        if (questionnairesTable == null) {
            throw new IllegalStateException("missing environment variable QUESTIONNAIRES_TABLE");
        }
        return questionnairesTable;
    }
}
