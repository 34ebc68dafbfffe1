package org.openepro.export.job;

import java.time.Instant;
import java.util.List;

/**
 * An export job as stored in the exports table ({@code pk = X#exportId}, {@code sk = JOB}).
 *
 * @param segment    how many worker invocations have run it (each continuation adds one)
 * @param leaseOwner the invocation working on it now, until {@code leaseUntil}; null when none
 * @param attempts   failed invocations so far (errors, not deadlines)
 * @param checkpoint where a suspended export continues; null before the first suspension and once ended
 * @param requestUrl the full URL of the kick-off request (the Bulk Data manifest's {@code request}); null for
 *                   jobs stored before it was kept
 * @param provenance what the finished export holds and who wrote it; null until it succeeded
 */
public record ExportJob(
        String exportId,
        ExportSpec spec,
        String requestedBy,
        Instant createdAt,
        ExportStatus status,
        int segment,
        String leaseOwner,
        Instant leaseUntil,
        int attempts,
        long rowCount,
        long bytes,
        String sha256,
        List<String> questionnaireVersions,
        Instant completedAt,
        String failureReason,
        JobCheckpoint checkpoint,
        String requestUrl,
        Provenance provenance) {
    public ExportJob {
        questionnaireVersions = questionnaireVersions == null ? List.of() : List.copyOf(questionnaireVersions);
    }

    public static ExportJob queued(
            String exportId, ExportSpec spec, String requestedBy, Instant createdAt, String requestUrl) {
        return new ExportJob(
                exportId,
                spec,
                requestedBy,
                createdAt,
                ExportStatus.QUEUED,
                0,
                null,
                null,
                0,
                0,
                0,
                null,
                List.of(),
                null,
                null,
                null,
                requestUrl,
                null);
    }
}
