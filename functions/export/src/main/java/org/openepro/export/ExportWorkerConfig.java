package org.openepro.export;

import java.time.Duration;
import java.util.Map;
import org.openepro.core.config.Env;
import org.openepro.export.stream.ObjectEncryption;

/**
 * The export worker's configuration, read once per container.
 *
 * @param reportsTable     where every version of a report stays (REPORTS_TABLE): the earlier versions of an
 *                         amended report, for a format that shows the history (ODM)
 * @param auditTable       the audit trail (AUDIT_TABLE), read (Query only) by the audit-csv format
 * @param partBytes        size of one multipart part buffer (EXPORT_PART_MIB, 8 by default, 8 to 16: the
 *                         spec's part buffers; S3 would take 5 MiB, but a smaller part means more parts for
 *                         the same file, and {@code maxParts} times the part size is the largest export)
 * @param partsInFlight    parts uploading while the next one fills (EXPORT_PARTS_IN_FLIGHT, 2 by default)
 * @param deadlineMargin   stop and checkpoint when less than this is left of the invocation
 *                         (EXPORT_DEADLINE_MARGIN_SECONDS, 30 by default)
 * @param maxParts         a file larger than this many parts fails with EXPORT_TOO_LARGE (EXPORT_MAX_PARTS, 2000)
 * @param pageLimit        items a Query page (EXPORT_PAGE_LIMIT, 0 = DynamoDB's 1 MB pages)
 * @param maxAttempts      failed invocations (errors, not deadlines) before the job fails (EXPORT_MAX_ATTEMPTS, 3)
 * @param maxSegments      invocations one export may take in all (EXPORT_MAX_SEGMENTS, 50)
 * @param questionnairesTable the studies' published questionnaires (QUESTIONNAIRES_TABLE), whose items an
 *                         export of that study describes
 * @param encryption       how every object is encrypted: SSE-KMS with EXPORT_KMS_KEY_ARN (the stack's
 *                         DataKeyArn), SSE-S3 when that is empty
 * @param scheduleTable    the schedule's compliance counters (SCHEDULE_TABLE), read (Query only) by the
 *                         compliance-csv format
 */
public record ExportWorkerConfig(
        String projectionsTable,
        String reportsTable,
        String exportsTable,
        String auditTable,
        String queueUrl,
        String bucket,
        int partBytes,
        int partsInFlight,
        Duration deadlineMargin,
        int maxParts,
        int pageLimit,
        int maxAttempts,
        int maxSegments,
        ObjectEncryption encryption,
        String questionnairesTable,
        String scheduleTable) {
    public static final int MIN_PART_MIB = 8;
    public static final int MAX_PART_MIB = 16;

    /**
     * The deployed configuration. There is deliberately no way to ask it for smaller parts: tests that
     * need them build a {@code PartBufferPool} of S3's 5 MiB minimum directly, never through here.
     */
    public static ExportWorkerConfig fromEnv(Map<String, String> env) {
        int partMib = Env.integer(env, "EXPORT_PART_MIB", MIN_PART_MIB);
        if (partMib < MIN_PART_MIB || partMib > MAX_PART_MIB) {
            throw new IllegalStateException("EXPORT_PART_MIB must be between " + MIN_PART_MIB + " and " + MAX_PART_MIB);
        }
        return new ExportWorkerConfig(
                Env.required(env, "PROJECTIONS_TABLE"),
                Env.required(env, "REPORTS_TABLE"),
                Env.required(env, "EXPORTS_TABLE"),
                Env.required(env, "AUDIT_TABLE"),
                Env.required(env, "EXPORT_QUEUE_URL"),
                Env.required(env, "EXPORT_BUCKET"),
                partMib * 1024 * 1024,
                Math.max(1, Env.integer(env, "EXPORT_PARTS_IN_FLIGHT", 2)),
                Duration.ofSeconds(Env.integer(env, "EXPORT_DEADLINE_MARGIN_SECONDS", 30)),
                Env.integer(env, "EXPORT_MAX_PARTS", 2000),
                Env.integer(env, "EXPORT_PAGE_LIMIT", 0),
                Env.integer(env, "EXPORT_MAX_ATTEMPTS", 3),
                Env.integer(env, "EXPORT_MAX_SEGMENTS", 50),
                ObjectEncryption.forKey(Env.optional(env, "EXPORT_KMS_KEY_ARN", null)),
                Env.required(env, "QUESTIONNAIRES_TABLE"),
                Env.required(env, "SCHEDULE_TABLE"));
    }
}
