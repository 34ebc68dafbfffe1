package org.openepro.schedule.protocol;

import org.openepro.core.questionnaire.QuestionnaireRegistry;

/** Whether a study may schedule a questionnaire {@code url|version}: the ones it can actually receive. */
@FunctionalInterface
public interface QuestionnaireLookup {
    boolean knows(String studyId, String canonical);

    /** The questionnaires packaged with the build (every study may use them). */
    static QuestionnaireLookup builtIn(QuestionnaireRegistry registry) {
        return (studyId, canonical) -> registry.byCanonical(canonical).isPresent();
    }
}
