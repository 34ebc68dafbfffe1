package org.openepro.core.id;

import java.util.Objects;

/**
 * A study participant's pseudonymous identity, as the patient's token gives it: the three ids
 * that always travel together, each typed so that none can take another's place.
 */
public record Participant(StudyId study, SiteId site, SubjectId subject) {
    public Participant {
        Objects.requireNonNull(study, "study");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(subject, "subject");
    }

    public static Participant of(StudyId study, SiteId site, SubjectId subject) {
        return new Participant(study, site, subject);
    }

    public String studyId() {
        return study.value();
    }

    public String siteId() {
        return site.value();
    }

    public String subjectId() {
        return subject.value();
    }
}
