package org.openepro.core.questionnaire;

import java.util.List;
import java.util.Optional;

/**
 * FHIR R4 {@code questionnaire-enable-operator}, each code evaluated exactly as its definition
 * reads (http://hl7.org/fhir/R4/codesystem-questionnaire-enable-operator.html). The answers given
 * are those of an enabled question: FHIR treats a disabled question as not valued.
 */
public enum EnableOperator {
    /** True if whether an answer exists is equal to the enableWhen answer (a boolean). */
    EXISTS("exists", "is answered"),
    /** True if at least one answer has a value equal to the enableWhen answer. */
    EQUALS("=", "is"),
    /** True if no answer has a value equal to the enableWhen answer: an unanswered question included. */
    NOT_EQUALS("!=", "is not"),
    /** True if at least one answer has a value greater than the enableWhen answer. */
    GREATER(">", "is greater than"),
    LESS("<", "is less than"),
    GREATER_OR_EQUAL(">=", "is at least"),
    LESS_OR_EQUAL("<=", "is at most");

    private final String code;
    private final String words;

    EnableOperator(String code, String words) {
        this.code = code;
        this.words = words;
    }

    public String code() {
        return code;
    }

    /** How a data dictionary says it, e.g. "is not". */
    public String words() {
        return words;
    }

    public static Optional<EnableOperator> fromCode(String code) {
        for (EnableOperator o : values()) {
            if (o.code.equals(code)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    /** Whether the operator compares order (and so needs an ordered value type). */
    public boolean ordering() {
        return this == GREATER || this == LESS || this == GREATER_OR_EQUAL || this == LESS_OR_EQUAL;
    }

    /**
     * @param answers the question's answers, empty when it is unanswered or disabled
     * @param value   the enableWhen answer[x] (a {@link Value.Bool} for {@link #EXISTS})
     */
    public boolean test(List<Value> answers, Value value) {
        return switch (this) {
            case EXISTS -> !answers.isEmpty() == ((Value.Bool) value).value();
            case EQUALS -> answers.stream().anyMatch(a -> Value.same(a, value));
            case NOT_EQUALS -> answers.stream().noneMatch(a -> Value.same(a, value));
            case GREATER ->
                answers.stream()
                        .anyMatch(a -> Value.order(a, value).filter(c -> c > 0).isPresent());
            case LESS ->
                answers.stream()
                        .anyMatch(a -> Value.order(a, value).filter(c -> c < 0).isPresent());
            case GREATER_OR_EQUAL ->
                answers.stream()
                        .anyMatch(a -> Value.order(a, value).filter(c -> c >= 0).isPresent());
            case LESS_OR_EQUAL ->
                answers.stream()
                        .anyMatch(a -> Value.order(a, value).filter(c -> c <= 0).isPresent());
        };
    }
}
