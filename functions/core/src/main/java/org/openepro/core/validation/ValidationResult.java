package org.openepro.core.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a validator found, independent of HTTP (after HAPI FHIR's {@code ValidationResult}): the
 * validated value when the input is acceptable, otherwise why not ({@link ValidationFailure}), a
 * one-sentence summary and every issue at once. The caller renders it: the HTTP adapter as
 * problem+json or a FHIR OperationOutcome, a batch job as counts.
 *
 * @param value   the validated value; null unless valid
 * @param failure null when valid
 * @param summary what a refusal says as a whole (e.g. "2 problems in the QuestionnaireResponse"); null when valid
 * @param issues  every issue found, refusing ones and warnings alike
 */
public record ValidationResult<T>(T value, ValidationFailure failure, String summary, List<Issue> issues) {
    public ValidationResult {
        issues = List.copyOf(issues);
        if (failure == null) {
            Objects.requireNonNull(value, "a valid result carries its value");
            if (issues.stream().anyMatch(i -> i.severity().refuses())) {
                throw new IllegalArgumentException("a valid result cannot carry an error");
            }
        } else {
            Objects.requireNonNull(summary, "a refusal says why");
            if (value != null) {
                throw new IllegalArgumentException("a refused result carries no value");
            }
        }
    }

    public static <T> ValidationResult<T> valid(T value) {
        return new ValidationResult<>(value, null, null, List.of());
    }

    public static <T> ValidationResult<T> valid(T value, List<Issue> warnings) {
        return new ValidationResult<>(value, null, null, warnings);
    }

    public static <T> ValidationResult<T> failed(ValidationFailure failure, String summary, List<Issue> issues) {
        return new ValidationResult<>(null, Objects.requireNonNull(failure, "failure"), summary, issues);
    }

    /** A refusal with one issue. */
    public static <T> ValidationResult<T> failed(ValidationFailure failure, String summary, Issue issue) {
        return failed(failure, summary, List.of(issue));
    }

    public boolean isValid() {
        return failure == null;
    }

    /** The issues that refuse the input (errors and fatal ones), in the order found. */
    public List<Issue> errors() {
        List<Issue> out = new ArrayList<>(issues.size());
        for (Issue i : issues) {
            if (i.severity().refuses()) {
                out.add(i);
            }
        }
        return out;
    }

    /** The value, or what {@code refusal} makes of this result (e.g. the HTTP adapter's 4xx). */
    public <X extends RuntimeException> T orElseThrow(Function<? super ValidationResult<T>, X> refusal) {
        if (failure != null) {
            throw refusal.apply(this);
        }
        return value;
    }

    /** The same verdict over another value: a refusal stays the same refusal. */
    public <U> ValidationResult<U> map(Function<? super T, ? extends U> mapper) {
        return failure == null
                ? new ValidationResult<>(mapper.apply(value), null, null, issues)
                : new ValidationResult<>(null, failure, summary, issues);
    }
}
