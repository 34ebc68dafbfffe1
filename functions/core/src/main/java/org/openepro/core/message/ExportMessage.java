package org.openepro.core.message;

import java.util.Objects;

/**
 * What wakes the export worker: run export job {@code exportId}, from its start or from its last
 * checkpoint (the job record says which). The API sends one when a job is requested; the worker
 * sends another to continue after a checkpoint or to retry. JSON (type
 * {@value ExportMessageCodec#TYPE}, schema 1): {@code {"type":"export.run","schemaVersion":1,"exportId":"…"}}.
 */
public record ExportMessage(String exportId) {
    /** The contract's one codec. */
    public static final MessageCodec<ExportMessage> CODEC = new ExportMessageCodec();

    public ExportMessage {
        Objects.requireNonNull(exportId, "exportId");
    }
}
