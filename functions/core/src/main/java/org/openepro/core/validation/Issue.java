package org.openepro.core.validation;

import java.util.Objects;

/**
 * One finding of a validator: where ({@code location}, a JSON pointer into the input, or
 * {@code header:Name} for a request header), which rule ({@code code}, stable, documented with the
 * problem types), how much it weighs, and the rule in words. {@code linkId} names the
 * questionnaire item concerned, when one is. The detail describes the rule broken, never the
 * value sent: issues end up in responses and logs.
 */
public record Issue(IssueSeverity severity, String location, String linkId, String code, String detail) {
    public Issue {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(detail, "detail");
    }

    /** An error at {@code location}. */
    public static Issue error(String location, String code, String detail) {
        return new Issue(IssueSeverity.ERROR, location, null, code, detail);
    }

    /** An error about the answer to questionnaire item {@code linkId}. */
    public static Issue itemError(String location, String linkId, String code, String detail) {
        return new Issue(IssueSeverity.ERROR, location, linkId, code, detail);
    }

    /** Worth telling, not a reason to refuse. */
    public static Issue warning(String location, String code, String detail) {
        return new Issue(IssueSeverity.WARNING, location, null, code, detail);
    }
}
