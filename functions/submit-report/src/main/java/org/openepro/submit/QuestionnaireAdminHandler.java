package org.openepro.submit;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.openepro.core.audit.AuditLog;
import org.openepro.core.aws.AwsClients;
import org.openepro.core.http.ApiException;
import org.openepro.core.http.ApiRequest;
import org.openepro.core.http.ApiResponses;
import org.openepro.core.http.Problem;
import org.openepro.core.http.ProblemType;
import org.openepro.core.log.Log;
import org.openepro.core.metrics.Metrics;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.questionnaire.study.StudyQuestionnaireStore;
import org.openepro.core.snapstart.Priming;

/**
 * API adapter of questionnaire publication: PUT /v1/studies/{studyId}/questionnaires (a study
 * designer publishes or retires one of the study's questionnaires) and PUT
 * /v1/studies/{studyId}/built-in-questionnaires (which built-in instruments the study uses).
 */
public final class QuestionnaireAdminHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    /** A questionnaire with translations is larger than a response; a DynamoDB item holds 400 KB, stored twice. */
    public static final int MAX_BODY_BYTES = 128 * 1024;
    private static final List<String> MEDIA_TYPES = List.of(ApiResponses.FHIR_JSON, ApiResponses.JSON);
    private static final Log LOG = Log.get(QuestionnaireAdminHandler.class);

    private final QuestionnaireRegistry registry;
    private final QuestionnairePublisher publisher;
    private final Metrics metrics;

    /** Lambda's constructor: once per container. */
    public QuestionnaireAdminHandler() {
        this(System.getenv(), AwsClients.fromEnv(System.getenv()));
        Priming.register("questionnaire-admin", this::prime);
    }

    public QuestionnaireAdminHandler(Map<String, String> env, AwsClients aws) {
        QuestionnaireAdminConfig config = QuestionnaireAdminConfig.fromEnv(env);
        this.registry = QuestionnaireRegistry.load();
        this.publisher = new QuestionnairePublisher(registry, new StudyQuestionnaireStore(aws.dynamo(),
                config.questionnairesTable(), new AuditLog(aws.dynamo(), config.auditTable())), Clock.systemUTC());
        this.metrics = Metrics.forService("questionnaire-admin");
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        Log.requestId(context == null ? null : context.getAwsRequestId());
        ApiRequest request = new ApiRequest(event);
        try {
            QuestionnairePublisher.Outcome outcome = switch (request.routeKey()) {
                case "PUT /v1/studies/{studyId}/questionnaires" -> {
                    request.requireContentType(MEDIA_TYPES);
                    yield publisher.publish(request.caller(), request.pathParameter("studyId").orElse(""),
                            request.body(MAX_BODY_BYTES));
                }
                case "PUT /v1/studies/{studyId}/built-in-questionnaires" -> {
                    request.requireContentType(List.of(ApiResponses.JSON));
                    yield publisher.selectBuiltIns(request.caller(), request.pathParameter("studyId").orElse(""),
                            request.body(MAX_BODY_BYTES));
                }
                default -> throw ApiException.of(ProblemType.NOT_FOUND, "No such route.");
            };
            metrics.count(outcome.status() == 201 ? "QuestionnairesPublished" : "QuestionnairePublicationsRepeated", 1);
            LOG.info("questionnaire.admin", "route", request.routeKey(), "status", outcome.status(),
                    "questionnaire", outcome.canonical());
            return ApiResponses.json(outcome.status(), outcome.body(),
                    outcome.location() == null ? Map.of() : Map.of("location", outcome.location()));
        } catch (ApiException e) {
            metrics.count("Rejected", 1);
            LOG.info("request.rejected", "route", request.routeKey(), "status", e.problem().status(),
                    "problem", e.problem().type(), "errors", e.problem().errors().size());
            return ApiResponses.problem(e, request.path());
        } catch (RuntimeException e) {
            LOG.error("request.failed", e, "route", request.routeKey());
            metrics.count("Failed", 1);
            return ApiResponses.problem(Problem.of(ProblemType.TEMPORARILY_UNAVAILABLE,
                    "The questionnaire could not be published right now; retry the same request.")
                    .at(request.path()), Map.of("retry-after", "2"));
        } finally {
            metrics.flush();
            Log.requestId(null);
        }
    }

    /** Reads and hashes every built-in as a publication would, without touching the table. */
    void prime() {
        for (QuestionnaireDefinition d : registry.all()) {
            QuestionnairePublisher.contentHash(d.fhirJson());
        }
    }
}
