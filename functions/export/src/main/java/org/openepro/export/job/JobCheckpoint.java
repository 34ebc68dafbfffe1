package org.openepro.export.job;

import org.openepro.export.source.QueryPosition;
import org.openepro.export.stream.MultipartSink;

/**
 * Where a suspended export continues: the file so far (upload, parts, hash state, tail), the
 * read position, and the writer's own state. The row count and questionnaire versions seen
 * are kept on the job itself.
 */
public record JobCheckpoint(MultipartSink.Checkpoint file, QueryPosition position, String writerState) {
}
