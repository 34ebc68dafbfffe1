package org.openepro.export.format;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.openepro.core.questionnaire.AnswerOption;

/**
 * A statistics package, as REDCap exports one: a zip holding the data ({@code data.csv}, one row per report,
 * the wide layout's columns under names every package accepts), a syntax file that reads it with variable
 * labels (item texts), value labels (answer displays), storage types and missing values, and the
 * {@code dictionary.csv}. One format per program: {@code spss} ({@code openepro.sps}), {@code sas}
 * ({@code openepro.sas}), {@code stata} ({@code openepro.do}) and {@code r} ({@code openepro.R}).
 *
 * <p>An empty cell is missing (SPSS system-missing, SAS {@code .}, Stata {@code .}, R {@code NA}). Text is
 * always quoted and never formula-guarded: the CSV is read by the package's syntax, which must get the values
 * exactly; a line break inside free text becomes a space, since SPSS and SAS read one case a line (every other
 * format keeps it). A scored choice is stored as its score with its displays as value labels; other choices keep their
 * codes (Stata, which labels only numbers, gets a coded copy {@code name_n}). Not resumable (a zip).
 */
public final class StatisticsPackageExporter implements Exporter {
    /** The programs, with their syntax file. */
    public enum Program {
        SPSS("spss", "openepro.sps"),
        SAS("sas", "openepro.sas"),
        STATA("stata", "openepro.do"),
        R("r", "openepro.R");

        final String format;
        final String syntaxFile;

        Program(String format, String syntaxFile) {
            this.format = format;
            this.syntaxFile = syntaxFile;
        }

        public String syntaxFile() {
            return syntaxFile;
        }
    }

    public static final String DATA_FILE = "data.csv";
    private final Program program;
    private final Format format;

    public StatisticsPackageExporter(Program program) {
        this.program = program;
        this.format = new Format(program.format, "zip", "application/zip", "StatisticsPackage", false);
    }

    @Override
    public Format format() {
        return format;
    }

    @Override
    public ExportWriter open(OutputStream out, ExportLayout layout, String resumeState) throws IOException {
        Exporter.refuseResume(resumeState, "a zip");
        return new Writer(out, layout, program);
    }

    /** The syntax file for a layout's variables, reading {@value #DATA_FILE} from the working directory. */
    public static String syntax(Program program, ExportLayout layout) {
        PackageVariables vars = PackageVariables.of(layout);
        return switch (program) {
            case SPSS -> PackageSyntax.spss(vars);
            case SAS -> PackageSyntax.sas(vars);
            case STATA -> PackageSyntax.stata(vars);
            case R -> PackageSyntax.r(vars);
        };
    }

    private static final class Writer implements ExportWriter {
        private final ZipOutputStream zip;
        private final ExportLayout layout;
        private final Program program;
        private final PackageVariables vars;
        private final TabularRow row;
        private final int[] columnOf;
        private final List<Map<String, String>> scoreOf = new ArrayList<>();
        private final HashingOutput data;
        private final Utf8Output out;
        private final List<Entry> contents = new ArrayList<>();
        private long rows;

        Writer(OutputStream target, ExportLayout layout, Program program) throws IOException {
            this.zip = new ZipOutputStream(UnclosableOutput.flushing(target), StandardCharsets.UTF_8);
            zip.setLevel(Deflater.BEST_SPEED);
            this.layout = layout;
            this.program = program;
            this.vars = PackageVariables.of(layout);
            this.row = new TabularRow(layout);
            this.columnOf = new int[vars.variables().size()];
            for (int i = 0; i < columnOf.length; i++) {
                PackageVariables.Variable v = vars.variables().get(i);
                columnOf[i] = layout.columns().indexOf(v.column());
                Map<String, String> scores = new HashMap<>();
                if (v.scored()) {
                    for (AnswerOption o : v.options()) {
                        scores.put(o.code(), o.ordinal().stripTrailingZeros().toPlainString());
                    }
                }
                scoreOf.add(scores);
            }
            zip.putNextEntry(new ZipEntry(DATA_FILE));
            this.data = new HashingOutput(UnclosableOutput.flushing(zip));
            this.out = new Utf8Output(data, 64 * 1024);
            for (int i = 0; i < columnOf.length; i++) {
                if (i > 0) {
                    out.write((byte) ',');
                }
                out.writeUtf8(vars.variables().get(i).name());
            }
            out.writeAscii(new byte[] {'\r', '\n'});
        }

        @Override
        public void write(ExportRecord record) throws IOException {
            row.fill(record);
            for (int i = 0; i < columnOf.length; i++) {
                if (i > 0) {
                    out.write((byte) ',');
                }
                Object v = columnOf[i] < 0 ? null : row.get(columnOf[i]);
                if (v == null) {
                    continue; // missing
                }
                PackageVariables.Variable var = vars.variables().get(i);
                switch (v) {
                    case Boolean b -> out.write((byte) (b ? '1' : '0'));
                    case BigDecimal d -> out.writeDecimal(d);
                    case Integer n -> out.writeLong(n);
                    case Instant t -> {
                        out.write((byte) '"');
                        out.writeInstant(t);
                        out.write((byte) '"');
                    }
                    default -> {
                        String s = v.toString();
                        String score = var.scored() ? scoreOf.get(i).get(s) : null;
                        if (score != null) {
                            out.writeUtf8(score);
                        } else if (!var.scored()) {
                            quoted(s);
                        }
                        // a scored choice whose code the definition does not know stays missing
                    }
                }
            }
            out.writeAscii(new byte[] {'\r', '\n'});
            rows++;
        }

        private void quoted(String s) throws IOException {
            out.write((byte) '"');
            if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
                s = s.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
            }
            out.writeUtf8(s.indexOf('"') < 0 ? s : s.replace("\"", "\"\""));
            out.write((byte) '"');
        }

        @Override
        public String suspend() {
            throw new UnsupportedOperationException("a zip cannot be suspended");
        }

        @Override
        public void finish() throws IOException {
            out.flush();
            zip.closeEntry();
            contents.add(new Entry(DATA_FILE, data.bytes(), data.sha256Hex(), rows));
            entry(program.syntaxFile, syntax(program, layout).getBytes(StandardCharsets.UTF_8), -1);
            DataDictionary dictionary = DataDictionary.of(layout);
            entry(
                    DataDictionary.CSV_NAME,
                    dictionary.csv(),
                    dictionary.entries().size());
            zip.finish();
            zip.flush();
        }

        private void entry(String name, byte[] bytes, long entryRows) throws IOException {
            zip.putNextEntry(new ZipEntry(name));
            HashingOutput h = new HashingOutput(UnclosableOutput.flushing(zip));
            h.write(bytes);
            zip.closeEntry();
            contents.add(new Entry(name, h.bytes(), h.sha256Hex(), entryRows));
        }

        @Override
        public List<Entry> contents() {
            return List.copyOf(contents);
        }
    }
}
