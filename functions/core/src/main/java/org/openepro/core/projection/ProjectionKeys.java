package org.openepro.core.projection;

import java.time.LocalDate;
import org.openepro.core.report.Report;
import org.openepro.core.report.Times;

/**
 * Keys of the projections table: written by index-report, read by staff queries and exports.
 * Every export read is a Query on one of these keys, never a Scan.
 *
 * <ul>
 *   <li>report row by study and received day: {@code pk = SD#study#day}, {@code sk = receivedAt#reportId};
 *       the same row by site through the {@code by-site} index: {@code sitePk = SS#study#site#day}.
 *       The day and time are those of version 1, so an amendment replaces its row in place.</li>
 *   <li>subject timeline: {@code pk = TL#study#subject}, {@code sk = authoredAt#reportId}</li>
 *   <li>daily counters: {@code pk = C#study}, {@code sk = day#site}</li>
 *   <li>subject roster: {@code pk = SU#study}, {@code sk = subjectId}; by site through the {@code by-site}
 *       index: {@code sitePk = SU#study#site}</li>
 *   <li>applied markers (exactly-once counters): {@code pk = M#reportId}, {@code sk = V#version}</li>
 * </ul>
 */
public final class ProjectionKeys {
    public static final String SITE_INDEX = "by-site";
    public static final String SITE_PK = "sitePk";

    private ProjectionKeys() {}

    public static String studyDayPk(String studyId, LocalDate day) {
        return "SD#" + studyId + "#" + day;
    }

    public static String siteDayPk(String studyId, String siteId, LocalDate day) {
        return "SS#" + studyId + "#" + siteId + "#" + day;
    }

    public static String rowSk(Report r) {
        return Times.sortable(r.firstReceivedAt()) + "#" + r.reportId();
    }

    public static LocalDate rowDay(Report r) {
        return Times.utcDay(r.firstReceivedAt());
    }

    /** A subject's reports of every questionnaire, in authored order: the staff timeline. */
    public static String subjectTimelinePk(String studyId, String subjectId) {
        return "TL#" + studyId + "#" + subjectId;
    }

    public static String subjectTimelineSk(Report r) {
        return Times.sortable(r.authoredAt()) + "#" + r.reportId();
    }

    public static String counterPk(String studyId) {
        return "C#" + studyId;
    }

    public static String counterSk(LocalDate day, String siteId) {
        return day + "#" + siteId;
    }

    public static String subjectPk(String studyId) {
        return "SU#" + studyId;
    }

    public static String subjectSitePk(String studyId, String siteId) {
        return "SU#" + studyId + "#" + siteId;
    }

    public static String markerPk(String reportId) {
        return "M#" + reportId;
    }

    public static String markerSk(int version) {
        return "V#" + version;
    }
}
