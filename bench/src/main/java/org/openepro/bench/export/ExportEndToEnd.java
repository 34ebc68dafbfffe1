package org.openepro.bench.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.openepro.core.aws.AwsClients;
import org.openepro.export.format.ExportLayout;
import org.openepro.export.format.ExportRecord;
import org.openepro.export.format.ExportWriter;
import org.openepro.export.format.Exporter;
import org.openepro.export.format.ExporterRegistry;
import org.openepro.export.format.TabularRow;
import org.openepro.export.profile.Profile;
import org.openepro.export.sort.RecordSorter;
import org.openepro.export.sort.S3ScratchStore;
import org.openepro.export.stream.MultipartSink;
import org.openepro.export.stream.PartBufferPool;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * One end-to-end export of synthetic rows to S3 (the emulator named by AWS_ENDPOINT_URL), in one
 * of three ways, run in its own JVM so that its peak heap is its own:
 * <ul>
 *   <li>{@code streaming}: OpenEPRO's pipeline (writer, pooled 8 MiB parts, 2 in flight, multipart upload);</li>
 *   <li>{@code naive}: the whole file built in a byte array, hashed (SHA-256, MessageDigest), then one
 *       PutObject (the first-tutorial way);</li>
 *   <li>{@code poi} (xlsx only): Apache POI SXSSF writing the same rows into the same streaming upload.</li>
 * </ul>
 * Prints one line: {@code RESULT format=.. mode=.. rows=.. seconds=.. rowsPerSecond=.. bytes=.. peakHeapMiB=.. maxHeapMiB=..}.
 * Usage: {@code ExportEndToEnd <csv|json|ndjson|xlsx|fhir-ndjson|odm-xml|spss|sas|stata|r> <rows> <streaming|naive|poi>}
 */
public final class ExportEndToEnd {
    private static final String BUCKET = "openepro-bench-exports";

    private ExportEndToEnd() {}

    public static void main(String[] args) throws Exception {
        String format = args[0];
        long rows = Long.parseLong(args[1]);
        String mode = args[2];
        if (System.getenv("AWS_ACCESS_KEY_ID") == null) {
            // the emulator accepts any key; never a real account from here
            System.setProperty("aws.accessKeyId", "testing");
            System.setProperty("aws.secretAccessKey", "testing");
        }
        Exporter exporter = ExporterRegistry.standard().find(format).orElseThrow();
        ExportLayout layout = SyntheticRows.layout(SyntheticRows.reports(1), Profile.LIMITED);
        try (AwsClients aws = AwsClients.fromEnv(System.getenv());
                ExecutorService uploads = Executors.newVirtualThreadPerTaskExecutor()) {
            S3Client s3 = aws.s3();
            try {
                s3.createBucket(b -> b.bucket(BUCKET));
            } catch (RuntimeException alreadyThere) {
                // created by an earlier run
            }
            String key = "exports/bench-" + System.nanoTime() + "/data." + exporter.fileExtension();
            Iterator<ExportRecord> source = SyntheticRows.stream(rows, Profile.LIMITED);
            long start = System.nanoTime();
            long bytes = switch (mode) {
                case "streaming" -> streaming(s3, uploads, exporter, layout, source, key);
                case "naive" -> naive(s3, exporter, layout, source, key);
                case "poi" -> poi(s3, uploads, exporter, layout, source, key);
                default -> throw new IllegalArgumentException("mode: streaming, naive or poi");
            };
            double seconds = (System.nanoTime() - start) / 1e9;
            s3.deleteObject(b -> b.bucket(BUCKET).key(key));
            System.out.printf(
                    Locale.ROOT,
                    "RESULT format=%s mode=%s rows=%d seconds=%.2f rowsPerSecond=%.0f bytes=%d "
                            + "peakHeapMiB=%.1f maxHeapMiB=%d%n",
                    format,
                    mode,
                    rows,
                    seconds,
                    rows / seconds,
                    bytes,
                    peakHeap() / 1048576.0,
                    Runtime.getRuntime().maxMemory() / 1048576);
        }
    }

    private static long streaming(
            S3Client s3,
            ExecutorService uploads,
            Exporter exporter,
            ExportLayout layout,
            Iterator<ExportRecord> source,
            String key)
            throws IOException {
        PartBufferPool pool = new PartBufferPool(8 * 1024 * 1024, 3);
        MultipartSink sink = MultipartSink.start(
                s3, uploads, pool, new MultipartSink.Target(BUCKET, key, exporter.contentType()), 10_000);
        java.util.Comparator<ExportRecord> order = exporter.order(org.openepro.export.format.TableLayout.WIDE);
        if (order == null) {
            ExportWriter writer = exporter.open(sink, layout, null);
            while (source.hasNext()) {
                writer.write(source.next());
            }
            writer.finish();
            return sink.complete().bytes();
        }
        // a format that needs its own order: the worker's external sort, its runs in the bucket
        try (RecordSorter sorter = new RecordSorter(
                order,
                new S3ScratchStore(
                        s3, BUCKET, key + "-scratch/", org.openepro.export.stream.ObjectEncryption.S3_MANAGED),
                20_000)) {
            while (source.hasNext()) {
                sorter.add(source.next());
            }
            ExportWriter writer = exporter.open(sink, facts(layout), null);
            for (Iterator<ExportRecord> it = sorter.sorted(); it.hasNext(); ) {
                writer.write(it.next());
            }
            writer.finish();
        }
        return sink.complete().bytes();
    }

