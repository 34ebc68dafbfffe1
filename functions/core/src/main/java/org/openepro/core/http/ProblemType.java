package org.openepro.core.http;

/** The problem types this API answers with (RFC 9457); each has a stable URI documented in openapi.yaml. */
public enum ProblemType {
    MALFORMED_REQUEST("malformed-request", "Malformed request", 400),
    MISSING_IDEMPOTENCY_KEY("missing-idempotency-key", "Idempotency key required", 400),
    INVALID_PARAMETERS("invalid-parameters", "Invalid parameters", 400),
    UNAUTHENTICATED("unauthenticated", "Authentication required", 401),
    FORBIDDEN("forbidden", "Forbidden", 403),
    NOT_FOUND("not-found", "Not found", 404),
    METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", 405),
    CONFLICT("conflict", "Conflict", 409),
    IDEMPOTENCY_CONFLICT("idempotency-conflict", "Idempotency key reused with different content", 409),
    REQUEST_IN_PROGRESS("request-in-progress", "A request with this idempotency key is in progress", 409),
    SUBJECT_WITHDRAWN("subject-withdrawn", "The participant has withdrawn", 409),
    PAYLOAD_TOO_LARGE("payload-too-large", "Payload too large", 413),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", 415),
    VALIDATION_FAILED("validation-failed", "Validation failed", 422),
    INTERNAL("internal", "Internal error", 500),
    TEMPORARILY_UNAVAILABLE("temporarily-unavailable", "Temporarily unavailable", 503);

    public static final String BASE_URI = "https://openepro.dev/problems/";

    private final String slug;
    private final String title;
    private final int status;

    ProblemType(String slug, String title, int status) {
        this.slug = slug;
        this.title = title;
        this.status = status;
    }

    public String uri() {
        return BASE_URI + slug;
    }

    public String title() {
        return title;
    }

    public int status() {
        return status;
    }
}
