package org.openepro.core.fhir;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * The parts of an HL7 FHIR R4 QuestionnaireResponse the backend reads. Other elements
 * (meta, text narrative, contained, ...) are ignored and never stored.
 *
 * @param language the language the patient answered in (BCP 47), recorded with the report
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record QuestionnaireResponseBody(
        String resourceType,
        String id,
        Identifier identifier,
        String questionnaire,
        String status,
        Reference subject,
        String authored,
        String language,
        List<Item> item,
        List<Extension> extension,
        List<Reference> basedOn) {

    /** The task this response answers ({@code basedOn[0].reference}: {@code Task/<id>}), if it names one. */
    public Optional<String> basedOnTask() {
        if (basedOn == null
                || basedOn.isEmpty()
                || basedOn.getFirst() == null
                || basedOn.getFirst().reference() == null) {
            return Optional.empty();
        }
        return Optional.of(basedOn.getFirst().reference());
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Identifier(String system, String value) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Reference(String reference, Identifier identifier) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Extension(String url, String valueString) {}

    /** @param text what the app showed as the question: recorded when it differs, never trusted */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Item(String linkId, String text, List<AnswerValue> answer, List<Item> item) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Coding(String system, String code, String display) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Quantity(BigDecimal value, String unit, String system, String code) {}

    /** One answer: exactly one value[x] is expected, of the type the item allows. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AnswerValue(
            BigDecimal valueInteger,
            BigDecimal valueDecimal,
            String valueString,
            Boolean valueBoolean,
            String valueDate,
            String valueDateTime,
            String valueTime,
            Coding valueCoding,
            Quantity valueQuantity,
            List<Item> item) {
        /** How many value[x] elements this answer carries (FHIR allows exactly one). */
        public int valueCount() {
            int n = 0;
            n += valueInteger != null ? 1 : 0;
            n += valueDecimal != null ? 1 : 0;
            n += valueString != null ? 1 : 0;
            n += valueBoolean != null ? 1 : 0;
            n += valueDate != null ? 1 : 0;
            n += valueDateTime != null ? 1 : 0;
            n += valueTime != null ? 1 : 0;
            n += valueCoding != null ? 1 : 0;
            n += valueQuantity != null ? 1 : 0;
            return n;
        }
    }
}