    private static long naive(
            S3Client s3, Exporter exporter, ExportLayout layout, Iterator<ExportRecord> source, String key)
            throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        java.util.Comparator<ExportRecord> order = exporter.order(org.openepro.export.format.TableLayout.WIDE);
        ExportWriter writer = exporter.open(file, order == null ? layout : facts(layout), null);
        if (order == null) {
            while (source.hasNext()) {
                writer.write(source.next());
            }
        } else {
            // the naive way to order: every record in a list, sorted in memory
            java.util.List<ExportRecord> all = new java.util.ArrayList<>();
            source.forEachRemaining(all::add);
            all.sort(order);
            for (ExportRecord r : all) {
                writer.write(r);
            }
        }
        writer.finish();
        byte[] bytes = file.toByteArray();
        // the job reports the file's SHA-256 whichever way it is made
        try {
            java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        s3.putObject(
                b -> b.bucket(BUCKET)
                        .key(key)
                        .contentType(exporter.contentType())
                        .serverSideEncryption(ServerSideEncryption.AES256),
                RequestBody.fromBytes(bytes));
        return bytes.length;
    }

    /** What a sorting format's writer is told of the export (study, sites, as-of time). */
    private static ExportLayout facts(ExportLayout layout) {
        return layout.withFacts(new ExportLayout.Facts(
                "STUDY-BENCH",
                java.util.List.of("SITE-0", "SITE-1", "SITE-2"),
                java.time.Instant.parse("2026-01-01T00:00:00Z"),
                "bench"));
    }

    /** The same rows as an xlsx written by Apache POI's streaming SXSSF API (it spools rows to temporary files). */
    private static long poi(
            S3Client s3,
            ExecutorService uploads,
            Exporter exporter,
            ExportLayout layout,
            Iterator<ExportRecord> source,
            String key)
            throws IOException {
        if (!exporter.name().equals("xlsx")) {
            throw new IllegalArgumentException("poi writes xlsx only");
        }
        MultipartSink sink = MultipartSink.start(
                s3,
                uploads,
                new PartBufferPool(8 * 1024 * 1024, 3),
                new MultipartSink.Target(BUCKET, key, exporter.contentType()),
                10_000);
        SXSSFWorkbook wb = new SXSSFWorkbook(512);
        wb.setCompressTempFiles(false);
        try {
            SXSSFSheet sheet = wb.createSheet("data");
            CellStyle dateTime = wb.createCellStyle();
            dateTime.setDataFormat(wb.createDataFormat().getFormat("yyyy-mm-dd hh:mm:ss"));
            var header = sheet.createRow(0);
            for (int c = 0; c < layout.size(); c++) {
                header.createCell(c).setCellValue(layout.columns().get(c).name());
            }
            TabularRow row = new TabularRow(layout);
            int r = 1;
            while (source.hasNext()) {
                row.fill(source.next());
                var xrow = sheet.createRow(r++);
                for (int c = 0; c < row.size(); c++) {
                    Object v = row.get(c);
                    if (v == null) {
                        continue;
                    }
                    var cell = xrow.createCell(c);
                    switch (v) {
                        case String s -> cell.setCellValue(s);
                        case BigDecimal d -> cell.setCellValue(d.doubleValue());
                        case Integer n -> cell.setCellValue(n);
                        case Boolean b -> cell.setCellValue(b);
                        case Instant t -> {
                            cell.setCellValue(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
                            cell.setCellStyle(dateTime);
                        }
                        default -> cell.setCellValue(v.toString());
                    }
                }
            }
            var dictionary = wb.createSheet("dictionary");
            for (int c = 0; c < layout.size(); c++) {
                var d = dictionary.createRow(c);
                d.createCell(0).setCellValue(layout.columns().get(c).name());
                d.createCell(1)
                        .setCellValue(String.valueOf(layout.columns().get(c).description()));
            }
            wb.write(new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    sink.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    sink.write(b, off, len);
                }
            });
        } finally {
            wb.close();
            wb.dispose();
        }
        return sink.complete().bytes();
    }

    /** Sum of the heap pools' peak usage since the JVM started. */
    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
