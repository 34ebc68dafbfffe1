package org.openepro.core.questionnaire;

import java.util.List;

/**
 * One enableWhen condition of an item: the question (by linkId) whose answers decide, the operator
 * and the value compared with.
 */
public record EnableWhen(String question, EnableOperator operator, Value answer) {

    /** @param answers the question's answers, empty when it is unanswered or disabled */
    public boolean test(List<Value> answers) {
        return operator.test(answers, answer);
    }
}
