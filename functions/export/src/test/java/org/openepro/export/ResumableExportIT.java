package org.openepro.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openepro.core.message.ExportMessage;
import org.openepro.core.projection.ProjectionKeys;
import org.openepro.core.report.Report;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedLambdaContext;
import org.openepro.emulator.EmulatedStack;
import org.openepro.export.job.ExportJobStore;

@ExtendWith(AwsEmulatorExtension.class)
class ResumableExportIT {
    /** Small pages, so a suspension falls in the middle of a page as well as between pages and days. */
    private static final Map<String, String> SMALL_PAGES = Map.of("EXPORT_PAGE_LIMIT", "10");

    private List<Report> seed(ExportHarness h, String study, int n) {
        TestReports reports = new TestReports(9);
        List<Report> seeded = new ArrayList<>(reports.series(
                study,
                n,
                i -> "SITE-" + (i % 3),
                9,
                List.of("phq-9", "gad-7", "diary", "pain-nrs"),
                Instant.parse("2026-04-01T00:30:00Z"),
                2_000L));
        h.seed(seeded);
        // the order the export reads: by day, then by the row's sort key
        seeded.sort(Comparator.comparing((Report r) -> ProjectionKeys.rowDay(r)).thenComparing(ProjectionKeys::rowSk));
        return seeded;
    }

    @ParameterizedTest
    @ValueSource(strings = {"csv", "json", "fhir-ndjson"})
    void anExportCutByDeadlinesContinuesAndCompletesWithACorrectFile(String format, EmulatedStack stack)
            throws Exception {
        // GIVEN 150 reports over four days, and a worker whose every invocation runs out of time after ~64 rows
        ExportHarness h = new ExportHarness(stack, SMALL_PAGES);
        String study = "ST-" + UUID.randomUUID();
        List<Report> expected = seed(h, study, 150);
        String exportId = h.request(study, """
                {"format":"%s","from":"2026-04-01","to":"2026-04-04","profile":"limited"}""".formatted(format), null);

        // WHEN the worker handles what the queue delivers, every message delivered twice
        h.drain(() -> EmulatedLambdaContext.running("ExportWorkerFunction", 3, 300_000, 1_000), true);

        // THEN it took several invocations and the job succeeded
        JsonNode job = h.status(exportId, study, null);
        assertThat(job.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(h.invocations).isGreaterThanOrEqualTo(3);
        assertThat(job.path("rowCount").asLong()).isEqualTo(expected.size());

        // AND the file holds every report once, in order, with the SHA-256 and size the job announces
        byte[] file = h.download(job.path("download").path("url").asText()).body();
        assertThat(job.path("sha256").asText())
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(file)));
        assertThat(job.path("bytes").asLong()).isEqualTo(file.length);
        List<Map<String, String>> rows =
                format.equals("fhir-ndjson") ? ExportFiles.fhir(file) : ExportFiles.rows(format, file);
        assertThat(rows)
                .extracting(r -> r.get("reportId"))
                .containsExactlyElementsOf(
                        expected.stream().map(Report::reportId).toList());

        // AND only the file, its dictionary and its manifest remain (the suspensions' tails and subject lists
        // were removed), and the subjects counted across segments are every subject once
        assertThat(h.objectKeys(exportId))
                .containsExactlyInAnyOrder(
                        "exports/" + exportId + "/data." + (format.equals("fhir-ndjson") ? "ndjson" : format),
                        "exports/" + exportId + "/dictionary.csv",
                        "exports/" + exportId + "/manifest.json");
        assertThat(job.path("subjectCount").asLong())
                .isEqualTo(expected.stream().map(Report::subjectId).distinct().count());
        assertThat(job.path("files").get(0).path("rows").asLong()).isEqualTo(expected.size());
    }

    @Test
    void anXlsxExportThatReachesTheDeadlineFailsWithAReasonInsteadOfACorruptFile(EmulatedStack stack) throws Exception {
        ExportHarness h = new ExportHarness(stack, SMALL_PAGES);
        String study = "ST-" + UUID.randomUUID();
        seed(h, study, 100);
        String exportId = h.request(study, "{\"format\":\"xlsx\",\"from\":\"2026-04-01\",\"to\":\"2026-04-04\"}", null);

        h.drain(() -> EmulatedLambdaContext.running("ExportWorkerFunction", 3, 300_000, 1_000));

        JsonNode job = h.status(exportId, study, null);
        assertThat(job.path("status").asText()).isEqualTo("FAILED");
        assertThat(job.path("failureReason").asText()).isEqualTo("DEADLINE_FORMAT_NOT_RESUMABLE");
        assertThat(job.has("download")).isFalse();
        assertThat(h.objectKeys(exportId)).isEmpty();
        assertThat(h.stack
                        .clients()
                        .s3()
                        .listMultipartUploads(
                                b -> b.bucket(h.stack.ref("ExportBucket")).prefix("exports/" + exportId))
                        .uploads())
                .isEmpty();
    }

    @Test
    void aMessageForAJobAnotherInvocationHoldsChangesNothing(EmulatedStack stack) throws Exception {
        // GIVEN a queued export that another live invocation has claimed
        ExportHarness h = new ExportHarness(stack, Map.of());
        String study = "ST-" + UUID.randomUUID();
        seed(h, study, 20);
        String exportId =
                h.request(study, "{\"format\":\"ndjson\",\"from\":\"2026-04-01\",\"to\":\"2026-04-04\"}", null);
        ExportJobStore store =
                new ExportJobStore(stack.clientsFor("ExportWorkerFunction").dynamo(), stack.ref("ExportsTable"));
        assertThat(store.claim(
                        exportId,
                        "other-invocation",
                        Instant.now(),
                        Instant.now().plusSeconds(300)))
                .isPresent();

        // WHEN the queue delivers the job's message (and a duplicate of it)
        h.drain(() -> EmulatedLambdaContext.withRemaining("ExportWorkerFunction", 300_000), true);

        // THEN the worker left it alone: still the other's, no file, no upload
        assertThat(store.get(exportId).orElseThrow().leaseOwner()).isEqualTo("other-invocation");
        assertThat(h.status(exportId, study, null).path("status").asText()).isEqualTo("RUNNING");
        assertThat(h.objectKeys(exportId)).isEmpty();

        // AND once that invocation gives the job up, the next message completes it exactly once
        store.release(exportId, "other-invocation");
        h.stack
                .clients()
                .sqs()
                .sendMessage(b -> b.queueUrl(h.stack.ref("ExportQueue"))
                        .messageBody(ExportMessage.CODEC.encode(new ExportMessage(exportId))));
        h.drain(() -> EmulatedLambdaContext.withRemaining("ExportWorkerFunction", 300_000), true);
        JsonNode job = h.status(exportId, study, null);
        assertThat(job.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(job.path("rowCount").asLong()).isEqualTo(20);
        assertThat(h.objectKeys(exportId))
                .isEqualTo(Set.of(
                        "exports/" + exportId + "/data.ndjson",
                        "exports/" + exportId + "/dictionary.csv",
                        "exports/" + exportId + "/manifest.json"));
    }
}
