package org.openepro.export.format;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.openepro.core.schedule.ComplianceReader;
import org.openepro.export.profile.Profile;

/**
 * {@code compliance-csv}: a study's schedule compliance as GET {@code /v1/studies/{studyId}/compliance} counts
 * it (the same {@link ComplianceReader}), one row per day, site or subject of the request's {@code by}: expected,
 * on time, late, missed, adherence percent. RFC 4180, UTF-8 without a byte-order mark, CRLF, a header row, text
 * guarded as {@link CsvExporter}'s. Counts hold no answers; a subject row names the subject as the profile
 * does for reports (its id only in an identified export, else its pseudonym). Written in one piece after the
 * counters were read (at most {@link ComplianceReader#MAX_DAYS} days of them), so not resumable.
 */
public final class ComplianceCsvExporter implements Exporter {
    public static final String NAME = "compliance-csv";
    private static final Format FORMAT =
            new Format(NAME, "csv", "text/csv; charset=utf-8; header=present", "MeasureReport", false);

    @Override
    public Format format() {
        return FORMAT;
    }

    @Override
    public Source source() {
        return Source.COMPLIANCE;
    }

    /** The columns in file order (name, type, description, allowed values); the subject's follows the profile. */
    static List<String[]> columns(Profile profile) {
        return List.of(
                new String[] {"studyId", "string", "The study"},
                new String[] {
                    "siteId", "string", "The site (by site and by subject; by day, the site the request named, if any)"
                },
                profile.pseudonymous()
                        ? new String[] {"pseudonym", "string", "Subject pseudonym (random, per study); by subject only"}
                        : new String[] {"subjectId", "string", "Subject id; by subject only"},
                new String[] {
                    "day",
                    "date",
                    "The occurrences' local date in the subject's time zone (by day only; aggregated over subjects)"
                },
                new String[] {
                    "expected", "integer", "Occurrences counted: completed (on time or late) or whose window closed"
                },
                new String[] {
                    "onTime", "integer", "Completed on time (an offline answer authored inside the window too)"
                },
                new String[] {"late", "integer", "Completed after the window closed"},
                new String[] {"missed", "integer", "Windows that closed unanswered and were not answered late since"},
                new String[] {
                    "adherencePercent",
                    "decimal",
                    "(onTime + late) / expected in percent, one decimal, half up; empty while nothing was expected"
                });
    }

    /** The data dictionary of the file: its fixed columns under the export's profile. */
    public static DataDictionary dictionary(Profile profile) {
        return DataDictionary.ofColumns("compliance", columns(profile));
    }

    /** Not a report format: the worker opens the file with {@link #openRows}. */
    @Override
    public ExportWriter open(OutputStream out, ExportLayout layout, String resumeState) {
        throw new UnsupportedOperationException("compliance-csv writes compliance counts, not reports: openRows");
    }

    /** Starts a file: the header row under the export's profile. */
    public RowWriter openRows(OutputStream out, Profile profile) throws IOException {
        RowWriter w = new RowWriter(out);
        CsvExporter.headerRow(w.out, columns(profile).stream().map(c -> c[0]).toList());
        return w;
    }

    /** Writes compliance rows in order, one line each. Not thread-safe. */
    public static final class RowWriter {
        private final Utf8Output out;

        private RowWriter(OutputStream target) {
            this.out = new Utf8Output(target, 16 * 1024);
        }

        /** @param subject the row's subject as the profile shows it (id or pseudonym), null on a day or site row */
        public void write(String studyId, ComplianceReader.Row row, String subject) throws IOException {
            text(studyId);
            out.write((byte) ',');
            text(row.siteId());
            out.write((byte) ',');
            text(subject);
            out.write((byte) ',');
            if (row.day() != null) {
                ascii(row.day().toString());
            }
            ComplianceReader.Counts c = row.counts();
            for (long n : new long[] {c.expected(), c.onTime(), c.late(), c.missed()}) {
                out.write((byte) ',');
                ascii(Long.toString(n));
            }
            out.write((byte) ',');
            if (c.adherencePercent().isPresent()) {
                ascii(c.adherencePercent().get().toPlainString());
            }
            out.writeAscii(CsvExporter.CRLF);
        }

        private void text(String value) throws IOException {
            if (value != null) {
                CsvExporter.field(out, value);
            }
        }

        private void ascii(String s) throws IOException {
            out.writeAscii(s.getBytes(StandardCharsets.US_ASCII));
        }

        public void finish() throws IOException {
            out.flush();
        }
    }
}
