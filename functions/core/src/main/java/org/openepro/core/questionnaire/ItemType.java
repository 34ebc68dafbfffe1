package org.openepro.core.questionnaire;

import java.util.Optional;

/**
 * FHIR R4 Questionnaire item types of OpenEPRO's subset, with the answer element each one takes.
 * Not supported (refused at publication): {@code url}, {@code attachment}, {@code reference}.
 */
public enum ItemType {
    CHOICE("choice", "valueCoding"),
    /** A coding from the options, or free text (valueString) where the options do not fit. */
    OPEN_CHOICE("open-choice", "valueCoding"),
    INTEGER("integer", "valueInteger"),
    DECIMAL("decimal", "valueDecimal"),
    QUANTITY("quantity", "valueQuantity"),
    STRING("string", "valueString"),
    TEXT("text", "valueString"),
    BOOLEAN("boolean", "valueBoolean"),
    DATE("date", "valueDate"),
    DATETIME("dateTime", "valueDateTime"),
    TIME("time", "valueTime"),
    DISPLAY("display", null),
    GROUP("group", null);

    private final String fhirCode;
    private final String valueField;

    ItemType(String fhirCode, String valueField) {
        this.fhirCode = fhirCode;
        this.valueField = valueField;
    }

    /** @throws IllegalArgumentException for a type outside the subset */
    public static ItemType fromFhir(String code) {
        return find(code)
                .orElseThrow(() -> new IllegalArgumentException("unsupported Questionnaire item type " + code));
    }

    public static Optional<ItemType> find(String code) {
        for (ItemType t : values()) {
            if (t.fhirCode.equals(code)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    public String fhirCode() {
        return fhirCode;
    }

    /** The QuestionnaireResponse answer element for this type, e.g. {@code valueCoding}; null when not answerable. */
    public String valueField() {
        return valueField;
    }

    /** The FHIR value[x] suffix an answer (or enableWhen answer) of this type carries. */
    public String valueType() {
        return valueField == null ? null : valueField.substring("value".length());
    }

    public boolean answerable() {
        return valueField != null;
    }

    /**
     * Free text may identify a person: it is kept, flagged, and never exported de-identified. An
     * open-choice item counts, since any of its answers may be typed text.
     */
    public boolean freeText() {
        return this == STRING || this == TEXT || this == OPEN_CHOICE;
    }

    public boolean numeric() {
        return this == INTEGER || this == DECIMAL;
    }

    /** Items whose answers come from answerOption codings. */
    public boolean coded() {
        return this == CHOICE || this == OPEN_CHOICE;
    }
}
