package org.openepro.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openepro.core.questionnaire.AnswerOption;
import org.openepro.core.questionnaire.ItemDefinition;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.report.Answer;
import org.openepro.core.report.Report;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedStack;
import org.openepro.export.format.CsvReading;

/**
 * The statistics packages exported through the API, downloaded through their link and loaded by the real
 * programs: GNU PSPP runs the SPSS syntax and Rscript the R script; what they load is compared with what was
 * submitted, labels included.
 */
@ExtendWith(AwsEmulatorExtension.class)
class StatisticsPackagesIT {
    private final TestReports reports = new TestReports(31);

    private List<Report> seed(ExportHarness h, String study) {
        List<Report> all = reports.series(
                study,
                9,
                i -> "SITE-" + (i % 2),
                3,
                List.of("phq-9", "eq-5d-5l", "diary"),
                Instant.parse("2026-03-01T06:00:00Z"),
                3_000L);
        h.seed(all);
        return all;
    }

    /** Exports, downloads and unpacks a package into the directory; returns the job. */
    private static JsonNode export(ExportHarness h, String study, String format, String profile, Path dir)
            throws Exception {
        String exportId = h.request(study, """
                {"format":"%s","from":"2026-03-01","to":"2026-03-01","profile":"%s"}""".formatted(format, profile), null);
        h.drain();
        JsonNode job = h.status(exportId, study, null);
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        byte[] zip = h.download(job.path("download").path("url").asText()).body();
        assertThat(TestReports.sha256(zip)).isEqualTo(job.path("sha256").asText());
        Map<String, byte[]> files = TestReports.unzip(zip);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Files.write(dir.resolve(f.getKey()), f.getValue());
            JsonNode facts = null;
            for (JsonNode x : job.path("files")) {
                if (x.path("name").asText().equals("data.zip!/" + f.getKey())) {
                    facts = x;
                }
            }
            assertThat(facts).as(f.getKey()).isNotNull();
            assertThat(facts.path("sha256").asText()).as(f.getKey()).isEqualTo(TestReports.sha256(f.getValue()));
        }
        return job;
    }

    /** A CSV the programs wrote (PSPP and R end lines with LF; the reader wants RFC 4180's CRLF). */
    private static List<List<String>> csv(String text) {
        return CsvReading.parse(text.replace("\r\n", "\n").replace("\n", "\r\n"));
    }

    private static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static Map<String, Map<String, String>> byReport(List<List<String>> rows) {
        List<String> header = rows.get(0);
        Map<String, Map<String, String>> out = new HashMap<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                m.put(header.get(i), i < row.size() ? row.get(i).trim() : "");
            }
            out.put(m.get("reportId"), m);
        }
        return out;
    }

    /** The package's name for an item's variable: its linkId, made a name every package takes. */
    private static String var(String linkId) {
        String n = linkId.replaceAll("[^A-Za-z0-9]", "_");
        return Character.isLetter(n.charAt(0)) ? n : "i" + n;
    }

    private void assertLoaded(
            Map<String, Map<String, String>> values,
            Map<String, Map<String, String>> labels,
            List<Report> expected,
            String bool0,
            String bool1) {
        assertThat(values).hasSize(expected.size());
        for (Report r : expected) {
            Map<String, String> v = values.get(r.reportId());
            Map<String, String> l = labels.get(r.reportId());
            assertThat(v).as("report %s", r.reportId()).isNotNull();
            // the newest version describes each column (its codes and scores), as the package's layout does
            QuestionnaireDefinition q =
                    reports.registry().latest(r.questionnaireId()).orElseThrow();
            for (Answer a : r.answers()) {
                String name = var(a.linkId());
                ItemDefinition item = q.item(a.linkId()).orElseThrow();
                switch (a.type()) {
                    case CHOICE -> {
                        AnswerOption o = item.option(a.system(), a.code()).orElseThrow();
                        if (o.ordinal() != null) {
                            assertThat(new BigDecimal(v.get(name))).as(name).isEqualByComparingTo(o.ordinal());
                        } else {
                            assertThat(v.get(name)).as(name).isEqualTo(a.code());
                        }
                        assertThat(l.get(name)).as("label of %s", name).isEqualTo(o.display());
                    }
                    case INTEGER, DECIMAL ->
                        assertThat(new BigDecimal(v.get(name))).as(name).isEqualByComparingTo(a.number());
                    case BOOLEAN -> {
                        assertThat(v.get(name)).as(name).isEqualTo(a.bool() ? "1" : "0");
                        assertThat(l.get(name)).as(name).isEqualTo(a.bool() ? bool1 : bool0);
                    }
                    default ->
                        assertThat(v.get(name)).as(name).isEqualTo(a.text().replace('\n', ' '));
                }
            }
        }
    }

    @Test
    void psppLoadsTheSpssPackageWithItsValuesAndLabels(EmulatedStack stack, @TempDir Path dir) throws Exception {
        // GIVEN a study's reports of three questionnaires
        ExportHarness h = new ExportHarness(stack, Map.of());
        String study = "ST-" + UUID.randomUUID();
        List<Report> expected = seed(h, study);

        // WHEN the SPSS package is exported, downloaded and run by GNU PSPP
        JsonNode job = export(h, study, "spss", "limited", dir);
        Files.writeString(dir.resolve("driver.sps"), """
                INSERT FILE='openepro.sps'.
                SAVE TRANSLATE /OUTFILE='values.csv' /TYPE=CSV /FIELDNAMES /CELLS=VALUES /REPLACE.
                SAVE TRANSLATE /OUTFILE='labels.csv' /TYPE=CSV /FIELDNAMES /CELLS=LABELS /REPLACE.
                DISPLAY DICTIONARY.
                """);
        String log = run(dir, "pspp", "-O", "format=csv", "-o", "dictionary-out.csv", "driver.sps");

        // THEN PSPP reads it without a warning, every report a case, values and value labels as submitted
        assertThat(log).doesNotContainIgnoringCase("warning").doesNotContainIgnoringCase("error");
        assertThat(job.path("rowCount").asLong()).isEqualTo(expected.size());
        Map<String, Map<String, String>> values = byReport(csv(Files.readString(dir.resolve("values.csv"))));
        Map<String, Map<String, String>> labels = byReport(csv(Files.readString(dir.resolve("labels.csv"))));
        assertLoaded(values, labels, expected, "false", "true");
        // AND the variables carry the items' texts as labels
        String dictionary = Files.readString(dir.resolve("dictionary-out.csv"));
        assertThat(dictionary)
                .contains("i44250_9,")
                .contains("Little interest or pleasure in doing things")
                .contains("Mobility")
                .contains("Anything else?");
    }

    @Test
    void rscriptLoadsTheRPackageWithItsValuesLabelsAndFactors(EmulatedStack stack, @TempDir Path dir) throws Exception {
        ExportHarness h = new ExportHarness(stack, Map.of());
        String study = "ST-" + UUID.randomUUID();
        List<Report> expected = seed(h, study);

        // WHEN the R package is exported, downloaded and sourced by Rscript
        export(h, study, "r", "limited", dir);
        Files.writeString(dir.resolve("driver.R"), """
                source("openepro.R")
                values <- data[, !grepl("[.]factor$", names(data))]
                write.csv(values, "values.csv", row.names = FALSE, na = "")
                labelled <- data
                for (n in names(data)) if (is.factor(data[[paste0(n, ".factor")]])) labelled[[n]] <- as.character(data[[paste0(n, ".factor")]])
                write.csv(labelled[, !grepl("[.]factor$", names(labelled))], "labels.csv", row.names = FALSE, na = "")
                vl <- sapply(names(data), function(n) { l <- attr(data[[n]], "label"); if (is.null(l)) "" else l })
                write.csv(data.frame(name = names(data), label = vl, class = sapply(data, function(x) class(x)[1])),
                          "variables.csv", row.names = FALSE)
                """);
        run(dir, "Rscript", "--vanilla", "driver.R");

        // THEN R's data frame holds every report, values and factor labels as submitted
        Map<String, Map<String, String>> values = byReport(csv(Files.readString(dir.resolve("values.csv"))));
        Map<String, Map<String, String>> labels = byReport(csv(Files.readString(dir.resolve("labels.csv"))));
        assertLoaded(values, labels, expected, "false", "true");
        // AND each variable has its label and type
        Map<String, List<String>> variables = new HashMap<>();
        for (List<String> row : csv(Files.readString(dir.resolve("variables.csv")))) {
            variables.put(row.get(0), row);
        }
        assertThat(variables.get("i44250_9").get(1)).isEqualTo("Little interest or pleasure in doing things");
        assertThat(variables.get("i44250_9").get(2)).isEqualTo("integer");
        assertThat(variables.get("i44250_9.factor").get(2)).isEqualTo("factor");
        assertThat(variables.get("weight").get(2)).isEqualTo("numeric");
        assertThat(variables.get("comment").get(2)).isEqualTo("character");
    }

    @Test
    void sasAndStataPackagesHoldTheDataAndTheirSyntax(EmulatedStack stack, @TempDir Path dir) throws Exception {
        ExportHarness h = new ExportHarness(stack, Map.of());
        String study = "ST-" + UUID.randomUUID();
        List<Report> expected = seed(h, study);
        for (String format : List.of("sas", "stata")) {
            Path d = Files.createDirectory(dir.resolve(format));
            export(h, study, format, "limited", d);
            assertThat(Files.exists(d.resolve(format.equals("sas") ? "openepro.sas" : "openepro.do")))
                    .isTrue();
            assertThat(csv(Files.readString(d.resolve("data.csv")))).hasSize(1 + expected.size());
            assertThat(Files.readString(d.resolve("dictionary.csv"))).startsWith("variable,source,");
        }
    }

    @Test
    void aDeidentifiedPackageHoldsNoSubjectIdCalendarDateOrFreeText(EmulatedStack stack, @TempDir Path dir)
            throws Exception {
        ExportHarness h = new ExportHarness(stack, Map.of());
        String study = "ST-" + UUID.randomUUID();
        List<Report> expected = seed(h, study);

        export(h, study, "spss", "deidentified", dir);

        Pattern date = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
        for (String file : List.of("data.csv", "openepro.sps", "dictionary.csv")) {
            String text = Files.readString(dir.resolve(file));
            assertThat(date.matcher(text).find()).as("a date in %s", file).isFalse();
            for (Report r : expected) {
                assertThat(text)
                        .doesNotContain(r.subjectId())
                        .doesNotContain(r.reportId())
                        .doesNotContain(r.submittedBy());
                for (Answer a : r.answers()) {
                    if (a.type().freeText()) {
                        assertThat(text).doesNotContain(a.text());
                    }
                }
            }
        }
        // AND PSPP still loads it
        Files.writeString(dir.resolve("driver.sps"), "INSERT FILE='openepro.sps'.\nDISPLAY DICTIONARY.\n");
        assertThat(run(dir, "pspp", "driver.sps")).doesNotContainIgnoringCase("error");
    }
}
