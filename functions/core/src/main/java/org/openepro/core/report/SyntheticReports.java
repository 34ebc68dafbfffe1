package org.openepro.core.report;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.openepro.core.id.Participant;
import org.openepro.core.id.SiteId;
import org.openepro.core.id.StudyId;
import org.openepro.core.id.SubjectId;
import org.openepro.core.questionnaire.ItemDefinition;
import org.openepro.core.questionnaire.QuestionnaireDefinition;

/**
 * Reports made up from a questionnaire definition (lowest option or minimum for every required
 * item, no scores): for SnapStart priming, which must exercise the hot path without touching data.
 */
public final class SyntheticReports {
    public static final String PRIMING_ID = "00000000-0000-7000-8000-000000000000";
    /** The participant priming acts as: no real study, site or subject has these ids. */
    public static final Participant PRIMING =
            Participant.of(StudyId.of("PRIMING"), SiteId.of("PRIMING"), SubjectId.of("PRIMING"));

    private SyntheticReports() {}

    public static Report of(QuestionnaireDefinition d, Instant at) {
        List<Answer> answers = new ArrayList<>();
        for (ItemDefinition item : d.answerableItems().values()) {
            if (!item.required()) {
                continue;
            }
            answers.add(
                    switch (item.type()) {
                        case CHOICE ->
                            Answer.choice(
                                    item.linkId(),
                                    item.options().get(0).system(),
                                    item.options().get(0).code(),
                                    item.options().get(0).display(),
                                    item.options().get(0).ordinal());
                        case INTEGER, DECIMAL ->
                            Answer.number(
                                    item.linkId(),
                                    item.type(),
                                    item.minValue() != null ? item.minValue() : BigDecimal.ZERO);
                        case BOOLEAN -> Answer.bool(item.linkId(), false);
                        default -> Answer.text(item.linkId(), item.type(), "priming");
                    });
        }
        return Report.builder()
                .reportId(PRIMING_ID)
                .participant(PRIMING)
                .questionnaire(QuestionnaireRef.of(d))
                .authored(at.toString(), at)
                .receivedAt(at)
                .firstReceivedAt(at)
                .answers(answers)
                .submittedBy("priming")
                .build();
    }
}
