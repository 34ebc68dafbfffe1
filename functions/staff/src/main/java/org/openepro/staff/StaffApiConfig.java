package org.openepro.staff;

import java.util.Map;
import org.openepro.core.config.Env;

/**
 * The staff API's configuration, read once per container: the tables it reads and the sign-in
 * settings it hands the console ({@code GET /v1/console/config}).
 */
public record StaffApiConfig(
        String reportsTable,
        String projectionsTable,
        String alertsTable,
        String auditTable,
        ConsoleSettings console,
        String questionnairesTable) {
    public static StaffApiConfig fromEnv(Map<String, String> env) {
        return new StaffApiConfig(
                Env.required(env, "REPORTS_TABLE"),
                Env.required(env, "PROJECTIONS_TABLE"),
                Env.required(env, "ALERTS_TABLE"),
                Env.required(env, "AUDIT_TABLE"),
                ConsoleSettings.fromEnv(env),
                Env.required(env, "QUESTIONNAIRES_TABLE"));
    }
}
