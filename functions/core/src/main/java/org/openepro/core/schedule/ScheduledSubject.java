package org.openepro.core.schedule;

/** The pseudonymous ids an occurrence belongs to (never a name or contact detail). */
public record ScheduledSubject(String studyId, String siteId, String subjectId) {}
