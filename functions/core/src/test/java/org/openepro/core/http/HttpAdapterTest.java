package org.openepro.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openepro.core.lambda.FakeLambdaContext;
import org.openepro.core.log.CapturedOutput;
import org.openepro.core.log.Log;
import org.openepro.core.metrics.Metric;
import org.openepro.core.metrics.Metrics;
import org.openepro.core.validation.Issue;
import org.openepro.core.validation.ValidationFailure;
import org.openepro.core.validation.ValidationResult;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

class HttpAdapterTest {
    private static final String ROUTE = "POST /v1/things";
    private static final String FHIR_ROUTE = "POST /v1/reports";
    private static final String LAMBDA_REQUEST_ID = "5f0c7a52-lambda";
    private static final String API_REQUEST_ID = "Jq3xYgWzDoEEMnA=";
    /** What a failure's message may carry (a value from the request); it must reach neither client nor log. */
    private static final String SECRET = "answer-of-SUBJ-0042";

    @RegisterExtension
    final CapturedOutput output = new CapturedOutput();

    @Test
    void dispatchesOnTheRouteKeyToThatRouteOnly() {
        // GIVEN two routes
        List<String> called = new ArrayList<>();
        HttpAdapter api = HttpAdapter.builder(metrics())
                .route("GET /v1/a", r -> {
                    called.add("a");
                    return ApiResponses.json(200, "{\"route\":\"a\"}", Map.of());
                })
                .route("GET /v1/b/{id}", r -> {
                    called.add("b:" + r.pathParameter("id").orElseThrow());
                    return ApiResponses.json(200, "{\"route\":\"b\"}", Map.of());
                })
                .build();

        // WHEN each is requested, and a key that is not in the table
        APIGatewayV2HTTPResponse b = api.handle(event("GET /v1/b/{id}", Map.of("id", "7")), context());
        APIGatewayV2HTTPResponse none = api.handle(event("DELETE /v1/a", Map.of()), context());

        // THEN the route of the key answered, and an unknown key is 404 without calling any
        assertThat(b.getStatusCode()).isEqualTo(200);
        assertThat(b.getBody()).isEqualTo("{\"route\":\"b\"}");
        assertThat(called).containsExactly("b:7");
        assertThat(none.getStatusCode()).isEqualTo(404);
        assertThat(json(none.getBody()).path("detail").asText()).isEqualTo("No such route.");
        assertThat(api.routeKeys()).containsExactlyInAnyOrder("GET /v1/a", "GET /v1/b/{id}");
    }

    @Test
    void tagsEveryLineWithLambdasRequestIdAndApiGatewaysAsAField() {
        // GIVEN a route that logs
        Log routeLog = Log.get(HttpAdapterTest.class);
        HttpAdapter api = adapter(r -> {
            routeLog.info("thing.done", "thingId", "t-1");
            return ApiResponses.json(200, "{}", Map.of());
        });

        // WHEN it is requested
        api.handle(event(ROUTE, Map.of()), context());

        // THEN the route's line carries both ids, and nothing is left on the thread afterwards
        JsonNode line = onlyLine("thing.done");
        assertThat(line.path("requestId").asText()).isEqualTo(LAMBDA_REQUEST_ID);
        assertThat(line.path("apiRequestId").asText()).isEqualTo(API_REQUEST_ID);
        assertThat(Log.currentRequestIds()).isNull();
    }

    @Test
    void aDomainRefusalIsItsOwnProblemLoggedAsRejectedWithoutAStack() {
        // GIVEN a route that refuses
        HttpAdapter api = adapter(r -> {
            throw ApiException.of(ProblemType.FORBIDDEN, "You are not assigned to this study.");
        });

        // WHEN it is requested
        APIGatewayV2HTTPResponse response = api.handle(event(ROUTE, Map.of()), context());

        // THEN 403 problem+json, with the request's path as instance
        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(response.getHeaders()).containsEntry("content-type", "application/problem+json");
        JsonNode problem = json(response.getBody());
        assertThat(problem.path("type").asText()).isEqualTo("https://openepro.dev/problems/forbidden");
        assertThat(problem.path("status").asInt()).isEqualTo(403);
        assertThat(problem.path("detail").asText()).isEqualTo("You are not assigned to this study.");
        assertThat(problem.path("instance").asText()).isEqualTo("/v1/things");
        // AND one INFO line naming route, status and problem, without a stack; Rejected counted once
        JsonNode line = onlyLine("request.rejected");
        assertThat(line.path("level").asText()).isEqualTo("INFO");
        assertThat(line.path("route").asText()).isEqualTo(ROUTE);
        assertThat(line.path("status").asInt()).isEqualTo(403);
        assertThat(line.path("problem").asText()).isEqualTo("https://openepro.dev/problems/forbidden");
        assertThat(line.has("stackTrace")).isFalse();
        assertThat(metricLines())
                .singleElement()
                .satisfies(m -> assertThat(m.path("Rejected").asInt()).isEqualTo(1));
    }

