package org.openepro.export.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openepro.core.json.Json;
import org.openepro.core.report.Answer;
import org.openepro.export.profile.Profile;

class JsonExportersTest {

    @Test
    void jsonIsOneArrayOfRowsWithNativeTypes() throws Exception {
        List<ExportRecord> records = Fixtures.records(9, Profile.LIMITED);

        JsonNode array = Json.mapper()
                .readTree(Fixtures.write(new JsonExporter(), Fixtures.layout(Profile.LIMITED, false), records));

        assertThat(array.isArray()).isTrue();
        assertThat(array).hasSize(9);
        for (int i = 0; i < records.size(); i++) {
            assertRow(array.get(i), records.get(i));
        }
    }

    @Test
    void escapesQuotesBackslashesAndControlCharactersAndKeepsUnicode() throws Exception {
        String text = "a \"quote\", a \\ backslash,\n\r\t\b\f\u0001 café ✓ 😀 \u2028";

        for (Exporter exporter : List.of(new JsonExporter(), new NdjsonExporter())) {
            byte[] file = Fixtures.write(
                    exporter, Fixtures.layout(Profile.LIMITED, false), List.of(Fixtures.diary(text, "70")));
            JsonNode row = exporter instanceof JsonExporter
                    ? Json.mapper().readTree(file).get(0)
                    : Json.mapper().readTree(file);
            assertThat(row.path("comment").asText()).isEqualTo(text);
            assertThat(Fixtures.text(file)).doesNotContain("\n\r");
        }
    }

    @Test
    void anEmptyExportIsAnEmptyArray() throws Exception {
        byte[] file = Fixtures.write(new JsonExporter(), Fixtures.layout(Profile.LIMITED, false), List.of());
        assertThat(Json.mapper().readTree(file).isArray()).isTrue();
        assertThat(Json.mapper().readTree(file)).isEmpty();
    }

    @Test
    void ndjsonIsOneRowALine() throws Exception {
        List<ExportRecord> records = Fixtures.records(9, Profile.LIMITED);

        String file =
                Fixtures.text(Fixtures.write(new NdjsonExporter(), Fixtures.layout(Profile.LIMITED, false), records));

        String[] lines = file.split("\n");
        assertThat(file).endsWith("\n");
        assertThat(lines).hasSize(9);
        for (int i = 0; i < lines.length; i++) {
            assertRow(Json.mapper().readTree(lines[i]), records.get(i));
        }
    }

    @Test
    void fhirNdjsonIsOneQuestionnaireResponseALine() throws Exception {
        List<ExportRecord> records = Fixtures.records(6, Profile.LIMITED);

        String[] lines = Fixtures.text(
                        Fixtures.write(new FhirNdjsonExporter(), Fixtures.layout(Profile.LIMITED, false), records))
                .split("\n");

        assertThat(lines).hasSize(6);
        for (int i = 0; i < lines.length; i++) {
            JsonNode qr = Json.mapper().readTree(lines[i]);
            ExportRecord r = records.get(i);
            assertThat(qr.path("resourceType").asText()).isEqualTo("QuestionnaireResponse");
            assertThat(qr.path("id").asText()).isEqualTo(r.reportId());
            assertThat(qr.path("questionnaire").asText()).isEqualTo(r.questionnaireCanonical());
            assertThat(qr.path("subject").path("identifier").path("value").asText())
                    .isEqualTo(r.subject());
            // both clocks: the device's exactly as sent (its offset kept), the server's as lastUpdated
            assertThat(r.authored()).endsWith("+01:00");
            assertThat(qr.path("authored").asText()).isEqualTo(r.authored());
            assertThat(java.time.OffsetDateTime.parse(qr.path("authored").asText())
                            .toInstant())
                    .isEqualTo(r.authoredAt());
            assertThat(Instant.parse(qr.path("meta").path("lastUpdated").asText()))
                    .isEqualTo(r.receivedAt());
            assertThat(qr.path("meta").path("versionId").asText()).isEqualTo(Integer.toString(r.version()));
            assertThat(qr.path("item")).hasSize(r.answers().size());
            for (int j = 0; j < r.answers().size(); j++) {
                Answer a = r.answers().get(j);
                JsonNode answer = qr.path("item").get(j).path("answer").get(0);
                assertThat(qr.path("item").get(j).path("linkId").asText()).isEqualTo(a.linkId());
                switch (a.type()) {
                    case CHOICE ->
                        assertThat(answer.path("valueCoding").path("code").asText())
                                .isEqualTo(a.code());
                    case INTEGER ->
                        assertThat(answer.path("valueInteger").decimalValue()).isEqualByComparingTo(a.number());
                    case DECIMAL ->
                        assertThat(answer.path("valueDecimal").decimalValue()).isEqualByComparingTo(a.number());
                    case BOOLEAN ->
                        assertThat(answer.path("valueBoolean").asBoolean()).isEqualTo(a.bool());
                    case DATE -> assertThat(answer.path("valueDate").asText()).isEqualTo(a.text());
                    case DATETIME ->
                        assertThat(answer.path("valueDateTime").asText()).isEqualTo(a.text());
                    default -> assertThat(answer.path("valueString").asText()).isEqualTo(a.text());
                }
            }
        }
    }

    static void assertRow(JsonNode row, ExportRecord r) {
        assertThat(row.path("reportId").asText()).isEqualTo(r.reportId());
        assertThat(row.path("version").isInt()).isTrue();
        assertThat(row.path("pseudonym").asText()).isEqualTo(r.subject());
        assertThat(row.path("onTime").isBoolean()).isTrue();
        for (Answer a : r.answers()) {
            JsonNode v = row.path(a.linkId());
            switch (a.type()) {
                case CHOICE -> assertThat(v.asText()).isEqualTo(a.code());
                case INTEGER, DECIMAL -> {
                    assertThat(v.isNumber()).as(a.linkId()).isTrue();
                    assertThat(v.decimalValue()).isEqualByComparingTo(a.number());
                }
                case BOOLEAN -> assertThat(v.asBoolean()).isEqualTo(a.bool());
                default -> assertThat(v.asText()).isEqualTo(a.text());
            }
        }
    }
}
