package org.openepro.export.format;

import java.util.Locale;
import java.util.Optional;

/**
 * How a tabular export arranges its rows and columns (the request's {@code layout}).
 *
 * <ul>
 *   <li>{@link #WIDE}: one row per report, one column per item of every exported questionnaire (the default,
 *       and what a request without {@code layout} has always got);</li>
 *   <li>{@link #PER_QUESTIONNAIRE}: one table per questionnaire (a sheet, or a file in a zip) with only its
 *       own columns;</li>
 *   <li>{@link #LONG}: one row per answer or score (report, item, code, value, label), the tidy shape close to
 *       SDTM QS.</li>
 * </ul>
 */
public enum TableLayout {
    WIDE("wide"),
    PER_QUESTIONNAIRE("per-questionnaire"),
    LONG("long");

    private final String code;

    TableLayout(String code) {
        this.code = code;
    }

    public static Optional<TableLayout> fromCode(String code) {
        if (code == null) {
            return Optional.empty();
        }
        String c = code.trim().toLowerCase(Locale.ROOT);
        for (TableLayout l : values()) {
            if (l.code.equals(c)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    public String code() {
        return code;
    }
}
