package org.openepro.core.http;

import java.util.List;
import java.util.Map;
import org.openepro.core.validation.Issue;
import org.openepro.core.validation.ValidationResult;

/**
 * A refusal that ends a request with a problem response: thrown by a route or a domain service
 * (403, 404, 409 ...), or made from a refused {@link ValidationResult} by {@link #refusing}. The
 * {@link HttpAdapter} renders it; no handler catches it.
 */
public final class ApiException extends RuntimeException {
    private final transient Problem problem;
    private final transient Map<String, String> headers;
    private final transient List<Issue> issues;

    public ApiException(Problem problem) {
        this(problem, Map.of());
    }

    public ApiException(Problem problem, Map<String, String> headers) {
        this(problem, headers, List.of());
    }

    private ApiException(Problem problem, Map<String, String> headers, List<Issue> issues) {
        // no stack trace: a refusal is an answer, not a fault, and it is never logged with one
        super(problem.title() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
        this.headers = Map.copyOf(headers);
        this.issues = List.copyOf(issues);
    }

    public static ApiException of(ProblemType type, String detail) {
        return new ApiException(Problem.of(type, detail));
    }

    /**
     * The answer to a refused validation: 400 for a malformed or invalid input, 422 for one that
     * cannot be accepted, listing every refusing issue as a field error.
     */
    public static ApiException refusing(ValidationResult<?> result) {
        if (result.isValid()) {
            throw new IllegalArgumentException("a valid result is no refusal");
        }
        ProblemType type = switch (result.failure()) {
            case MALFORMED -> ProblemType.MALFORMED_REQUEST;
            case INVALID -> ProblemType.INVALID_PARAMETERS;
            case UNPROCESSABLE -> ProblemType.VALIDATION_FAILED;
        };
        List<Issue> errors = result.errors();
        List<Problem.FieldError> fields = errors.stream()
                .map(i -> new Problem.FieldError(i.location(), i.linkId(), i.code(), i.detail()))
                .toList();
        return new ApiException(Problem.of(type, result.summary(), fields), Map.of(), result.issues());
    }

    public Problem problem() {
        return problem;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** The validation issues behind this refusal (warnings included); empty for other refusals. */
    public List<Issue> issues() {
        return issues;
    }
}
