package org.openepro.core.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * An RFC 9457 problem document. Details and field errors describe what is wrong with the
 * request's shape, never the values a patient entered.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {

    public static Problem of(ProblemType type, String detail) {
        return new Problem(type.uri(), type.title(), type.status(), detail, null, List.of());
    }

    public static Problem of(ProblemType type, String detail, List<FieldError> errors) {
        return new Problem(type.uri(), type.title(), type.status(), detail, null, List.copyOf(errors));
    }

    public Problem at(String instancePath) {
        return new Problem(type, title, status, detail, instancePath, errors);
    }

    /** One field's problem: a JSON pointer into the request, the FHIR linkId when an answer is concerned, and a code. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FieldError(@JsonProperty("pointer") String pointer, String linkId, String code, String detail) {
        public static FieldError at(String pointer, String code, String detail) {
            return new FieldError(pointer, null, code, detail);
        }

        public static FieldError item(String pointer, String linkId, String code, String detail) {
            return new FieldError(pointer, linkId, code, detail);
        }
    }
}
