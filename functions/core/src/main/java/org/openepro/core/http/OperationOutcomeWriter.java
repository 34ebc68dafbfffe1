package org.openepro.core.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.openepro.core.json.Json;
import org.openepro.core.validation.Issue;
import org.openepro.core.validation.IssueSeverity;

/**
 * Renders a refusal as a FHIR R4 {@code OperationOutcome}, for a FHIR client that asked for
 * {@code application/fhir+json}: the same issues the problem document lists, each with its
 * FHIR severity and issue type, OpenEPRO's code in {@code details.coding}, and a FHIRPath
 * {@code expression} when the issue points into the FHIR resource sent.
 */
public final class OperationOutcomeWriter {
    /** The code system of OpenEPRO's issue codes ({@code out-of-range}, {@code required}, ...). */
    public static final String ISSUE_CODES = ProblemType.BASE_URI + "issue-codes";

    private static final ObjectWriter WRITER = Json.writer(ObjectNode.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private OperationOutcomeWriter() {}

    /**
     * @param issues       the validation issues behind the problem; empty for other refusals, which
     *                     become one issue describing the problem
     * @param resourceType the FHIR resource the request carried (the root of each expression), or null
     */
    public static String write(Problem problem, List<Issue> issues, String resourceType) {
        ObjectNode outcome = NODES.objectNode();
        outcome.put("resourceType", "OperationOutcome");
        ArrayNode out = outcome.putArray("issue");
        if (issues.isEmpty()) {
            ObjectNode issue = out.addObject();
            issue.put("severity", IssueSeverity.ERROR.fhirCode());
            issue.put("code", issueType(problem.status(), problem.type()));
            ObjectNode details = issue.putObject("details");
            details.putArray("coding")
                    .addObject()
                    .put("system", ProblemType.BASE_URI)
                    .put("code", problem.type());
            details.put("text", problem.detail());
        }
        for (Issue i : issues) {
            ObjectNode issue = out.addObject();
            issue.put("severity", i.severity().fhirCode());
            issue.put("code", issueType(i.code(), problem));
            ObjectNode details = issue.putObject("details");
            details.putArray("coding").addObject().put("system", ISSUE_CODES).put("code", i.code());
            details.put("text", i.detail());
            String expression = expression(resourceType, i.location());
            if (expression != null) {
                issue.putArray("expression").add(expression);
            } else {
                issue.put("diagnostics", i.location());
            }
        }
        try {
            return WRITER.writeValueAsString(outcome);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings cannot fail to serialise", e);
        }
    }

    /** FHIR's IssueType for an OpenEPRO issue code (http://hl7.org/fhir/R4/valueset-issue-type.html). */
    static String issueType(String code, Problem problem) {
        if (code.equals("required")) {
            return "required";
        }
        if (code.equals("too-long")) {
            return "too-long";
        }
        if (code.startsWith("duplicate")) {
            return "duplicate";
        }
        return problem.type().equals(ProblemType.MALFORMED_REQUEST.uri()) ? "structure" : "invalid";
    }

    /** FHIR's IssueType for a refusal that is not a validation's. */
    static String issueType(int status, String problemType) {
        if (problemType.equals(ProblemType.MALFORMED_REQUEST.uri())) {
            return "structure";
        }
        return switch (status) {
            case 401 -> "login";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 409 -> "conflict";
            case 413 -> "too-costly";
            case 415 -> "not-supported";
            case 429 -> "throttled";
            case 503 -> "transient";
            default -> status >= 500 ? "exception" : "invalid";
        };
    }

    /**
     * A JSON pointer into the resource ({@code /item/0/answer/0/valueCoding}) as FHIR's restricted
     * FHIRPath ({@code QuestionnaireResponse.item[0].answer[0].value}: a choice element by its
     * name without the type); null for a location outside the resource (a header).
     */
    static String expression(String resourceType, String pointer) {
        if (resourceType == null || !pointer.startsWith("/")) {
            return null;
        }
        StringBuilder path = new StringBuilder(resourceType);
        for (String raw : pointer.substring(1).split("/", -1)) {
            String segment = raw.replace("~1", "/").replace("~0", "~");
            if (segment.isEmpty()) {
                continue;
            }
            if (segment.chars().allMatch(Character::isDigit)) {
                path.append('[').append(segment).append(']');
            } else if (segment.length() > 5
                    && segment.startsWith("value")
                    && Character.isUpperCase(segment.charAt(5))) {
                path.append(".value");
            } else {
                path.append('.').append(segment);
            }
        }
        return path.toString();
    }
}
