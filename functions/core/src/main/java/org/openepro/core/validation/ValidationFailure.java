package org.openepro.core.validation;

/**
 * Why an input was refused, in the three ways a caller answers differently: an HTTP API answers
 * MALFORMED and INVALID with 400 and UNPROCESSABLE with 422; a batch re-validation only counts.
 */
public enum ValidationFailure {
    /** The input cannot be read at all (not JSON, not an object, wrong JSON types). */
    MALFORMED,
    /** It can be read, but fields are missing, unknown or of the wrong shape. */
    INVALID,
    /** Well-formed, but what it says cannot be accepted (a rule of the questionnaire or the study). */
    UNPROCESSABLE
}
