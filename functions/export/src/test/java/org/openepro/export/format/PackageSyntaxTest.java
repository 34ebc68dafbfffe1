package org.openepro.export.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openepro.export.profile.Profile;

/**
 * The syntax files against golden copies (reviewed against each program's documented grammar; see the
 * comments in the golden files' tests) and against the rules of that grammar the generator must keep.
 * SPSS and R syntax are also run by PSPP and Rscript in StatisticsPackagesIT; SAS and Stata are not
 * available here, so these are their proof.
 */
class PackageSyntaxTest {
    private static ExportLayout layout() {
        return ExportLayout.of(Fixtures.definitions(List.of("phq-9", "diary")), Profile.LIMITED, false);
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = PackageSyntaxTest.class.getResourceAsStream("/golden/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The syntax written now, kept beside the build (target/golden-actual/) to diff against the golden copy. */
    private static String actual(StatisticsPackageExporter.Program program, String name) throws IOException {
        String syntax = StatisticsPackageExporter.syntax(program, layout());
        java.nio.file.Path dir =
                java.nio.file.Files.createDirectories(java.nio.file.Path.of("target", "golden-actual"));
        java.nio.file.Files.writeString(dir.resolve(name), syntax);
        return syntax;
    }

    @Test
    void sasSyntaxIsTheReviewedGoldenFile() throws Exception {
        assertThat(actual(StatisticsPackageExporter.Program.SAS, "openepro.sas"))
                .isEqualTo(golden("openepro.sas"));
    }

    @Test
    void stataSyntaxIsTheReviewedGoldenFile() throws Exception {
        assertThat(actual(StatisticsPackageExporter.Program.STATA, "openepro.do"))
                .isEqualTo(golden("openepro.do"));
    }

    @Test
    void sasNamesFitTheLanguage() {
        String sas = StatisticsPackageExporter.syntax(StatisticsPackageExporter.Program.SAS, layout());
        // SAS 9: names of at most 32 characters, a format name never ends in a digit, every statement ends with ;
        for (PackageVariables.Variable v : PackageVariables.of(layout()).variables()) {
            assertThat(v.name()).matches("[A-Za-z][A-Za-z0-9_]{0,31}");
            if (!v.valueLabels().isEmpty()) {
                assertThat(PackageSyntax.sasFormat(v))
                        .matches("\\$?[A-Za-z_][A-Za-z0-9_]*[A-Za-z_]")
                        .hasSizeLessThanOrEqualTo(32);
                assertThat(sas).contains(" " + v.name() + " " + PackageSyntax.sasFormat(v) + ".");
            }
        }
        assertThat(sas)
                .contains("proc format;")
                .contains("data openepro;")
                .contains("infile 'data.csv' dsd firstobs=2");
        assertThat(Pattern.compile("^run;$", Pattern.MULTILINE)
                        .matcher(sas)
                        .results()
                        .count())
                .isEqualTo(2);
    }

    @Test
    void stataLabelsOnlyNumbersAndCodesTextChoices() {
        String stata = StatisticsPackageExporter.syntax(StatisticsPackageExporter.Program.STATA, layout());
        // a text choice (the diary's mood) gets a numeric copy before it is labelled
        assertThat(stata)
                .contains("generate byte mood_n = .\nreplace mood_n = 1 if mood == `\"good\"'\n")
                .contains("label values mood_n mood_n\n")
                .doesNotContain("label values mood mood");
        // a scored choice is labelled as it is
        assertThat(stata).contains("label define i44250_9 0 `\"Not at all\"' 1 `\"Several days\"'");
        for (String line : stata.split("\n")) {
            assertThat(line)
                    .matches(
                            "(\\* .*|import delimited .*|label (variable|define|values) .*|generate byte .*|replace .*)");
        }
    }

    @Test
    void spssNeverStartsALineWithAVariableName() {
        String spss = StatisticsPackageExporter.syntax(StatisticsPackageExporter.Program.SPSS, layout());
        for (String line : spss.split("\n")) {
            for (PackageVariables.Variable v : PackageVariables.of(layout()).variables()) {
                assertThat(line.stripLeading()).doesNotStartWith(v.name() + " ");
            }
        }
    }

    @Test
    void namesAreUniqueLegalAndShort() {
        assertThat(PackageVariables.name("44250-9")).isEqualTo("i44250_9");
        assertThat(PackageVariables.name("phq-9/44250-9")).isEqualTo("phq_9_44250_9");
        assertThat(PackageVariables.name("a".repeat(40))).hasSize(32);
        assertThat(PackageSyntax.cut("é".repeat(200), 255).getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(255);
    }
}
