package org.openepro.index;

import java.util.Map;
import org.openepro.core.batch.BatchSettings;
import org.openepro.core.config.Env;

/** index-report's configuration, read once per container from its environment. */
public record IndexConfig(String reportsTable, String projectionsTable, BatchSettings batch) {
    public static IndexConfig fromEnv(Map<String, String> env) {
        return new IndexConfig(
                Env.required(env, "REPORTS_TABLE"), Env.required(env, "PROJECTIONS_TABLE"), BatchSettings.fromEnv(env));
    }
}
