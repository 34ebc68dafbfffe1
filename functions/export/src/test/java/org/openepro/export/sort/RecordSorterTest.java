package org.openepro.export.sort;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openepro.core.report.Report;
import org.openepro.core.schedule.WindowVerdict;
import org.openepro.export.TestReports;
import org.openepro.export.format.ExportRecord;
import org.openepro.export.profile.Profile;
import org.openepro.export.profile.Pseudonym;
import org.openepro.export.profile.RecordProfiler;

class RecordSorterTest {
    /** Scratch objects in memory, remembering what was ever stored and what is left. */
    static final class MemoryScratch implements ScratchStore {
        final Map<String, byte[]> objects = new HashMap<>();
        int stored;

        @Override
        public void put(String name, byte[] bytes) {
            objects.put(name, bytes);
            stored++;
        }

        @Override
        public InputStream open(String name) {
            return new ByteArrayInputStream(objects.get(name));
        }

        @Override
        public void delete(String name) {
            objects.remove(name);
        }
    }

    private static List<ExportRecord> records(int n, Profile profile) {
        TestReports reports = new TestReports(5);
        RecordProfiler p = new RecordProfiler(
                profile,
                (study, subject, anchor) ->
                        new Pseudonym("P" + subject.hashCode(), java.time.LocalDate.parse("2026-02-01")));
        List<ExportRecord> out = new ArrayList<>();
        String[] qs = {"phq-9", "diary", "eq-5d-5l"};
        for (int i = 0; i < n; i++) {
            Report r = reports.report(
                    "ST",
                    "SITE-" + (i % 3),
                    "SUBJ-" + (i * 7 % 11),
                    qs[i % 3],
                    Instant.parse("2026-03-01T00:00:00Z").plusSeconds(600L * i));
            if (i % 2 == 0) {
                // half of them answered a schedule task, with every verdict: the runs must keep both
                r = r.toBuilder()
                        .schedule(
                                "entry.2026-03-01.v" + i, WindowVerdict.values()[i / 2 % WindowVerdict.values().length])
                        .build();
            }
            out.add(p.apply(r));
        }
        return out;
    }

    @Test
    void mergesSpilledRunsIntoOneStableOrderAndLeavesNoScratchBehind() throws Exception {
        // GIVEN 1,000 records, sorted by subject in runs of 64 (so 15 runs go to scratch)
        List<ExportRecord> in = records(1_000, Profile.IDENTIFIED);
        MemoryScratch scratch = new MemoryScratch();
        List<ExportRecord> out = new ArrayList<>();

        // WHEN they pass through the sorter
        try (RecordSorter sorter = new RecordSorter(Comparator.comparing(ExportRecord::subject), scratch, 64)) {
            for (ExportRecord r : in) {
                sorter.add(r);
            }
            assertThat(sorter.runs()).isEqualTo(15);
            for (Iterator<ExportRecord> it = sorter.sorted(); it.hasNext(); ) {
                out.add(it.next());
            }
        }

        // THEN they come out in the order a stable in-memory sort gives, each record whole
        List<ExportRecord> expected = new ArrayList<>(in);
        expected.sort(Comparator.comparing(ExportRecord::subject));
        assertThat(out).containsExactlyElementsOf(expected);
        // AND the runs were spilled and then deleted
        assertThat(scratch.stored).isEqualTo(15);
        assertThat(scratch.objects).isEmpty();
    }

    @Test
    void roundTripsEveryFieldOfADeidentifiedRecordThroughARun() throws Exception {
        List<ExportRecord> in = records(50, Profile.DEIDENTIFIED);
        MemoryScratch scratch = new MemoryScratch();
        List<ExportRecord> out = new ArrayList<>();
        try (RecordSorter sorter = new RecordSorter(Comparator.comparing(ExportRecord::questionnaireId), scratch, 7)) {
            for (ExportRecord r : in) {
                sorter.add(r);
            }
            sorter.sorted().forEachRemaining(out::add);
        }
        assertThat(out).containsExactlyInAnyOrderElementsOf(in);
    }

    @Test
    void aSmallExportNeverTouchesScratch() throws Exception {
        MemoryScratch scratch = new MemoryScratch();
        try (RecordSorter sorter = new RecordSorter(Comparator.comparing(ExportRecord::subject), scratch, 100)) {
            for (ExportRecord r : records(99, Profile.LIMITED)) {
                sorter.add(r);
            }
            assertThat(sorter.sorted()).toIterable().hasSize(99);
        }
        assertThat(scratch.stored).isZero();
    }
}
