package org.openepro.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** make lint's check that every exception to the security scans carries its reason where the resource is. */
class ScanExceptionsTest {
    private static final String DLQ_IGNORE =
            "            - ES6000 # this is a dead-letter queue: its messages wait 14 days behind an alarm, nowhere further to go\n";

    record Run(int exit, String out, String err) {}

    private static Run check(Path template) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(
                        ProjectPaths.venvBin("python").toString(),
                        ProjectPaths.root()
                                .resolve("infra/scripts/check_scan_exceptions.py")
                                .toString(),
                        template.toString())
                .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, err);
    }

    private static Path variant(Path dir, String find, String replace) throws IOException {
        String template = Files.readString(ProjectPaths.template());
        assertThat(template)
                .as("the template still has the line this test edits")
                .contains(find);
        Path copy = dir.resolve("template.yaml");
        Files.writeString(
                copy,
                template.replaceFirst(
                        java.util.regex.Pattern.quote(find), java.util.regex.Matcher.quoteReplacement(replace)));
        return copy;
    }

    @Test
    void theTemplatesExceptionsAllHaveReasonsAndAreListedForTheReview() throws Exception {
        Run run = check(ProjectPaths.template());

        assertThat(run.exit()).as(run.err()).isZero();
        List<String> listed = run.out().lines().skip(1).toList();
        assertThat(run.out().lines().findFirst().orElseThrow()).matches(listed.size() + " scan exceptions in .*");
        assertThat(listed)
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line)
                        .matches("  (CKV2?_AWS_\\d+|[EW]S?\\d{4}) +(checkov|cfn-lint) +\\w+ +\\S.{19,}"));
        assertThat(listed).anyMatch(l -> l.contains("CKV_AWS_117") && l.contains("SubmitReportFunction"));
    }

    @Test
    void aCheckovSkipWithoutAReasonFails(@TempDir Path dir) throws Exception {
        Path template = variant(
                dir, "            comment: No versioning - an export lives one day", "            comment: ok\n#");

        Run run = check(template);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("ExportBucket: checkov skip CKV_AWS_21 has no reason");
    }

    @Test
    void aCfnLintIgnoreWithoutAReasonOnItsLineFails(@TempDir Path dir) throws Exception {
        Path template = variant(dir, DLQ_IGNORE, "            - ES6000\n");

        Run run = check(template);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("cfn-lint ignore ES6000 has no reason");
    }

    @Test
    void anIgnoreInAToolConfigurationBesideTheTemplateFails(@TempDir Path dir) throws Exception {
        // GIVEN the template unchanged, and a cfn-lint configuration beside it that would ignore a rule everywhere
        Path template = dir.resolve("template.yaml");
        Files.copy(ProjectPaths.template(), template);
        Files.writeString(dir.resolve(".cfnlintrc"), "ignore_checks:\n  - WS1004\n");

        Run run = check(template);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains(".cfnlintrc: scan exceptions belong in the resource's Metadata");
    }

    @Test
    void anExceptionForTheWholeTemplateInsteadOfItsResourceFails(@TempDir Path dir) throws Exception {
        Path template = variant(
                dir,
                "\nParameters:\n",
                "\nMetadata:\n  cfn-lint:\n    config:\n      ignore_checks:\n        - WS1004 # every function, said once for all of them\nParameters:\n");

        Run run = check(template);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("belong to the resource they excuse");
    }
}
