package org.openepro.runtime;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * `make token`: prints one access token for the local authorizer, and nothing else on stdout, so
 * {@code TOKEN=$(make -s token ...)} works.
 * <pre>
 *   role=patient study=S1 site=SITE-01 subject=SUBJ-0001
 *   role=staff studies=S1,S2 [roles=export-identified,study-designer]   (study-designer adds epro/admin)
 * </pre>
 */
public final class TokenTool {
    private TokenTool() {}

    public static void main(String[] args) {
        int status =
                run(args, new LocalTokens(LocalSigningKey.forRepository(), Clock.systemUTC()), System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    static int run(String[] args, LocalTokens tokens, PrintStream out, PrintStream err) {
        Map<String, String> a = parse(args);
        String role = a.getOrDefault("role", "").toLowerCase(Locale.ROOT);
        switch (role) {
            case "patient" -> {
                String study = a.get("study");
                String site = a.get("site");
                String subject = a.get("subject");
                if (study == null || site == null || subject == null) {
                    return usage(err, "a patient token needs STUDY, SITE and SUBJECT");
                }
                out.println(tokens.patient(study, site, subject));
                return 0;
            }
            case "staff" -> {
                List<String> studies = list(a.get("studies"));
                if (studies.isEmpty()) {
                    return usage(err, "a staff token needs STUDIES (comma-separated)");
                }
                out.println(tokens.staff(studies, list(a.get("roles"))));
                return 0;
            }
            default -> {
                return usage(err, "ROLE must be patient or staff");
            }
        }
    }

    /** {@code key=value} words; empty values (make passes every variable) count as absent. */
    static Map<String, String> parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String arg : args) {
            for (String word : arg.trim().split("\\s+")) {
                int eq = word.indexOf('=');
                if (eq > 0 && eq < word.length() - 1) {
                    values.put(word.substring(0, eq).toLowerCase(Locale.ROOT), word.substring(eq + 1));
                }
            }
        }
        return values;
    }

    private static List<String> list(String csv) {
        return csv == null
                ? List.of()
                : Arrays.stream(csv.split(","))
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .toList();
    }

    private static int usage(PrintStream err, String problem) {
        err.println("make token: " + problem);
        err.println("  make token ROLE=patient STUDY=STUDY-DEMO SITE=SITE-01 SUBJECT=SUBJ-0001");
        err.println("  make token ROLE=staff STUDIES=STUDY-DEMO[,S2] [ROLES=export-identified]");
        return 2;
    }
}
