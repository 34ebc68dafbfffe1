package org.openepro.export.job;

import java.time.Instant;
import org.openepro.export.source.QueryPosition;
import org.openepro.export.stream.MultipartSink;

/**
 * Where a suspended export continues: the file so far (upload, parts, hash state, tail), the
 * read position, and the writer's own state. The row count and questionnaire versions seen
 * are kept on the job itself.
 *
 * @param asOf        when the export began reading (the first segment's start)
 * @param fileRows    rows written to the file so far (the long layout writes several a report)
 * @param subjectsKey the object holding the subjects seen so far (for the manifest's subject count)
 */
public record JobCheckpoint(
        MultipartSink.Checkpoint file,
        QueryPosition position,
        String writerState,
        Instant asOf,
        long fileRows,
        String subjectsKey) {}
