package org.openepro.core.validation;

import java.util.Locale;

/** How much an issue weighs: FHIR OperationOutcome's severities, so a result renders there unchanged. */
public enum IssueSeverity {
    FATAL,
    ERROR,
    WARNING,
    INFORMATION;

    /** An issue of this weight makes the input unacceptable. */
    public boolean refuses() {
        return this == FATAL || this == ERROR;
    }

    /** The FHIR code ({@code fatal}, {@code error}, {@code warning}, {@code information}). */
    public String fhirCode() {
        return name().toLowerCase(Locale.ROOT);
    }
}
