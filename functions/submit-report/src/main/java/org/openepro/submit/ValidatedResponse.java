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
 * @param language        the language answered in, one of the questionnaire's (null when it declares none)
 * @param disabled        questions their enableWhen disabled (nothing stored for them)
 * @param textDiffers     questions whose text or display as sent differed from the definition's
 */
public record ValidatedResponse(
        QuestionnaireDefinition definition,
        String status,
        String authored,
        Instant authoredAt,
        List<Answer> answers,
        String amendsReportId,
        String amendmentReason,
        String language,
        List<String> disabled,
        List<String> textDiffers) {
    public ValidatedResponse {
        answers = List.copyOf(answers);
        disabled = List.copyOf(disabled);
        textDiffers = List.copyOf(textDiffers);
    }

    public boolean amendment() {
        return amendsReportId != null;
    }
}
