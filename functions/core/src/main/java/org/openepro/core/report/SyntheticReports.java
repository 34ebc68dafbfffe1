package org.openepro.core.report;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.openepro.core.questionnaire.ItemDefinition;
import org.openepro.core.questionnaire.QuestionnaireDefinition;

/**
 * Reports made up from a questionnaire definition (lowest option or minimum for every required
 * item, no scores): for SnapStart priming, which must exercise the hot path without touching data.
 */
public final class SyntheticReports {
    public static final String PRIMING_ID = "00000000-0000-7000-8000-000000000000";

    private SyntheticReports() {
    }

    public static Report of(QuestionnaireDefinition d, Instant at) {
        List<Answer> answers = new ArrayList<>();
        for (ItemDefinition item : d.answerableItems().values()) {
            if (!item.required()) {
                continue;
            }
            answers.add(switch (item.type()) {
                case CHOICE -> Answer.choice(item.linkId(), item.options().get(0).system(),
                        item.options().get(0).code(), item.options().get(0).display(), item.options().get(0).ordinal());
                case INTEGER, DECIMAL -> Answer.number(item.linkId(), item.type(),
                        item.minValue() != null ? item.minValue() : BigDecimal.ZERO);
                case BOOLEAN -> Answer.bool(item.linkId(), false);
                default -> Answer.text(item.linkId(), item.type(), "priming");
            });
        }
        return new Report(PRIMING_ID, 1, "completed", "PRIMING", "PRIMING", "PRIMING", d.id(), d.url(), d.version(),
                at.toString(), at, at, at, answers, List.of(), true, null, "priming");
    }
}