    @Test
    void aRefusedValidationIs422WithEveryErrorAsAFieldErrorAndNoWarning() {
        // GIVEN a route whose validator refuses with two errors and a warning
        HttpAdapter api = adapter(r -> {
            throw ApiException.refusing(unprocessable());
        });

        // WHEN it is requested
        APIGatewayV2HTTPResponse response = api.handle(event(ROUTE, Map.of()), context());

        // THEN 422 validation-failed, the summary as detail, the errors in order with pointer, linkId and code
        assertThat(response.getStatusCode()).isEqualTo(422);
        JsonNode problem = json(response.getBody());
        assertThat(problem.path("type").asText()).isEqualTo("https://openepro.dev/problems/validation-failed");
        assertThat(problem.path("detail").asText())
                .isEqualTo("2 problems in the QuestionnaireResponse; nothing was stored.");
        assertThat(problem.path("errors")).hasSize(2);
        assertThat(problem.path("errors").get(0).path("pointer").asText()).isEqualTo("/item/1/answer/0/valueInteger");
        assertThat(problem.path("errors").get(0).path("linkId").asText()).isEqualTo("72514-3");
        assertThat(problem.path("errors").get(0).path("code").asText()).isEqualTo("out-of-range");
        assertThat(problem.path("errors").get(1).path("pointer").asText()).isEqualTo("/authored");
        assertThat(problem.path("errors").get(1).has("linkId")).isFalse();
        assertThat(response.getBody()).doesNotContain("late-submission");
        assertThat(onlyLine("request.rejected").path("status").asInt()).isEqualTo(422);
    }

    @Test
    void malformedAndInvalidInputsAre400() {
        // GIVEN routes refusing an unreadable body and a body with wrong fields
        HttpAdapter api = HttpAdapter.builder(metrics())
                .route("POST /v1/malformed", r -> {
                    throw ApiException.refusing(ValidationResult.failed(
                            ValidationFailure.MALFORMED, "The body is not valid JSON.", List.of()));
                })
                .route("POST /v1/invalid", r -> {
                    throw ApiException.refusing(ValidationResult.failed(
                            ValidationFailure.INVALID,
                            "The export request is invalid.",
                            Issue.error("/format", "required", "Required.")));
                })
                .build();

        // WHEN each is requested
        JsonNode malformed = json(
                api.handle(event("POST /v1/malformed", Map.of()), context()).getBody());
        JsonNode invalid =
                json(api.handle(event("POST /v1/invalid", Map.of()), context()).getBody());

        // THEN both are 400, each with its own problem type
        assertThat(malformed.path("status").asInt()).isEqualTo(400);
        assertThat(malformed.path("type").asText()).isEqualTo("https://openepro.dev/problems/malformed-request");
        assertThat(malformed.has("errors")).isFalse();
        assertThat(invalid.path("status").asInt()).isEqualTo(400);
        assertThat(invalid.path("type").asText()).isEqualTo("https://openepro.dev/problems/invalid-parameters");
        assertThat(invalid.path("errors").get(0).path("pointer").asText()).isEqualTo("/format");
    }

