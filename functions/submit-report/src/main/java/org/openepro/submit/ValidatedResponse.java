package org.openepro.submit;

import java.time.Instant;
import java.util.List;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.report.Answer;

/**
 * A QuestionnaireResponse that passed validation: its answers in the definition's order.
 *
 * @param amendsReportId  for {@code status: amended}, the report this corrects
 * @param amendmentReason why it is corrected (required for an amendment)
 */
public record ValidatedResponse(QuestionnaireDefinition definition, String status, String authored, Instant authoredAt,
                                List<Answer> answers, String amendsReportId, String amendmentReason) {
    public ValidatedResponse {
        answers = List.copyOf(answers);
    }

    public boolean amendment() {
        return amendsReportId != null;
    }
}
