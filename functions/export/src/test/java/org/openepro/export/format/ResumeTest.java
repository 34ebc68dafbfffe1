package org.openepro.export.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openepro.export.profile.Profile;

class ResumeTest {
    private final ExporterRegistry registry = ExporterRegistry.standard();

    @ParameterizedTest
    @ValueSource(strings = {"csv", "json", "ndjson", "fhir-ndjson"})
    void aFileSuspendedAndContinuedByANewWriterEqualsOneWrittenStraight(String format) throws Exception {
        // GIVEN the same records written straight through
        Exporter exporter = registry.find(format).orElseThrow();
        ExportLayout layout = Fixtures.layout(Profile.DEIDENTIFIED, false);
        List<ExportRecord> records = Fixtures.records(20, Profile.DEIDENTIFIED);
        byte[] straight = Fixtures.write(exporter, layout, records);

        for (int cut : new int[] {0, 1, 7, 20}) {
            // WHEN a writer suspends after `cut` rows and a new one continues from its state
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ExportWriter first = exporter.open(out, layout, null);
            for (ExportRecord r : records.subList(0, cut)) {
                first.write(r);
            }
            String state = first.suspend();
            ExportWriter second = exporter.open(out, layout, state);
            for (ExportRecord r : records.subList(cut, records.size())) {
                second.write(r);
            }
            second.finish();

            // THEN the bytes are the same
            assertThat(out.toByteArray()).as("%s cut at %d", format, cut).isEqualTo(straight);
        }
    }

    /** A zip (xlsx, the statistics packages) or one XML document (ODM) cannot be suspended and continued. */
    private static final java.util.Set<String> ONE_PIECE =
            java.util.Set.of("xlsx", "odm-xml", "spss", "sas", "stata", "r");

    @Test
    void theFormatsWrittenInOnePieceSayTheyCannotResume() throws Exception {
        for (String name : ONE_PIECE) {
            Exporter e = registry.find(name).orElseThrow();
            ExportWriter w = e.open(new ByteArrayOutputStream(), Fixtures.layout(Profile.LIMITED, false), null);

            assertThat(e.resumable()).as(name).isFalse();
            assertThatThrownBy(w::suspend).as(name).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> e.open(new ByteArrayOutputStream(), Fixtures.layout(Profile.LIMITED, false), "x"))
                    .as(name)
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void everyOtherShippedFormatResumesButComplianceWhichIsReadWholeBeforeItIsWritten() {
        for (String name : registry.names()) {
            assertThat(registry.find(name).orElseThrow().resumable())
                    .as(name)
                    .isEqualTo(!ONE_PIECE.contains(name) && !name.equals(ComplianceCsvExporter.NAME));
        }
    }
}
