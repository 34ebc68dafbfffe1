package org.openepro.export.format;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The syntax files of the statistics packages, each reading {@code data.csv} with the variables' types,
 * labels, value labels and missing values in the program's own documented grammar: SPSS and PSPP
 * ({@code GET DATA /TYPE=TXT}, {@code VARIABLE LABELS}, {@code VALUE LABELS}), SAS ({@code PROC FORMAT},
 * a {@code DATA} step with {@code INFILE ... DSD}), Stata ({@code import delimited}, {@code label define},
 * {@code label values}) and R ({@code read.csv}, {@code attr(, "label")}, {@code factor}). Labels longer than a
 * program allows are cut at its limit (the dictionary holds them whole); line breaks become spaces.
 */
final class PackageSyntax {
    private static final String HEAD = "OpenEPRO export: reads data.csv (UTF-8) from the working directory; "
            + "labels are the questionnaires' own texts; dictionary.csv describes every variable";

    private PackageSyntax() {}

    // ------------------------------------------------------------------------------------------ SPSS / PSPP
    static String spss(PackageVariables vars) {
        StringBuilder b = new StringBuilder();
        b.append("* ").append(HEAD).append(".\n");
        b.append("* Empty numeric cells are system-missing.\n");
        // No line starts with a variable name: PSPP's segmenter takes a line that starts with a command word
        // (COMMENT, DOCUMENT...) as a new command, whatever the indentation, and items have such names.
        b.append("GET DATA /TYPE=TXT /FILE='data.csv' /ENCODING='UTF-8' /ARRANGEMENT=DELIMITED\n")
                .append("  /DELCASE=LINE /FIRSTCASE=2 /DELIMITERS=',' /QUALIFIER='\"'\n  /VARIABLES=");
        List<PackageVariables.Variable> list = vars.variables();
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                b.append("\n    ").append(spssFormat(list.get(i - 1))).append(' ');
            }
            b.append(list.get(i).name());
        }
        b.append(' ').append(spssFormat(list.get(list.size() - 1))).append(".\n");
        b.append("VARIABLE LABELS");
        for (int i = 0; i < list.size(); i++) {
            b.append(i == 0 ? " " : "\n  /")
                    .append(list.get(i).name())
                    .append(' ')
                    .append(spssString(cut(list.get(i).label(), 255)));
        }
        b.append(".\n");
        boolean any = false;
        for (PackageVariables.Variable v : list) {
            if (v.valueLabels().isEmpty()) {
                continue;
            }
            b.append(any ? "\n  /" : "VALUE LABELS ").append(v.name());
            any = true;
            for (PackageVariables.ValueLabel l : v.valueLabels()) {
                b.append(' ')
                        .append(v.storage() == PackageVariables.Storage.TEXT ? spssString(l.value()) : l.value())
                        .append(' ')
                        .append(spssString(cut(l.label(), 120)));
            }
        }
        if (any) {
            b.append(".\n");
        }
        b.append("EXECUTE.\n");
        return b.toString();
    }

    private static String spssFormat(PackageVariables.Variable v) {
        return switch (v.storage()) {
            case INTEGER -> "F8.0";
            case DECIMAL -> "F16.6";
            case TEXT -> "A" + Math.max(1, v.width());
        };
    }

    private static String spssString(String s) {
        return "'" + oneLine(s).replace("'", "''") + "'";
    }

    // ------------------------------------------------------------------------------------------ SAS
    static String sas(PackageVariables vars) {
        StringBuilder b = new StringBuilder();
        b.append("/* ").append(HEAD.replace("*/", "* /")).append(". */\n");
        b.append("/* Empty cells are missing (. for numbers, blank for text). */\n");
        boolean any = vars.variables().stream().anyMatch(v -> !v.valueLabels().isEmpty());
        if (any) {
            b.append("proc format;\n");
            for (PackageVariables.Variable v : vars.variables()) {
                if (v.valueLabels().isEmpty()) {
                    continue;
                }
                boolean text = v.storage() == PackageVariables.Storage.TEXT;
                b.append("  value ").append(sasFormat(v)).append('\n');
                for (PackageVariables.ValueLabel l : v.valueLabels()) {
                    b.append("    ")
                            .append(text ? sasString(l.value()) : l.value())
                            .append(" = ")
                            .append(sasString(cut(l.label(), 256)))
                            .append('\n');
                }
                b.append("  ;\n");
            }
            b.append("run;\n\n");
        }
        b.append("data openepro;\n");
        b.append("  infile 'data.csv' dsd firstobs=2 lrecl=1048576 encoding='utf-8' truncover termstr=crlf;\n");
        b.append("  length\n");
        for (PackageVariables.Variable v : vars.variables()) {
            b.append("    ")
                    .append(v.name())
                    .append(' ')
                    .append(v.storage() == PackageVariables.Storage.TEXT ? "$ " + Math.max(1, v.width()) : "8")
                    .append('\n');
        }
        b.append("  ;\n  input\n");
        for (PackageVariables.Variable v : vars.variables()) {
            b.append("    ")
                    .append(v.name())
                    .append(v.storage() == PackageVariables.Storage.TEXT ? " $" : "")
                    .append('\n');
        }
        b.append("  ;\n  label\n");
        for (PackageVariables.Variable v : vars.variables()) {
            b.append("    ")
                    .append(v.name())
                    .append(" = ")
                    .append(sasString(cut(v.label(), 256)))
                    .append('\n');
        }
        b.append("  ;\n");
        if (any) {
            b.append("  format\n");
            for (PackageVariables.Variable v : vars.variables()) {
                if (!v.valueLabels().isEmpty()) {
                    b.append("    ")
                            .append(v.name())
                            .append(' ')
                            .append(sasFormat(v))
                            .append(".\n");
                }
            }
            b.append("  ;\n");
        }
        b.append("run;\n");
        return b.toString();
    }

    /** A format name: at most 32 characters with the $ of a text format, and never ending in a digit. */
    static String sasFormat(PackageVariables.Variable v) {
        boolean text = v.storage() == PackageVariables.Storage.TEXT;
        String base = v.name();
        int max = text ? 30 : 31;
        if (base.length() > max) {
            base = base.substring(0, max);
        }
        return (text ? "$" : "") + base + "f";
    }

    private static String sasString(String s) {
        return "\"" + oneLine(s).replace("\"", "\"\"") + "\"";
    }

    // ------------------------------------------------------------------------------------------ Stata
    static String stata(PackageVariables vars) {
        StringBuilder b = new StringBuilder();
        b.append("* ").append(HEAD).append('\n');
        b.append("* Empty numeric cells are missing (.).\n");
        StringBuilder strings = new StringBuilder();
        StringBuilder numbers = new StringBuilder();
        List<PackageVariables.Variable> list = vars.variables();
        for (int i = 0; i < list.size(); i++) {
            (list.get(i).storage() == PackageVariables.Storage.TEXT ? strings : numbers)
                    .append(' ')
                    .append(i + 1);
        }
        b.append(
                        "import delimited using \"data.csv\", varnames(1) case(preserve) encoding(\"utf-8\") delimiters(\",\")")
                .append(" bindquotes(strict) stripquotes(yes)");
        if (!strings.isEmpty()) {
            b.append(" stringcols(").append(strings.toString().trim()).append(')');
        }
        if (!numbers.isEmpty()) {
            b.append(" numericcols(").append(numbers.toString().trim()).append(')');
        }
        b.append(" clear\n");
        for (PackageVariables.Variable v : list) {
            b.append("label variable ")
                    .append(v.name())
                    .append(' ')
                    .append(stataString(cut(v.label(), 80)))
                    .append('\n');
        }
        for (PackageVariables.Variable v : list) {
            if (v.valueLabels().isEmpty()) {
                continue;
            }
            if (v.storage() != PackageVariables.Storage.TEXT) {
                b.append("label define ").append(v.name());
                for (PackageVariables.ValueLabel l : v.valueLabels()) {
                    b.append(' ').append(l.value()).append(' ').append(stataString(l.label()));
                }
                b.append(", replace\nlabel values ")
                        .append(v.name())
                        .append(' ')
                        .append(v.name())
                        .append('\n');
                continue;
            }
            // Stata labels numbers only: a coded copy, the options numbered in their published order
            String coded = codedName(v.name());
            b.append("generate byte ").append(coded).append(" = .\n");
            int n = 1;
            for (PackageVariables.ValueLabel l : v.valueLabels()) {
                b.append("replace ")
                        .append(coded)
                        .append(" = ")
                        .append(n++)
                        .append(" if ")
                        .append(v.name())
                        .append(" == ")
                        .append(stataString(l.value()))
                        .append('\n');
            }
            b.append("label define ").append(coded);
            n = 1;
            for (PackageVariables.ValueLabel l : v.valueLabels()) {
                b.append(' ').append(n++).append(' ').append(stataString(l.label()));
            }
            b.append(", replace\nlabel values ")
                    .append(coded)
                    .append(' ')
                    .append(coded)
                    .append('\n');
            b.append("label variable ")
                    .append(coded)
                    .append(' ')
                    .append(stataString(cut(v.label() + " (coded)", 80)))
                    .append('\n');
        }
        return b.toString();
    }

    static String codedName(String name) {
        return (name.length() > PackageVariables.MAX_NAME - 2 ? name.substring(0, PackageVariables.MAX_NAME - 2) : name)
                + "_n";
    }

    /** Stata's compound double quotes: any text inside, quotes included. */
    private static String stataString(String s) {
        return "`\"" + oneLine(s) + "\"'";
    }

    // ------------------------------------------------------------------------------------------ R
    static String r(PackageVariables vars) {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(HEAD).append('\n');
        b.append("# Empty cells are NA. Each labelled variable keeps its values and gains a factor, name.factor.\n");
        b.append("data <- read.csv(\"data.csv\", encoding = \"UTF-8\", fileEncoding = \"UTF-8\", na.strings = \"\",\n")
                .append("  check.names = FALSE, stringsAsFactors = FALSE, colClasses = c(\n");
        List<PackageVariables.Variable> list = vars.variables();
        for (int i = 0; i < list.size(); i++) {
            PackageVariables.Variable v = list.get(i);
            b.append("    ")
                    .append(rString(v.name()))
                    .append(" = ")
                    .append(
                            switch (v.storage()) {
                                case INTEGER -> "\"integer\"";
                                case DECIMAL -> "\"numeric\"";
                                case TEXT -> "\"character\"";
                            })
                    .append(i + 1 < list.size() ? ",\n" : "))\n");
        }
        for (PackageVariables.Variable v : list) {
            b.append("attr(data[[")
                    .append(rString(v.name()))
                    .append("]], \"label\") <- ")
                    .append(rString(v.label()))
                    .append('\n');
        }
        for (PackageVariables.Variable v : list) {
            if (v.valueLabels().isEmpty()) {
                continue;
            }
            StringBuilder levels = new StringBuilder();
            StringBuilder labels = new StringBuilder();
            for (PackageVariables.ValueLabel l : v.valueLabels()) {
                levels.append(levels.isEmpty() ? "" : ", ")
                        .append(v.storage() == PackageVariables.Storage.TEXT ? rString(l.value()) : l.value());
                labels.append(labels.isEmpty() ? "" : ", ").append(rString(l.label()));
            }
            String factor = rString(v.name() + ".factor");
            b.append("data[[")
                    .append(factor)
                    .append("]] <- factor(data[[")
                    .append(rString(v.name()))
                    .append("]], levels = c(")
                    .append(levels)
                    .append("), labels = c(")
                    .append(labels)
                    .append("))\n");
            b.append("attr(data[[")
                    .append(factor)
                    .append("]], \"label\") <- ")
                    .append(rString(v.label()))
                    .append('\n');
        }
        return b.toString();
    }

    private static String rString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }

    // ------------------------------------------------------------------------------------------ shared
    private static String oneLine(String s) {
        return s.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    }

    /** At most {@code maxBytes} bytes of UTF-8, cut at a character boundary. */
    static String cut(String s, int maxBytes) {
        if (s.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n > maxBytes) {
                break;
            }
            b.appendCodePoint(cp);
            bytes += n;
            i += Character.charCount(cp);
        }
        return b.toString();
    }
}
