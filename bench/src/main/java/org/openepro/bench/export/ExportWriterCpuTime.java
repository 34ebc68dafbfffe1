package org.openepro.bench.export;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import org.openepro.export.format.ExportLayout;
import org.openepro.export.format.ExportRecord;
import org.openepro.export.format.ExportWriter;
import org.openepro.export.format.Exporter;
import org.openepro.export.format.ExporterRegistry;
import org.openepro.export.format.TableLayout;
import org.openepro.export.profile.Profile;

/**
 * The writers' throughput per second of the thread's own CPU time (ThreadMXBean), the same workload as
 * {@link ExportWriterBench}: on a shared, loaded machine a JMH wall-clock score mostly measures how often the
 * thread was descheduled, while CPU time per row is what one core of Lambda would spend. Each format writes
 * {@value #ROWS} rows {@code rounds} times after {@code warmup} rounds; prints rows and answers per CPU-second
 * and the ratio to csv measured in the same run. Usage: {@code ExportWriterCpuTime [rounds=10] [warmup=10] [formats...]}.
 */
public final class ExportWriterCpuTime {
    static final int ROWS = 20_000;

    private ExportWriterCpuTime() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        List<String> formats = args.length > 2
                ? List.of(args).subList(2, args.length)
                : List.of("csv", "json", "ndjson", "xlsx", "fhir-ndjson", "odm-xml", "spss", "sas", "stata", "r");
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        ExportLayout layout = SyntheticRows.layout(SyntheticRows.reports(1), Profile.LIMITED)
                .withFacts(new ExportLayout.Facts(
                        "STUDY-BENCH",
                        List.of("SITE-0", "SITE-1", "SITE-2"),
                        java.time.Instant.parse("2026-01-01T00:00:00Z"),
                        "bench"));
        List<ExportRecord> records = SyntheticRows.records(ROWS, Profile.LIMITED);
        double csvRate = 0;
        System.out.printf(Locale.ROOT, "answers per row: %.2f%n", SyntheticRows.ANSWERS_PER_ROW);
        for (String format : formats) {
            Exporter exporter = ExporterRegistry.standard().find(format).orElseThrow();
            java.util.Comparator<ExportRecord> order = exporter.order(TableLayout.WIDE);
            List<ExportRecord> input =
                    order == null ? records : records.stream().sorted(order).toList();
            long best = Long.MAX_VALUE;
            long total = 0;
            for (int i = 0; i < warmup + rounds; i++) {
                ExportWriterBench.CountingSink sink = new ExportWriterBench.CountingSink();
                long start = cpu.getCurrentThreadCpuTime();
                ExportWriter w = exporter.open(sink, layout, null);
                for (ExportRecord r : input) {
                    w.write(r);
                }
                w.finish();
                long used = cpu.getCurrentThreadCpuTime() - start;
                if (i >= warmup) {
                    best = Math.min(best, used);
                    total += used;
                }
            }
            double rowsPerCpuSecond = ROWS / (total / (double) rounds / 1e9);
            double bestRate = ROWS / (best / 1e9);
            if (format.equals("csv")) {
                csvRate = rowsPerCpuSecond;
            }
            System.out.printf(
                    Locale.ROOT,
                    "RESULT format=%s rowsPerCpuSecond=%.0f answersPerCpuSecond=%.0f "
                            + "bestRowsPerCpuSecond=%.0f ratioToCsv=%s%n",
                    format,
                    rowsPerCpuSecond,
                    rowsPerCpuSecond * SyntheticRows.ANSWERS_PER_ROW,
                    bestRate,
                    csvRate == 0 ? "-" : String.format(Locale.ROOT, "%.2f", rowsPerCpuSecond / csvRate));
        }
    }
}
