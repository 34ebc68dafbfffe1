package org.openepro.export;

import java.time.Duration;
import java.util.Map;
import org.openepro.core.config.Env;

/**
 * The export API's configuration, read once per container.
 *
 * @param maxRangeDays  longest date range one export may cover (EXPORT_MAX_RANGE_DAYS, 366)
 * @param linkLifetime  validity of a download link (EXPORT_LINK_SECONDS, 900; never more than 15 minutes)
 * @param fileRetention how long a finished file stays downloadable; the bucket's lifecycle rule
 *                      removes it after a day (EXPORT_FILE_RETENTION_HOURS, 23: under the rule, so a
 *                      link is never issued for a file about to vanish)
 * @param jobRetention  how long a job's record stays readable (EXPORT_JOB_RETENTION_DAYS, 30)
 * @param questionnairesTable the studies' published questionnaires (QUESTIONNAIRES_TABLE): a request may name one
 */
public record ExportApiConfig(
        String exportsTable,
        String auditTable,
        String queueUrl,
        String bucket,
        int maxRangeDays,
        Duration linkLifetime,
        Duration fileRetention,
        Duration jobRetention,
        String questionnairesTable) {
    public static final Duration MAX_LINK_LIFETIME = Duration.ofMinutes(15);

    public static ExportApiConfig fromEnv(Map<String, String> env) {
        int linkSeconds = Env.integer(env, "EXPORT_LINK_SECONDS", (int) MAX_LINK_LIFETIME.toSeconds());
        if (linkSeconds < 1 || linkSeconds > MAX_LINK_LIFETIME.toSeconds()) {
            throw new IllegalStateException("EXPORT_LINK_SECONDS must be between 1 and 900");
        }
        return new ExportApiConfig(
                Env.required(env, "EXPORTS_TABLE"),
                Env.required(env, "AUDIT_TABLE"),
                Env.required(env, "EXPORT_QUEUE_URL"),
                Env.required(env, "EXPORT_BUCKET"),
                Env.integer(env, "EXPORT_MAX_RANGE_DAYS", 366),
                Duration.ofSeconds(linkSeconds),
                Duration.ofHours(Env.integer(env, "EXPORT_FILE_RETENTION_HOURS", 23)),
                Duration.ofDays(Env.integer(env, "EXPORT_JOB_RETENTION_DAYS", 30)),
                Env.required(env, "QUESTIONNAIRES_TABLE"));
    }
}
