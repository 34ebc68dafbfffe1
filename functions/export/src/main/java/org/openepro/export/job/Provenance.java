package org.openepro.export.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a finished export's content came from, as its manifest records it: how many subjects it holds,
 * the as-of time (when reading the projections began), the OpenEPRO version that wrote it, and every file
 * with its size, SHA-256 and row count (the files inside a zip package too). Profile, questionnaire
 * versions and the report count are on the job itself.
 */
public record Provenance(long subjectCount, Instant asOf, String writtenBy, List<FileFacts> files) {
    public Provenance {
        files = List.copyOf(files);
    }

    /**
     * One file of the export.
     *
     * @param name     its name in the export's folder ({@code data.csv}, {@code dictionary.csv}), or within the
     *                 zip for a file inside one ({@code data.zip!/phq-9.csv})
     * @param rows     data rows (without a header), or -1 when the file has no rows (a syntax file)
     */
    public record FileFacts(String name, long bytes, String sha256, long rows) {}

    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("subjectCount", subjectCount);
        n.put("asOf", asOf.toString());
        n.put("writtenBy", writtenBy);
        ArrayNode list = n.putArray("files");
        for (FileFacts f : files) {
            ObjectNode o = list.addObject();
            o.put("name", f.name());
            o.put("bytes", f.bytes());
            o.put("sha256", f.sha256());
            if (f.rows() >= 0) {
                o.put("rows", f.rows());
            }
        }
        return n;
    }

    public static Provenance fromJson(JsonNode n) {
        List<FileFacts> files = new ArrayList<>();
        for (JsonNode f : n.path("files")) {
            files.add(new FileFacts(
                    f.path("name").asText(),
                    f.path("bytes").asLong(),
                    f.path("sha256").asText(),
                    f.has("rows") ? f.path("rows").asLong() : -1));
        }
        return new Provenance(
                n.path("subjectCount").asLong(),
                Instant.parse(n.path("asOf").asText()),
                n.path("writtenBy").asText(),
                files);
    }
}
