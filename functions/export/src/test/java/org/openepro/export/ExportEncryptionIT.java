package org.openepro.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openepro.core.report.Report;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedLambdaContext;
import org.openepro.emulator.EmulatedStack;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Every object an export writes asks for server-side encryption itself. The stack's bucket encrypts
 * by default, which would hide an object written without it, so these exports go to a bucket that
 * does not: only what the code sets can encrypt an object there.
 */
@ExtendWith(AwsEmulatorExtension.class)
class ExportEncryptionIT {

    private static String plainBucket(EmulatedStack stack) {
        S3Client s3 = stack.clients().s3();
        String bucket = "epro-plain-" + UUID.randomUUID();
        if (stack.region().equals("us-east-1")) {
            s3.createBucket(b -> b.bucket(bucket));
        } else {
            s3.createBucket(b -> b.bucket(bucket).createBucketConfiguration(c -> c.locationConstraint(stack.region())));
        }
        assertThatThrownBy(() -> s3.getBucketEncryption(b -> b.bucket(bucket))).isInstanceOf(S3Exception.class);
        return bucket;
    }

    @Test
    void theSavedTailsTheResumedFileAndTheManifestAreAllEncrypted(EmulatedStack stack) throws Exception {
        // GIVEN 150 reports and a worker whose every invocation runs out of time after a few pages
        ExportHarness h = new ExportHarness(
                stack, Map.of("EXPORT_PAGE_LIMIT", "10"), Map.of("EXPORT_BUCKET", plainBucket(stack)));
        String study = "ST-" + UUID.randomUUID();
        TestReports reports = new TestReports(3);
        List<Report> seeded = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            seeded.add(reports.report(
                    study,
                    "SITE-1",
                    "SUBJ-" + (i % 5),
                    i % 2 == 0 ? "phq-9" : "diary",
                    Instant.parse("2026-04-01T00:30:00Z").plusSeconds(2_000L * i)));
        }
        h.seed(seeded);
        String exportId = h.request(study, """
                {"format":"csv","from":"2026-04-01","to":"2026-04-04","profile":"limited"}""", null);

        // WHEN the worker handles the export one invocation at a time
        Set<String> seen = new TreeSet<>();
        while (h.handleOne(() -> EmulatedLambdaContext.running("ExportWorkerFunction", 3, 300_000, 1_000), false)) {
            // THEN whatever the export holds in the bucket between invocations is encrypted
            seen.addAll(h.assertEveryObjectEncrypted(exportId));
        }

        // AND that included the unfinished parts and the subjects seen, saved at suspensions, the file, its
        // dictionary and its manifest; what only a suspension needed is gone at the end
        assertThat(h.status(exportId, study, null).path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(h.invocations).isGreaterThanOrEqualTo(2);
        assertThat(seen)
                .anyMatch(k -> k.matches("exports/" + exportId + "/tail-\\d+\\.bin"))
                .anyMatch(k -> k.matches("exports/" + exportId + "/subjects-\\d+\\.txt"))
                .contains("exports/" + exportId + "/data.csv", "exports/" + exportId + "/manifest.json");
        assertThat(h.assertEveryObjectEncrypted(exportId))
                .containsExactlyInAnyOrder(
                        "exports/" + exportId + "/data.csv",
                        "exports/" + exportId + "/dictionary.csv",
                        "exports/" + exportId + "/manifest.json");
    }

    @Test
    void withTheStacksDataKeyEveryObjectIsEncryptedUnderThatKey(EmulatedStack stack) throws Exception {
        // GIVEN a worker configured with the stack's customer-managed key (DataKeyArn) and runs short of time
        String key = "arn:aws:kms:" + stack.region() + ":123456789012:key/" + UUID.randomUUID();
        ExportHarness h = new ExportHarness(
                stack,
                Map.of("EXPORT_PAGE_LIMIT", "10", "EXPORT_KMS_KEY_ARN", key),
                Map.of("EXPORT_BUCKET", plainBucket(stack)));
        String study = "ST-" + UUID.randomUUID();
        TestReports reports = new TestReports(5);
        List<Report> seeded = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            seeded.add(reports.report(
                    study,
                    "SITE-1",
                    "SUBJ-" + (i % 5),
                    "phq-9",
                    Instant.parse("2026-04-01T00:30:00Z").plusSeconds(2_000L * i)));
        }
        h.seed(seeded);
        String exportId = h.request(study, """
                {"format":"csv","from":"2026-04-01","to":"2026-04-04","profile":"limited"}""", null);

        // WHEN the worker handles it one invocation at a time
        Set<String> seen = new TreeSet<>();
        while (h.handleOne(() -> EmulatedLambdaContext.running("ExportWorkerFunction", 3, 300_000, 1_000), false)) {
            // THEN the saved tails, and at the end the file and its manifest, are SSE-KMS under that key, never SSE-S3
            seen.addAll(h.assertEveryObjectEncrypted(exportId, key));
        }
        assertThat(h.status(exportId, study, null).path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(seen)
                .anyMatch(k -> k.matches("exports/" + exportId + "/tail-\\d+\\.bin"))
                .anyMatch(k -> k.matches("exports/" + exportId + "/subjects-\\d+\\.txt"));
        assertThat(h.assertEveryObjectEncrypted(exportId, key))
                .containsExactlyInAnyOrder(
                        "exports/" + exportId + "/data.csv",
                        "exports/" + exportId + "/dictionary.csv",
                        "exports/" + exportId + "/manifest.json");
    }

    @Test
    void aFileWrittenInOnePutAndItsManifestAreEncrypted(EmulatedStack stack) throws Exception {
        ExportHarness h = new ExportHarness(stack, Map.of(), Map.of("EXPORT_BUCKET", plainBucket(stack)));
        String study = "ST-" + UUID.randomUUID();
        TestReports reports = new TestReports(4);
        h.seed(List.of(reports.report(study, "SITE-1", "SUBJ-1", "phq-9", Instant.parse("2026-04-01T08:00:00Z"))));
        String exportId = h.request(study, """
                {"format":"ndjson","from":"2026-04-01","to":"2026-04-01","profile":"limited"}""", null);

        h.drain();

        assertThat(h.status(exportId, study, null).path("rowCount").asInt()).isEqualTo(1);
        assertThat(h.assertEveryObjectEncrypted(exportId))
                .containsExactlyInAnyOrder(
                        "exports/" + exportId + "/data.ndjson",
                        "exports/" + exportId + "/dictionary.csv",
                        "exports/" + exportId + "/manifest.json");
    }
}
