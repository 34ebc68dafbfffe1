package org.openepro.export.profile;

import java.time.LocalDate;

/** Gives each subject of a study its pseudonym, creating it (with {@code anchorIfNew}) the first time. */
@FunctionalInterface
public interface PseudonymSource {
    Pseudonym pseudonym(String studyId, String subjectId, LocalDate anchorIfNew);
}
