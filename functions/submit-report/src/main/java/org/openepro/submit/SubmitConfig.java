package org.openepro.submit;

import java.util.Map;
import org.openepro.core.config.Env;

/** submit-report's configuration, read once from the function's environment. */
public record SubmitConfig(String reportsTable, String auditTable, String indexQueueUrl, String alertQueueUrl) {
    public static SubmitConfig fromEnv(Map<String, String> env) {
        return new SubmitConfig(Env.required(env, "REPORTS_TABLE"), Env.required(env, "AUDIT_TABLE"),
                Env.required(env, "INDEX_QUEUE_URL"), Env.required(env, "ALERT_QUEUE_URL"));
    }
}
