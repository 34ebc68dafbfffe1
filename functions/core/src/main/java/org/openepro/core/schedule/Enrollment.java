package org.openepro.core.schedule;

import java.time.LocalDate;
import java.time.ZoneId;

/**
 * A subject's enrollment in a study's schedule: site, enrollment date (day 0 of every
 * enrollment-relative entry), the subject's own IANA zone (travel changes it), and status.
 *
 * @param statusReason why the subject was paused or withdrawn (a coded reason, never free text about the person)
 */
public record Enrollment(
        ScheduledSubject subject, LocalDate enrolledOn, ZoneId zone, EnrollmentStatus status, String statusReason) {
    public boolean active() {
        return status == EnrollmentStatus.ACTIVE;
    }

    public Enrollment withZone(ZoneId z) {
        return new Enrollment(subject, enrolledOn, z, status, statusReason);
    }

    public Enrollment withStatus(EnrollmentStatus s, String reason) {
        return new Enrollment(subject, enrolledOn, zone, s, reason);
    }
}
