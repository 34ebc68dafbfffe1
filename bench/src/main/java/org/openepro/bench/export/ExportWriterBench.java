package org.openepro.bench.export;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openepro.export.format.ExportLayout;
import org.openepro.export.format.ExportRecord;
import org.openepro.export.format.ExportWriter;
import org.openepro.export.format.Exporter;
import org.openepro.export.format.ExporterRegistry;
import org.openepro.export.profile.Profile;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rows per second, and (with {@code -prof gc}) bytes allocated per row, of each format's writer
 * writing {@value #ROWS} realistic rows (profile limited: ids, dates and free text included) into
 * an in-memory sink that counts and discards, so only the writer is measured. One operation is
 * one row: a whole file of {@value #ROWS} rows, header, dictionary and zip directory included. The rows
 * average {@link SyntheticRows#ANSWERS_PER_ROW} answers, so answers/s is rows/s times that (odm-xml's target:
 * 150k answers/s on one core).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-XX:+UseSerialGC", "-Xmx512m"})
public class ExportWriterBench {
    static final int ROWS = 20_000;

    @Param({"csv", "json", "ndjson", "xlsx", "fhir-ndjson", "odm-xml", "spss", "r"})
    public String format;

    private Exporter exporter;
    private ExportLayout layout;
    private List<ExportRecord> records;
    private final CountingSink sink = new CountingSink();

    @Setup
    public void setUp() {
        exporter = ExporterRegistry.standard().find(format).orElseThrow();
        layout = SyntheticRows.layout(SyntheticRows.reports(1), Profile.LIMITED)
                .withFacts(new ExportLayout.Facts(
                        "STUDY-BENCH",
                        List.of("SITE-0", "SITE-1", "SITE-2"),
                        java.time.Instant.parse("2026-01-01T00:00:00Z"),
                        "bench"));
        records = SyntheticRows.records(ROWS, Profile.LIMITED);
        java.util.Comparator<ExportRecord> order = exporter.order(org.openepro.export.format.TableLayout.WIDE);
        if (order != null) {
            // the writer gets its records in its order (the worker sorts them first; not measured here)
            records = records.stream().sorted(order).toList();
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long writeRows() throws IOException {
        ExportWriter writer = exporter.open(sink, layout, null);
        for (ExportRecord r : records) {
            writer.write(r);
        }
        writer.finish();
        return sink.bytes;
    }

    /** An in-memory sink: takes the bytes, keeps a count, allocates nothing. */
    static final class CountingSink extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }
}