    @Test
    void aFhirClientGetsTheRefusalAsAnOperationOutcomeOnAFhirRoute() {
        // GIVEN the same refusing validator behind a FHIR route and a plain one
        HttpAdapter api = HttpAdapter.builder(metrics())
                .fhirRoute(FHIR_ROUTE, "QuestionnaireResponse", r -> {
                    throw ApiException.refusing(unprocessable());
                })
                .route(ROUTE, r -> {
                    throw ApiException.refusing(unprocessable());
                })
                .build();
        APIGatewayV2HTTPEvent fhir = event(FHIR_ROUTE, Map.of());
        fhir.getHeaders().put("accept", "application/fhir+json, application/json;q=0.5");
        APIGatewayV2HTTPEvent plainRoute = event(ROUTE, Map.of());
        plainRoute.getHeaders().put("accept", "application/fhir+json");
        APIGatewayV2HTTPEvent plainClient = event(FHIR_ROUTE, Map.of());
        plainClient.getHeaders().put("accept", "application/json, application/fhir+json;q=0");

        // WHEN a FHIR client asks on the FHIR route, on the plain route, and a plain client on the FHIR route
        APIGatewayV2HTTPResponse outcome = api.handle(fhir, context());
        APIGatewayV2HTTPResponse problem = api.handle(plainRoute, context());
        APIGatewayV2HTTPResponse plain = api.handle(plainClient, context());

        // THEN only the first is an OperationOutcome: same status, every issue with severity, type, code, FHIRPath
        assertThat(outcome.getStatusCode()).isEqualTo(422);
        assertThat(outcome.getHeaders()).containsEntry("content-type", "application/fhir+json");
        JsonNode body = json(outcome.getBody());
        assertThat(body.path("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(body.path("issue")).hasSize(3);
        JsonNode first = body.path("issue").get(0);
        assertThat(first.path("severity").asText()).isEqualTo("error");
        assertThat(first.path("code").asText()).isEqualTo("invalid");
        assertThat(first.path("details").path("coding").get(0).path("system").asText())
                .isEqualTo("https://openepro.dev/problems/issue-codes");
        assertThat(first.path("details").path("coding").get(0).path("code").asText())
                .isEqualTo("out-of-range");
        assertThat(first.path("details").path("text").asText()).isEqualTo("The answer must be from 0 to 10.");
        assertThat(first.path("expression").get(0).asText()).isEqualTo("QuestionnaireResponse.item[1].answer[0].value");
        assertThat(body.path("issue").get(1).path("code").asText()).isEqualTo("required");
        assertThat(body.path("issue").get(2).path("severity").asText()).isEqualTo("warning");
        assertThat(problem.getHeaders()).containsEntry("content-type", "application/problem+json");
        assertThat(plain.getHeaders()).containsEntry("content-type", "application/problem+json");
    }

    @Test
    void aFhirClientGetsOtherRefusalsAsAnOperationOutcomeToo() {
        // GIVEN a FHIR route that finds nothing
        HttpAdapter api = HttpAdapter.builder(metrics())
                .fhirRoute("GET /v1/questionnaires/{questionnaireId}", null, r -> {
                    throw ApiException.of(ProblemType.NOT_FOUND, "No questionnaire has this id and version.");
                })
                .build();
        APIGatewayV2HTTPEvent event = event("GET /v1/questionnaires/{questionnaireId}", Map.of());
        event.getHeaders().put("accept", "application/fhir+json");

        // WHEN a FHIR client asks
        APIGatewayV2HTTPResponse response = api.handle(event, context());

        // THEN one not-found issue naming the problem type
        assertThat(response.getStatusCode()).isEqualTo(404);
        JsonNode issue = json(response.getBody()).path("issue").get(0);
        assertThat(issue.path("code").asText()).isEqualTo("not-found");
        assertThat(issue.path("details").path("coding").get(0).path("code").asText())
                .isEqualTo("https://openepro.dev/problems/not-found");
        assertThat(issue.path("details").path("text").asText()).isEqualTo("No questionnaire has this id and version.");
    }

    @Test
    void throttlingIs503WithRetryAfterLoggedAsUnavailableWithItsStack() {
        AwsServiceException throttled = AwsServiceException.builder()
                .statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("ThrottlingException")
                        .serviceName("DynamoDb")
                        .errorMessage(SECRET)
                        .build())
                .message(SECRET)
                .build();
        assertUnavailable(throttled);
    }

    @Test
    void anAwsServiceErrorIs503WithRetryAfter() {
        assertUnavailable(
                DynamoDbException.builder().statusCode(500).message(SECRET).build());
    }

    @Test
    void anSdkTimeoutIs503WithRetryAfter() {
        assertUnavailable(ApiCallTimeoutException.builder().message(SECRET).build());
    }

    @Test
    void aConnectionTheSdkCouldNotMakeIs503EvenWhenWrapped() {
        assertUnavailable(new UncheckedIOException(new IOException(SECRET, SdkClientException.create(SECRET))));
    }

    @Test
    void anAwsRefusalThatRetryingCannotHealIs500() {
        // a missing table is a deployment fault: telling the client to retry would hide it
        assertInternal(ResourceNotFoundException.builder()
                .statusCode(400)
                .message(SECRET)
                .build());
    }

    @Test
    void aBugIs500WithAProblemThatSaysNothingInternalLoggedWithItsStack() {
        assertInternal(new IllegalStateException(SECRET));
    }

    @Test
    void aCheckedExceptionIs500Too() {
        assertInternal(new IOException(SECRET));
    }

    @Test
    void aRefusalOfTheServiceItselfWith503KeepsItsHeadersAndIsLoggedAsUnavailable() {
        // GIVEN a service that says it cannot go on, with its own advice
        HttpAdapter api = adapter(r -> {
            throw new ApiException(
                    Problem.of(ProblemType.TEMPORARILY_UNAVAILABLE, "The export could not be queued."),
                    Map.of("retry-after", "5"));
        });

        // WHEN it is requested
        APIGatewayV2HTTPResponse response = api.handle(event(ROUTE, Map.of()), context());

        // THEN its problem and header, one WARN line, Unavailable counted
        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getHeaders()).containsEntry("retry-after", "5");
        assertThat(onlyLine("request.unavailable").path("level").asText()).isEqualTo("WARN");
        assertThat(metricLines())
                .singleElement()
                .satisfies(m -> assertThat(m.path("Unavailable").asInt()).isEqualTo(1));
    }

