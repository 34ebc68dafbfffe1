package org.openepro.core.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import org.openepro.core.json.Json;

/**
 * Reads and writes the queue body {@link ReportMessage}. A body that is not JSON or lacks the
 * report id or version is refused with a message that names the problem, never the body.
 * {@code studyId} is optional here; consumers check it against the stored report when present.
 */
public final class ReportMessageCodec {
    private static final ObjectReader READER = Json.reader(ReportMessage.class);
    private static final ObjectWriter WRITER = Json.writer(ReportMessage.class);

    private ReportMessageCodec() {
    }

    public static ReportMessage parse(String body) {
        if (body == null || body.isBlank()) {
            throw new IllegalArgumentException("empty report message");
        }
        ReportMessage m;
        try {
            m = READER.readValue(body);
        } catch (JsonProcessingException e) {
            // the parser's message quotes the input: keep only the type
            throw new IllegalArgumentException("report message is not valid JSON (" + e.getClass().getSimpleName() + ")");
        }
        if (m == null || m.reportId() == null || m.reportId().isBlank() || m.version() < 1) {
            throw new IllegalArgumentException("report message needs a reportId and a version >= 1");
        }
        return m;
    }

    public static String write(ReportMessage message) {
        try {
            return WRITER.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record of ids cannot fail to serialise", e);
        }
    }
}
