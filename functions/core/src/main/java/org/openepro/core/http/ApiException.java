package org.openepro.core.http;

import java.util.Map;

/** Ends a request with a problem response; thrown by services, turned into problem+json by the handler. */
public final class ApiException extends RuntimeException {
    private final transient Problem problem;
    private final transient Map<String, String> headers;

    public ApiException(Problem problem) {
        this(problem, Map.of());
    }

    public ApiException(Problem problem, Map<String, String> headers) {
        super(problem.title() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
        this.headers = Map.copyOf(headers);
    }

    public static ApiException of(ProblemType type, String detail) {
        return new ApiException(Problem.of(type, detail));
    }

    public Problem problem() {
        return problem;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
