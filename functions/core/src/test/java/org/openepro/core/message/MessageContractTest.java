package org.openepro.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openepro.core.json.Json;

/** Every message contract against its fixed samples in events/messages/. */
class MessageContractTest {
    private static final String REPORT_ID = "0193a4f2-7c1e-7b3a-9d2e-4f5a6b7c8d9e";
    private static final String EXPORT_ID = "81f0c2d4-5b6a-4c3d-9e8f-7a6b5c4d3e2f";

    @Test
    void aReportStoredMessageEncodesToItsSampleAndBack() throws IOException {
        // GIVEN the schema 1 sample and the message it stands for
        String sample = sample("report-stored-v1.json");
        ReportMessage message = new ReportMessage(REPORT_ID, 2, "STUDY-001");

        // WHEN the message is encoded and the sample decoded
        String encoded = ReportMessage.CODEC.encode(message);
        ReportMessage decoded = ReportMessage.CODEC.decode(sample);

        // THEN the two agree field by field, type and schema version included
        assertThat(tree(encoded)).isEqualTo(tree(sample));
        assertThat(decoded).isEqualTo(message);
        assertThat(tree(encoded).path("type").asText()).isEqualTo("report.stored");
        assertThat(tree(encoded).path("schemaVersion").asInt()).isEqualTo(1);
    }

    @Test
    void anExportRunMessageEncodesToItsSampleAndBack() throws IOException {
        String sample = sample("export-run-v1.json");
        ExportMessage message = new ExportMessage(EXPORT_ID);

        assertThat(tree(ExportMessage.CODEC.encode(message))).isEqualTo(tree(sample));
        assertThat(ExportMessage.CODEC.decode(sample)).isEqualTo(message);
    }

    @Test
    void messagesWrittenBeforeTheContractsWereVersionedStillReadAsSchemaOne() throws IOException {
        // a deployment may find these waiting on its queues
        assertThat(ReportMessage.CODEC.decode(sample("report-stored-unversioned.json")))
                .isEqualTo(new ReportMessage(REPORT_ID, 2, "STUDY-001"));
        assertThat(ExportMessage.CODEC.decode(sample("export-run-unversioned.json")))
                .isEqualTo(new ExportMessage(EXPORT_ID));
    }

    @Test
    void aNewerSchemaThanTheReaderKnowsIsRefusedNotGuessed() throws IOException {
        assertThatThrownBy(() -> ReportMessage.CODEC.decode(sample("report-stored-v2.json")))
                .isInstanceOf(UndecodableMessageException.class)
                .hasMessage("report.stored schemaVersion 2 is newer than this reader's 1");
    }

