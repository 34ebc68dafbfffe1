package org.openepro.core.questionnaire;

/** FHIR R4 Questionnaire item types the backend validates, with the answer field each one takes. */
public enum ItemType {
    CHOICE("choice", "valueCoding"),
    INTEGER("integer", "valueInteger"),
    DECIMAL("decimal", "valueDecimal"),
    STRING("string", "valueString"),
    TEXT("text", "valueString"),
    BOOLEAN("boolean", "valueBoolean"),
    DATE("date", "valueDate"),
    DATETIME("dateTime", "valueDateTime"),
    DISPLAY("display", null),
    GROUP("group", null);

    private final String fhirCode;
    private final String valueField;

    ItemType(String fhirCode, String valueField) {
        this.fhirCode = fhirCode;
        this.valueField = valueField;
    }

    public static ItemType fromFhir(String code) {
        for (ItemType t : values()) {
            if (t.fhirCode.equals(code)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unsupported Questionnaire item type " + code);
    }

    public String fhirCode() {
        return fhirCode;
    }

    /** The QuestionnaireResponse answer element for this type, e.g. {@code valueCoding}; null when not answerable. */
    public String valueField() {
        return valueField;
    }

    public boolean answerable() {
        return valueField != null;
    }

    /** Free text may identify a person: it is kept, flagged, and never exported de-identified. */
    public boolean freeText() {
        return this == STRING || this == TEXT;
    }

    public boolean numeric() {
        return this == INTEGER || this == DECIMAL;
    }
}
