package org.openepro.export.profile;

import java.time.LocalDate;

/**
 * A subject's random pseudonym within one study and the anchor day its study days count from
 * (the day of the subject's first report in the study). Both are fixed once and never change, so
 * every export of the study agrees.
 */
public record Pseudonym(String value, LocalDate anchor) {
    /**
     * The study day of a date: day 1 is the anchor day, the day before it is day -1 (there is no
     * day 0, as in CDISC SDTM's --DY variables).
     */
    public int studyDay(LocalDate date) {
        long days = date.toEpochDay() - anchor.toEpochDay();
        return (int) (days >= 0 ? days + 1 : days);
    }
}
