package org.openepro.core.id;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one parser of OpenEPRO's ids. Ids OpenEPRO issues (reports, exports, alerts, audit events)
 * are UUIDs, read in any case (RFC 9562: UUIDs compare case-insensitively) and always written in
 * lower case. Ids a study assigns (study, site, subject, questionnaire) are pseudonymous codes: a
 * letter or digit, then up to 63 letters, digits, '.', '_' or '-' (so they never break a key
 * separated by '#' and never carry spaces, e-mail addresses or names).
 */
public final class Ids {
    private static final Pattern UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private Ids() {}

    /** The UUID in its canonical lower-case form; empty for anything else. */
    public static Optional<String> uuid(String raw) {
        return raw != null && UUID.matcher(raw).matches()
                ? Optional.of(raw.toLowerCase(Locale.ROOT))
                : Optional.empty();
    }

    public static boolean isUuid(String raw) {
        return raw != null && UUID.matcher(raw).matches();
    }

    /** Whether {@code raw} is a study-assigned code (study, site, subject, questionnaire id). */
    public static boolean isCode(String raw) {
        return raw != null && CODE.matcher(raw).matches();
    }

    static String code(String kind, String raw) {
        if (!isCode(raw)) {
            // the message names the kind of id, never the value: it may be anything a token carried
            throw new IllegalArgumentException("not a valid " + kind + " id");
        }
        return raw;
    }
}
