package org.openepro.submit.fhir;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The parts of an HL7 FHIR R4 QuestionnaireResponse the backend reads. Other elements
 * (meta, text narrative, contained, ...) are ignored and never stored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record QuestionnaireResponseBody(String resourceType, String id, Identifier identifier, String questionnaire,
                                        String status, Reference subject, String authored, List<Item> item,
                                        List<Extension> extension, List<Reference> basedOn) {

    /** The task this response answers ({@code basedOn[0].reference}: {@code Task/<id>}), if it names one. */
    public java.util.Optional<String> basedOnTask() {
        if (basedOn == null || basedOn.isEmpty() || basedOn.getFirst() == null || basedOn.getFirst().reference() == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(basedOn.getFirst().reference());
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Identifier(String system, String value) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Reference(String reference, Identifier identifier) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Extension(String url, String valueString) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Item(String linkId, String text, List<AnswerValue> answer, List<Item> item) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Coding(String system, String code, String display) {
    }

    /** One answer: exactly one value[x] is expected, of the type the item allows. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AnswerValue(java.math.BigDecimal valueInteger, java.math.BigDecimal valueDecimal, String valueString,
                              Boolean valueBoolean, String valueDate, String valueDateTime, Coding valueCoding,
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
            n += valueCoding != null ? 1 : 0;
            return n;
        }
    }
}
