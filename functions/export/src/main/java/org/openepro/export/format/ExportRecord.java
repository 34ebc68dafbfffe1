package org.openepro.export.format;

import java.time.Instant;
import java.util.List;
import org.openepro.core.report.Answer;
import org.openepro.core.report.Score;

/**
 * One report as an export shows it, after the export's profile was applied: the subject is the
 * real id or a pseudonym, dates are instants or study days, free text may be gone. Writers see
 * only this, so no writer can leak what the profile removed.
 *
 * @param reportId     null in a de-identified export
 * @param subject      subject id (identified) or the study's pseudonym for the subject
 * @param authored     the device time exactly as submitted, with the patient's UTC offset; null with study days
 * @param authoredAt   null when dates became study days
 * @param authoredDay  study day of authoring (day 1 = the subject's anchor day), null with full dates
 * @param answers      choice, number and boolean answers; dates as text or, de-identified, as study day numbers
 * @param amendmentReason why this version replaced the previous one (free text: null when de-identified)
 * @param submittedBy  the token subject that submitted this version, kept only in an identified export
 * @param language     the language the patient answered in (a BCP 47 tag), null when none was named
 * @param taskId       the schedule task (occurrence) it answers; null when unscheduled, stored before schedules,
 *                     or de-identified (a task id carries the occurrence's calendar date)
 * @param windowVerdict how it relates to that task's window ({@code on-time}, {@code late}, {@code early},
 *                     {@code unscheduled}); null on reports stored before schedules
 */
public record ExportRecord(
        String reportId,
        int version,
        String status,
        String subject,
        String siteId,
        String questionnaireId,
        String questionnaireUrl,
        String questionnaireVersion,
        String authored,
        Instant authoredAt,
        Integer authoredDay,
        Instant receivedAt,
        Integer receivedDay,
        boolean onTime,
        List<Answer> answers,
        List<Score> scores,
        String amendmentReason,
        String submittedBy,
        String language,
        String taskId,
        String windowVerdict) {

    public String questionnaireCanonical() {
        return questionnaireUrl + "|" + questionnaireVersion;
    }

    /**
     * The patient's UTC offset when authoring ({@code +01:00}, {@code -05:30}, {@code +00:00}), read from
     * {@link #authored}: with the UTC instant it gives the patient's local time. Null when there is none.
     */
    public String authoredOffset() {
        return IsoTime.offsetOf(authored);
    }
}
