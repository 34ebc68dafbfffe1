package org.openepro.export.profile;

import java.time.LocalDate;

/** Gives each subject of a study its pseudonym, creating it the first time an export meets the subject. */
@FunctionalInterface
public interface PseudonymSource {
    /**
     * @param seenOn the UTC day of the report at hand. Not the anchor by itself: a new pseudonym is
     *               anchored on the subject's first report in the study, whatever report (and so
     *               whatever export range) happened to meet it first; {@code seenOn} only bounds it.
     */
    Pseudonym pseudonym(String studyId, String subjectId, LocalDate seenOn);
}
