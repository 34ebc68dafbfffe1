package org.openepro.core.questionnaire;

import java.math.BigDecimal;

/** One allowed answer of a choice item; {@code ordinal} is its score (FHIR ordinalValue). */
public record AnswerOption(String system, String code, String display, BigDecimal ordinal) {
}
