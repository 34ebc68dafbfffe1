package org.openepro.submit;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;
import java.util.List;
import org.openepro.core.fhir.QuestionnaireResponseBody;
import org.openepro.core.http.ApiException;
import org.openepro.core.http.Problem;
import org.openepro.core.http.Problem.FieldError;
import org.openepro.core.http.ProblemType;
import org.openepro.core.json.Json;

/**
 * Turns request bytes into a {@link QuestionnaireResponseBody}, or a 400 saying what is wrong
 * and where (line, column, JSON pointer) without quoting the input: parser messages can carry
 * fragments of what a patient typed.
 */
public final class RequestParser {
    private final ObjectReader reader = Json.reader(QuestionnaireResponseBody.class);

    public QuestionnaireResponseBody parse(byte[] body) {
        if (body.length == 0) {
            throw malformed("The body is empty: send a FHIR QuestionnaireResponse.", null);
        }
        try {
            QuestionnaireResponseBody parsed = reader.readValue(body);
            if (parsed == null) {
                throw malformed("The body is JSON null: send a FHIR QuestionnaireResponse.", null);
            }
            return parsed;
        } catch (StreamConstraintsException e) {
            throw malformed(limitExceeded(e) + at(e.getLocation()), null);
        } catch (JsonMappingException e) {
            if (e instanceof MismatchedInputException m
                    && String.valueOf(m.getOriginalMessage()).startsWith("Trailing token")) {
                throw malformed(
                        "The body holds more than one JSON value: content follows the QuestionnaireResponse"
                                + at(e.getLocation()),
                        null);
            }
            if (e.getCause() instanceof StreamConstraintsException limit) {
                // databind wraps the parser's limit when it trips inside a value
                throw malformed(limitExceeded(limit) + at(limit.getLocation()), null);
            }
            String pointer = pointer(e.getPath());
            throw malformed(
                    "A value has the wrong JSON type for a QuestionnaireResponse" + at(e.getLocation()),
                    FieldError.at(
                            pointer.isEmpty() ? "/" : pointer,
                            "wrong-json-type",
                            "This element does not have the JSON type FHIR defines for it."));
        } catch (JsonParseException e) {
            if (String.valueOf(e.getOriginalMessage()).startsWith("Duplicate field")) {
                throw malformed("A JSON object repeats a key" + at(e.getLocation()), null);
            }
            throw malformed("The body is not well-formed JSON" + at(e.getLocation()), null);
        } catch (JsonProcessingException e) {
            throw malformed("The body is not well-formed JSON" + at(e.getLocation()), null);
        } catch (IOException e) {
            throw malformed("The body could not be read as JSON.", null);
        }
    }

    private static String limitExceeded(StreamConstraintsException e) {
        String m = String.valueOf(e.getOriginalMessage());
        if (m.contains("nesting depth")) {
            return "The JSON nests deeper than " + Json.MAX_NESTING_DEPTH + " levels";
        }
        if (m.contains("Number value length")) {
            return "A number in the JSON is longer than " + Json.MAX_NUMBER_LENGTH + " digits";
        }
        if (m.contains("String value length")) {
            return "A string in the JSON is longer than " + Json.MAX_STRING_LENGTH + " characters";
        }
        return "The JSON exceeds a size limit of this API";
    }

    private static ApiException malformed(String detail, FieldError error) {
        return new ApiException(
                Problem.of(ProblemType.MALFORMED_REQUEST, detail, error == null ? List.of() : List.of(error)));
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return ".";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ").";
    }

    static String pointer(List<JsonMappingException.Reference> path) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : path) {
            if (r.getFieldName() != null) {
                b.append('/').append(r.getFieldName().replace("~", "~0").replace("/", "~1"));
            } else if (r.getIndex() >= 0) {
                b.append('/').append(r.getIndex());
            }
        }
        return b.toString();
    }
}
