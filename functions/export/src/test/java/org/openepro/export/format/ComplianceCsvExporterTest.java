package org.openepro.export.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.openepro.core.schedule.ComplianceReader.Counts;
import org.openepro.core.schedule.ComplianceReader.Row;
import org.openepro.export.profile.Profile;

class ComplianceCsvExporterTest {
    private final ComplianceCsvExporter exporter = new ComplianceCsvExporter();

    private String write(Profile profile, Row... rows) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ComplianceCsvExporter.RowWriter w = exporter.openRows(out, profile);
        for (Row r : rows) {
            w.write("ST-1", r, r.subjectId());
        }
        w.finish();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesAHeaderAndOneCrlfLinePerRowWithAdherenceToOneDecimalAndEmptyWhenNothingWasExpected() throws Exception {
        String csv = write(
                Profile.IDENTIFIED,
                new Row(LocalDate.parse("2026-03-20"), null, null, new Counts(3, 1, 1, 1)),
                new Row(LocalDate.parse("2026-03-21"), null, null, Counts.ZERO));

        assertThat(csv)
                .isEqualTo("studyId,siteId,subjectId,day,expected,onTime,late,missed,adherencePercent\r\n"
                        + "ST-1,,,2026-03-20,3,1,1,1,66.7\r\n"
                        + "ST-1,,,2026-03-21,0,0,0,0,\r\n");
    }

    @Test
    void aPseudonymousProfileNamesTheSubjectColumnPseudonymInTheFileAndItsDictionary() throws Exception {
        String csv = write(Profile.DEIDENTIFIED, new Row(null, "SITE-01", "PABC", new Counts(2, 2, 0, 0)));

        assertThat(csv).startsWith("studyId,siteId,pseudonym,day,").endsWith("ST-1,SITE-01,PABC,,2,2,0,0,100.0\r\n");
        assertThat(ComplianceCsvExporter.dictionary(Profile.LIMITED).entries())
                .extracting(DataDictionary.Entry::variable)
                .containsExactly(
                        "studyId",
                        "siteId",
                        "pseudonym",
                        "day",
                        "expected",
                        "onTime",
                        "late",
                        "missed",
                        "adherencePercent");
    }

    @Test
    void isNoReportFormatAndIsWrittenInOnePiece() {
        assertThat(exporter.source()).isEqualTo(Exporter.Source.COMPLIANCE);
        assertThat(exporter.resumable()).isFalse();
        assertThatThrownBy(() -> exporter.open(new ByteArrayOutputStream(), null, null))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
