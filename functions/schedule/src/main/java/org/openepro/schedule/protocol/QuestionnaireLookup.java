package org.openepro.schedule.protocol;

import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.questionnaire.study.StudyCatalog;

/** Whether a study may schedule a questionnaire {@code url|version}: the ones it can actually receive. */
@FunctionalInterface
public interface QuestionnaireLookup {
    boolean knows(String studyId, String canonical);

    /**
     * The study's own published questionnaires and the built-ins it selected: what its patients can
     * submit, so a protocol never schedules what submission would refuse.
     */
    static QuestionnaireLookup of(StudyCatalog catalog) {
        return catalog::has;
    }

    /** The questionnaires packaged with the build (every study may use them): tests of the rules alone. */
    static QuestionnaireLookup builtIn(QuestionnaireRegistry registry) {
        return (studyId, canonical) -> registry.byCanonical(canonical).isPresent();
    }
}
