package org.openepro.schedule.protocol;

import java.util.Optional;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.questionnaire.study.StudyCatalog;

/**
 * Whether a study's protocol may name a questionnaire {@code url|version}: the validator refuses an
 * unknown one and a retired one (it takes no new responses, so its tasks could never be done).
 */
@FunctionalInterface
public interface QuestionnaireLookup {
    /** What a protocol entry may say of the questionnaire it names. */
    enum Availability {
        AVAILABLE,
        RETIRED,
        UNKNOWN
    }

    /**
     * A protocol version already stored was validated when it was put: reading it back checks nothing
     * (a questionnaire retired since then keeps the occurrences it already has).
     */
    QuestionnaireLookup STORED = (studyId, canonical) -> Availability.AVAILABLE;

    Availability availability(String studyId, String canonical);

    /**
     * The study's own published questionnaires and the built-ins it selected: what its patients can
     * submit, so a protocol never schedules what submission would refuse.
     */
    static QuestionnaireLookup of(StudyCatalog catalog) {
        return (studyId, canonical) -> of(catalog.forResponse(studyId, canonical));
    }

    /** The questionnaires packaged with the build (every study may use them): tests of the rules alone. */
    static QuestionnaireLookup builtIn(QuestionnaireRegistry registry) {
        return (studyId, canonical) -> of(registry.byCanonical(canonical));
    }

    private static Availability of(Optional<QuestionnaireDefinition> found) {
        return found.map(d -> d.retired() ? Availability.RETIRED : Availability.AVAILABLE)
                .orElse(Availability.UNKNOWN);
    }
}
