package org.openepro.alert;

import java.util.Map;
import org.openepro.core.config.Env;

/** The alert API's configuration, read once per container. */
public record AlertApiConfig(String alertsTable, String auditTable) {
    public static AlertApiConfig fromEnv(Map<String, String> env) {
        return new AlertApiConfig(Env.required(env, "ALERTS_TABLE"), Env.required(env, "AUDIT_TABLE"));
    }
}
