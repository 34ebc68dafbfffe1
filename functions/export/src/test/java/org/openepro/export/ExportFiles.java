package org.openepro.export;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.ReadingOptions;
import org.dhatim.fastexcel.reader.Row;
import org.openepro.core.json.Json;

/** Reads a downloaded export back into rows of column name to text, whatever its format. */
final class ExportFiles {
    private ExportFiles() {}

    static List<Map<String, String>> rows(String format, byte[] file) throws IOException {
        return switch (format) {
            case "csv" -> csv(new String(file, StandardCharsets.UTF_8));
            case "json" -> json(Json.mapper().readTree(file));
            case "ndjson" -> {
                List<Map<String, String>> out = new ArrayList<>();
                for (String line : new String(file, StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isEmpty()) {
                        out.add(object(Json.mapper().readTree(line)));
                    }
                }
                yield out;
            }
            case "xlsx" -> xlsx(file);
            default -> throw new IllegalArgumentException(format);
        };
    }

    /** Every text the file shows a reader, cell by cell or line by line (to search for what must not be there). */
    static String allText(String format, byte[] file) throws IOException {
        if (!format.equals("xlsx")) {
            return new String(file, StandardCharsets.UTF_8);
        }
        StringBuilder out = new StringBuilder();
        try (ReadableWorkbook wb =
                new ReadableWorkbook(new ByteArrayInputStream(file), new ReadingOptions(true, false))) {
            for (var sheet : wb.getSheets().toList()) {
                for (Row row : sheet.read()) {
                    for (Cell c : row) {
                        if (c != null) {
                            out.append(text(c)).append('\t');
                        }
                    }
                    out.append('\n');
                }
            }
        }
        return out.toString();
    }

    static List<Map<String, String>> fhir(byte[] file) throws IOException {
        List<Map<String, String>> out = new ArrayList<>();
        for (String line : new String(file, StandardCharsets.UTF_8).split("\n")) {
            JsonNode qr = Json.mapper().readTree(line);
            Map<String, String> row = new LinkedHashMap<>();
            row.put("resourceType", qr.path("resourceType").asText());
            row.put("reportId", qr.path("id").asText(null));
            row.put(
                    "subject",
                    qr.path("subject").path("identifier").path("value").asText());
            row.put("questionnaire", qr.path("questionnaire").asText());
            for (JsonNode item : qr.path("item")) {
                JsonNode a = item.path("answer").get(0);
                String v;
                if (a.has("valueCoding")) {
                    v = a.path("valueCoding").path("code").asText();
                } else {
                    Iterator<Map.Entry<String, JsonNode>> fields = a.fields();
                    v = fields.hasNext() ? fields.next().getValue().asText() : null;
                }
                row.put(item.path("linkId").asText(), v);
            }
            out.add(row);
        }
        return out;
    }

    private static List<Map<String, String>> csv(String text) {
        List<List<String>> rows = org.openepro.export.format.CsvReading.parse(text);
        List<Map<String, String>> out = new ArrayList<>();
        List<String> header = rows.get(0);
        for (List<String> r : rows.subList(1, rows.size())) {
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                if (!r.get(i).isEmpty()) {
                    m.put(header.get(i), r.get(i));
                }
            }
            out.add(m);
        }
        return out;
    }

    private static List<Map<String, String>> json(JsonNode array) {
        List<Map<String, String>> out = new ArrayList<>();
        array.forEach(o -> out.add(object(o)));
        return out;
    }

    private static Map<String, String> object(JsonNode o) {
        Map<String, String> m = new LinkedHashMap<>();
        o.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    private static List<Map<String, String>> xlsx(byte[] file) throws IOException {
        try (ReadableWorkbook wb =
                new ReadableWorkbook(new ByteArrayInputStream(file), new ReadingOptions(true, false))) {
            List<Row> rows = wb.findSheet("data").orElseThrow().read();
            List<String> header = new ArrayList<>();
            rows.get(0).forEach(c -> header.add(c.getText()));
            List<Map<String, String>> out = new ArrayList<>();
            for (Row r : rows.subList(1, rows.size())) {
                Map<String, String> m = new HashMap<>();
                for (Cell c : r) {
                    if (c != null && c.getType() != CellType.EMPTY) {
                        m.put(header.get(c.getColumnIndex()), text(c));
                    }
                }
                out.add(m);
            }
            return out;
        }
    }

    private static String text(Cell c) {
        String format = c.getDataFormatString();
        if (c.getType() == CellType.NUMBER && format != null && format.contains("yy")) {
            // a date-time cell holds an instant in UTC; its serial is a double, so round to the second
            return format.contains("h")
                    ? c.asDate()
                            .toInstant(java.time.ZoneOffset.UTC)
                            .plusMillis(500)
                            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                            .toString()
                    : c.asDate().toLocalDate().toString();
        }
        if (c.getType() == CellType.NUMBER) {
            return c.asNumber().toPlainString();
        }
        if (c.getType() == CellType.BOOLEAN) {
            return c.asBoolean().toString();
        }
        return c.getText();
    }
}
