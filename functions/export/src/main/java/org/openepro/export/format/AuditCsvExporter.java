package org.openepro.export.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openepro.core.audit.AuditReader;

/**
 * {@code audit-csv}: a study's audit trail as stored, for monitors (21 CFR Part 11 §11.10(e): available for
 * review and copying), one row per event, oldest first. RFC 4180, UTF-8 without a byte-order mark, CRLF, a
 * header row, text guarded against formula injection exactly as {@link CsvExporter}'s. An event holds ids,
 * codes and the reason its actor gave, never answers; the details map is one JSON object with its keys
 * sorted, so equal events give equal cells. Resumable: the state is only whether the header was written.
 */
public final class AuditCsvExporter implements Exporter {
    public static final String NAME = "audit-csv";
    private static final Format FORMAT =
            new Format(NAME, "csv", "text/csv; charset=utf-8; header=present", "AuditEvent", true);
    private static final String STARTED = "audit-csv:header-written";
    private static final JsonFactory JSON = new JsonFactory();

    /** The columns in file order: name, type, description, allowed values; also the format's data dictionary. */
    static final List<String[]> COLUMNS = List.of(
            new String[] {
                "at", "datetime", "When the event was recorded, by the server (UTC, ISO 8601 to the millisecond)"
            },
            new String[] {
                "eventId",
                "string",
                "The event's id (a UUID); a download link carries the id of the event that issued it"
            },
            new String[] {
                "action",
                "string",
                "What happened",
                "REPORT_CREATED; REPORT_AMENDED; REPORT_VIEWED; TIMELINE_VIEWED; ALERT_ACKNOWLEDGED; EXPORT_REQUESTED; EXPORT_LINK_ISSUED"
            },
            new String[] {
                "actorRole",
                "string",
                "The actor's roles as the token named them, space-separated",
                "patient; staff; research-nurse; data-manager; study-designer; export-identified"
            },
            new String[] {
                "actor",
                "string",
                "Who acted: the token's subject as stored (a pseudonymous identity-provider id, never a name)"
            },
            new String[] {"entityType", "string", "What the event is about", "report; export; alert; subject"},
            new String[] {"entityId", "string", "The id of the report, export, alert or subject"},
            new String[] {
                "reason",
                "string",
                "The reason the actor gave (an amendment's reason, an acknowledgement's note), as entered"
            },
            new String[] {
                "details",
                "json",
                "The event's ids and codes (version, questionnaire, siteId, subjectId, format, profile...) as one JSON object, keys sorted"
            });

    @Override
    public Format format() {
        return FORMAT;
    }

    @Override
    public Source source() {
        return Source.AUDIT_TRAIL;
    }

    /** The data dictionary of the file: its fixed columns. */
    public static DataDictionary dictionary() {
        return DataDictionary.ofColumns("audit", COLUMNS);
    }

    /** Not a report format: the worker opens the file with {@link #openEvents}. */
    @Override
    public ExportWriter open(OutputStream out, ExportLayout layout, String resumeState) {
        throw new UnsupportedOperationException("audit-csv writes audit events, not reports: openEvents");
    }

    /** Starts a file, or continues one from the state {@link EventWriter#suspend()} returned. */
    public EventWriter openEvents(OutputStream out, String resumeState) throws IOException {
        if (resumeState != null && !resumeState.equals(STARTED)) {
            throw new IllegalArgumentException("not an audit-csv writer state");
        }
        EventWriter w = new EventWriter(out);
        if (resumeState == null) {
            w.header();
        }
        return w;
    }

    /** Writes audit events in order, one row each. Not thread-safe. */
    public static final class EventWriter {
        private final Utf8Output out;

        private EventWriter(OutputStream target) {
            this.out = new Utf8Output(target, 64 * 1024);
        }

        private void header() throws IOException {
            CsvExporter.headerRow(out, COLUMNS.stream().map(c -> c[0]).toList());
        }

        public void write(AuditReader.Event e) throws IOException {
            cell(e.at(), false);
            cell(e.eventId(), true);
            cell(e.action(), true);
            cell(e.actorRole(), true);
            cell(e.actor(), true);
            cell(e.entityType(), true);
            cell(e.entityId(), true);
            cell(e.reason(), true);
            cell(e.details().isEmpty() ? null : json(e.details()), true);
            out.writeAscii(CsvExporter.CRLF);
        }

        private void cell(String value, boolean comma) throws IOException {
            if (comma) {
                out.write((byte) ',');
            }
            if (value != null) {
                CsvExporter.field(out, value);
            }
        }

        /** Flushes everything written; the file then ends at a row boundary. */
        public String suspend() throws IOException {
            out.flush();
            return STARTED;
        }

        public void finish() throws IOException {
            out.flush();
        }
    }

    static String json(Map<String, String> details) {
        StringWriter w = new StringWriter(128);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            for (Map.Entry<String, String> d : new TreeMap<>(details).entrySet()) {
                g.writeStringField(d.getKey(), d.getValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        return w.toString();
    }
}
