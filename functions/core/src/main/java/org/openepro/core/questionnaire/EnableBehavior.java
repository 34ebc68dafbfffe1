package org.openepro.core.questionnaire;

import java.util.Optional;

/** FHIR R4 {@code questionnaire-enable-behavior}: how several enableWhen conditions combine. */
public enum EnableBehavior {
    /** Enable the item only if all conditions are true. */
    ALL("all"),
    /** Enable the item if any condition is true. */
    ANY("any");

    private final String code;

    EnableBehavior(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static Optional<EnableBehavior> fromCode(String code) {
        for (EnableBehavior b : values()) {
            if (b.code.equals(code)) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }
}