    @Test
    void flushesTheMetricsOnceAnInvocationWhateverTheOutcome() {
        // GIVEN routes that count and then answer, refuse or fail
        Metrics metrics = metrics();
        HttpAdapter api = HttpAdapter.builder(metrics)
                .route("GET /ok", r -> {
                    metrics.count(Metric.SUBMITTED, 1);
                    return ApiResponses.json(200, "{}", Map.of());
                })
                .route("GET /fail", r -> {
                    metrics.count(Metric.SUBMITTED, 1);
                    throw new IllegalStateException("bug");
                })
                .build();

        // WHEN each is requested once
        api.handle(event("GET /ok", Map.of()), context());
        api.handle(event("GET /fail", Map.of()), context());

        // THEN one metrics document an invocation, each with what that invocation counted
        List<JsonNode> documents = metricLines();
        assertThat(documents).hasSize(2);
        assertThat(documents.get(0).path("Submitted").asInt()).isEqualTo(1);
        assertThat(documents.get(0).has("Failed")).isFalse();
        assertThat(documents.get(1).path("Submitted").asInt()).isEqualTo(1);
        assertThat(documents.get(1).path("Failed").asInt()).isEqualTo(1);
    }

    @Test
    void refusesARouteKeyTwiceInTheTable() {
        HttpAdapter.Builder builder = HttpAdapter.builder(metrics()).route(ROUTE, r -> null);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder.route(ROUTE, r -> null))
                .withMessageContaining(ROUTE);
    }

    private void assertUnavailable(Exception failure) {
        // GIVEN a route whose AWS call failed in a way a later retry can heal
        HttpAdapter api = HttpAdapter.builder(metrics())
                .route(ROUTE, r -> {
                    throw failure;
                })
                .unavailableDetail("Retry with the same Idempotency-Key.")
                .build();

        // WHEN it is requested
        APIGatewayV2HTTPResponse response = api.handle(event(ROUTE, Map.of()), context());

        // THEN 503 temporarily-unavailable with Retry-After and the function's advice
        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getHeaders()).containsEntry("retry-after", "2");
        JsonNode problem = json(response.getBody());
        assertThat(problem.path("type").asText()).isEqualTo("https://openepro.dev/problems/temporarily-unavailable");
        assertThat(problem.path("detail").asText()).isEqualTo("Retry with the same Idempotency-Key.");
        assertThat(response.getBody()).doesNotContain(SECRET);
        // AND one WARN line with the failure's type and stack, never its message; Unavailable counted
        JsonNode line = onlyLine("request.unavailable");
        assertThat(line.path("level").asText()).isEqualTo("WARN");
        assertThat(line.path("route").asText()).isEqualTo(ROUTE);
        assertThat(line.path("errorType").asText()).isEqualTo(failure.getClass().getName());
        assertThat(line.path("stackTrace")).isNotEmpty();
        assertThat(logText()).doesNotContain(SECRET);
        assertThat(metricLines()).singleElement().satisfies(m -> {
            assertThat(m.path("Unavailable").asInt()).isEqualTo(1);
            assertThat(m.has("Failed")).isFalse();
        });
    }

    private void assertInternal(Exception failure) {
        // GIVEN a route that fails with a fault of ours
        HttpAdapter api = adapter(r -> {
            throw failure;
        });

        // WHEN it is requested
        APIGatewayV2HTTPResponse response = api.handle(event(ROUTE, Map.of()), context());

        // THEN 500 internal, a problem that names nothing of the failure, and no Retry-After
        assertThat(response.getStatusCode()).isEqualTo(500);
        assertThat(response.getHeaders()).doesNotContainKey("retry-after");
        JsonNode problem = json(response.getBody());
        assertThat(problem.path("type").asText()).isEqualTo("https://openepro.dev/problems/internal");
        assertThat(problem.path("detail").asText()).isEqualTo("The request could not be completed.");
        assertThat(response.getBody())
                .doesNotContain(SECRET)
                .doesNotContain(failure.getClass().getSimpleName());
        // AND one ERROR line with the failure's type and stack, never its message; Failed counted
        JsonNode line = onlyLine("request.failed");
        assertThat(line.path("level").asText()).isEqualTo("ERROR");
        assertThat(line.path("route").asText()).isEqualTo(ROUTE);
        assertThat(line.path("status").asInt()).isEqualTo(500);
        assertThat(line.path("requestId").asText()).isEqualTo(LAMBDA_REQUEST_ID);
        assertThat(line.path("errorType").asText()).isEqualTo(failure.getClass().getName());
        assertThat(line.path("stackTrace").toString()).contains("HttpAdapterTest");
        assertThat(logText()).doesNotContain(SECRET);
        assertThat(metricLines())
                .singleElement()
                .satisfies(m -> assertThat(m.path("Failed").asInt()).isEqualTo(1));
    }

    private static ValidationResult<Object> unprocessable() {
        return ValidationResult.failed(
                ValidationFailure.UNPROCESSABLE,
                "2 problems in the QuestionnaireResponse; nothing was stored.",
                List.of(
                        Issue.itemError(
                                "/item/1/answer/0/valueInteger",
                                "72514-3",
                                "out-of-range",
                                "The answer must be from 0 to 10."),
                        Issue.error("/authored", "required", "authored (when the answers were given) is required."),
                        Issue.warning("/authored", "late-submission", "Submitted after the window closed.")));
    }

    private static HttpAdapter adapter(HttpAdapter.Route route) {
        return HttpAdapter.builder(metrics()).route(ROUTE, route).build();
    }

    private static Metrics metrics() {
        return Metrics.forService("adapter-test");
    }

    private static APIGatewayV2HTTPEvent event(String routeKey, Map<String, String> pathParameters) {
        String method = routeKey.substring(0, routeKey.indexOf(' '));
        String path =
                routeKey.substring(routeKey.indexOf(' ') + 1).replace("{id}", pathParameters.getOrDefault("id", ""));
        return APIGatewayV2HTTPEvent.builder()
                .withRouteKey(routeKey)
                .withRawPath(path)
                .withHeaders(new HashMap<>(Map.of("content-type", "application/json")))
                .withPathParameters(pathParameters)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRequestId(API_REQUEST_ID)
                        .withRouteKey(routeKey)
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method)
                                .withPath(path)
                                .build())
                        .build())
                .build();
    }

    private String logText() {
        return output.logText();
    }

    private JsonNode onlyLine(String message) {
        return output.onlyLine(message);
    }

    private List<JsonNode> metricLines() {
        return output.metricDocuments();
    }

    private static JsonNode json(String text) {
        return CapturedOutput.json(text);
    }

    private static Context context() {
        return FakeLambdaContext.withRequestId(LAMBDA_REQUEST_ID);
    }
}