    @Test
    void aFieldAddedWithinASchemaVersionIsIgnored() {
        String withMore = "{\"type\":\"report.stored\",\"schemaVersion\":1,\"reportId\":\"" + REPORT_ID
                + "\",\"version\":1,\"priority\":\"high\"}";
        assertThat(ReportMessage.CODEC.decode(withMore)).isEqualTo(new ReportMessage(REPORT_ID, 1, null));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "not json",
                "[1,2]",
                "{\"version\":1}",
                "{\"reportId\":\"0193a4f2-7c1e-7b3a-9d2e-4f5a6b7c8d9e\",\"version\":0}",
                "{\"reportId\":\"../../etc/passwd\",\"version\":1}",
                "{\"type\":\"export.run\",\"schemaVersion\":1,\"reportId\":\"0193a4f2-7c1e-7b3a-9d2e-4f5a6b7c8d9e\","
                        + "\"version\":1}",
                "{\"type\":\"report.stored\",\"reportId\":\"0193a4f2-7c1e-7b3a-9d2e-4f5a6b7c8d9e\",\"version\":1}",
                "{\"type\":\"report.stored\",\"schemaVersion\":\"1\",\"reportId\":\"0193a4f2-7c1e-7b3a-9d2e-4f5a6b7c8d9e\","
                        + "\"version\":1}"
            })
    void aBodyNoReaderCanActOnIsUndecodableAndTheReasonQuotesNothingOfIt(String body) {
        assertThatThrownBy(() -> ReportMessage.CODEC.decode(body))
                .isInstanceOf(UndecodableMessageException.class)
                .satisfies(
                        e -> assertThat(e.getMessage()).doesNotContain("passwd").doesNotContain("not json"));
    }

    @Test
    void anExportMessageNeedsAnExportId() {
        assertThatThrownBy(() -> ExportMessage.CODEC.decode("{\"type\":\"export.run\",\"schemaVersion\":1}"))
                .isInstanceOf(UndecodableMessageException.class)
                .hasMessage("export.run message needs exportId (a UUID)");
    }

    @Test
    void aMissedPatternMessageEncodesToItsSampleAndBack() throws IOException {
        String sample = sample("schedule-missed-pattern-v1.json");
        MissedPatternMessage message = new MissedPatternMessage(
                "5b0e3c4e-7a1f-3d2b-9c8e-1f2a3b4c5d6e",
                "STUDY-001",
                "SITE-01",
                "SUBJ-0001",
                "pain-daily",
                "pain-nrs",
                "https://openepro.dev/fhir/Questionnaire/pain-nrs|1.0.0",
                "pain-daily.2026-03-30.v1",
                3,
                "MEDIUM",
                "2026-03-30T22:00:00.000Z");

        assertThat(tree(MissedPatternMessage.CODEC.encode(message))).isEqualTo(tree(sample));
        assertThat(MissedPatternMessage.CODEC.decode(sample)).isEqualTo(message);
    }

    @Test
    void theAlertQueueReadsEachOfItsContractsByTypeAndAnUnversionedBodyAsAReport() throws IOException {
        // WHEN the alert queue's codec reads a sample of each contract it carries
        AlertQueueMessage report = AlertQueueMessage.CODEC.decode(sample("report-stored-v1.json"));
        AlertQueueMessage unversioned = AlertQueueMessage.CODEC.decode(sample("report-stored-unversioned.json"));
        AlertQueueMessage missed = AlertQueueMessage.CODEC.decode(sample("schedule-missed-pattern-v1.json"));

        // THEN each is the message of its own contract, and encodes back to its own form
        assertThat(report).isEqualTo(new ReportMessage(REPORT_ID, 2, "STUDY-001"));
        assertThat(unversioned).isEqualTo(report);
        assertThat(missed).isEqualTo(MissedPatternMessage.CODEC.decode(sample("schedule-missed-pattern-v1.json")));
        assertThat(tree(AlertQueueMessage.CODEC.encode(missed)))
                .isEqualTo(tree(sample("schedule-missed-pattern-v1.json")));
        assertThat(tree(AlertQueueMessage.CODEC.encode(report))).isEqualTo(tree(sample("report-stored-v1.json")));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"type\":\"export.run\",\"schemaVersion\":1,\"exportId\":\"81f0c2d4-5b6a-4c3d-9e8f-7a6b5c4d3e2f\"}",
                "{\"type\":\"schedule.missed-pattern\",\"schemaVersion\":2}",
                "{\"type\":\"schedule.missed-pattern\",\"schemaVersion\":1,\"alertId\":\"5b0e3c4e-7a1f-3d2b-9c8e-1f2a3b4c5d6e\"}",
                "{\"schemaVersion\":1,\"alertId\":\"5b0e3c4e-7a1f-3d2b-9c8e-1f2a3b4c5d6e\",\"consecutive\":3}",
                "not json"
            })
    void theAlertQueueRefusesABodyOfNoContractItCarriesOrIncomplete(String body) {
        assertThatThrownBy(() -> AlertQueueMessage.CODEC.decode(body))
                .isInstanceOf(UndecodableMessageException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not json"));
    }

    private static JsonNode tree(String json) throws IOException {
        return Json.mapper().readTree(json);
    }

    private static String sample(String name) throws IOException {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path file = p.resolve("events/messages").resolve(name);
            if (Files.isRegularFile(file)) {
                return Files.readString(file, StandardCharsets.UTF_8);
            }
        }
        throw new IllegalStateException(
                "events/messages/" + name + " not found above " + Path.of("").toAbsolutePath());
    }
}
