package org.openepro.core.schedule;

import java.util.Locale;

/** How a stored report relates to the window of the task it answers; travels on the report and in exports. */
public enum WindowVerdict {
    /** Answered inside the window (see {@link SubmissionTiming} for the offline-patient rule). */
    ON_TIME,
    /** Answered after the window closed; the task it fills was late (or counted missed before). */
    LATE,
    /** Answered before the window opened; it does not complete the task. */
    EARLY,
    /** No task of this questionnaire is near: the subject is not scheduled for it, or already answered it. */
    UNSCHEDULED;

    /** The wire form: {@code on-time}, {@code late}, {@code early}, {@code unscheduled}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static WindowVerdict fromCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
