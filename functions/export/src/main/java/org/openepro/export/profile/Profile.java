package org.openepro.export.profile;

import java.util.Locale;
import java.util.Optional;

/**
 * How much of a subject's identity an export carries. The profile is chosen per request,
 * checked against the caller's roles, and recorded in the job and the manifest.
 */
public enum Profile {
    /** Subject ids and calendar dates as stored. Only for callers holding {@link #IDENTIFIED_ROLE}. */
    IDENTIFIED("identified", false, false, false),
    /** Pseudonyms instead of subject ids; full dates; free text kept. */
    LIMITED("limited", true, false, false),
    /**
     * Pseudonyms, study days instead of calendar dates (day 1 = the day of the subject's first
     * report in the study, stored with the pseudonym), no free text and no report ids.
     */
    DEIDENTIFIED("deidentified", true, true, true);

    /**
     * The role (token claim {@code roles}) a caller needs to request, or download, an identified
     * export. Defined here only; documented in functions/export/README.md.
     */
    public static final String IDENTIFIED_ROLE = "export-identified";

    private final String code;
    private final boolean pseudonymous;
    private final boolean studyDays;
    private final boolean dropsFreeText;

    Profile(String code, boolean pseudonymous, boolean studyDays, boolean dropsFreeText) {
        this.code = code;
        this.pseudonymous = pseudonymous;
        this.studyDays = studyDays;
        this.dropsFreeText = dropsFreeText;
    }

    public static Optional<Profile> fromCode(String code) {
        if (code == null) {
            return Optional.empty();
        }
        String c = code.trim().toLowerCase(Locale.ROOT);
        for (Profile p : values()) {
            if (p.code.equals(c)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    public String code() {
        return code;
    }

    public boolean pseudonymous() {
        return pseudonymous;
    }

    /** Dates become study days relative to the subject's anchor. */
    public boolean studyDays() {
        return studyDays;
    }

    public boolean dropsFreeText() {
        return dropsFreeText;
    }

    /** Report ids link a row back to the identified record; a de-identified export leaves them out. */
    public boolean keepsReportIds() {
        return !studyDays;
    }
}
