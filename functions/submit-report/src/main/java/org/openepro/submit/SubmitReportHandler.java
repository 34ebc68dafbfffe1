package org.openepro.submit;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openepro.core.audit.AuditLog;
import org.openepro.core.aws.AwsClients;
import org.openepro.core.http.ApiException;
import org.openepro.core.http.ApiRequest;
import org.openepro.core.http.ApiResponses;
import org.openepro.core.http.Caller;
import org.openepro.core.http.Problem;
import org.openepro.core.http.ProblemType;
import org.openepro.core.log.Log;
import org.openepro.core.metrics.Metrics;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.questionnaire.study.StudyCatalog;
import org.openepro.core.questionnaire.study.StudyQuestionnaireStore;
import org.openepro.core.snapstart.Priming;
import org.openepro.core.report.Report;

/**
 * API adapter of submit-report: POST /v1/reports, GET /v1/reports/{reportId}, and the
 * questionnaire catalogue the patient app renders. Everything expensive (SDK clients, JSON
 * readers and writers, the questionnaire registry) is built once per container, and a SnapStart
 * priming hook runs the CPU path before the snapshot.
 */
public final class SubmitReportHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    public static final int MAX_BODY_BYTES = 64 * 1024;
    static final List<String> MEDIA_TYPES = List.of(ApiResponses.FHIR_JSON, ApiResponses.JSON);
    private static final Log LOG = Log.get(SubmitReportHandler.class);

    private final AwsClients aws;
    private final SubmitConfig config;
    private final QueueDispatcher dispatcher;
    private final QuestionnaireRegistry registry;
    private final StudyCatalog studyQuestionnaires;
    private final RequestParser parser;
    private final ResponseValidator validator;
    private final SubmissionService submissions;
    private final SubmissionStore store;
    private final QuestionnaireCatalog catalog;
    private final Metrics metrics;

    /** Lambda's constructor: once per container. */
    public SubmitReportHandler() {
        this(System.getenv(), AwsClients.fromEnv(System.getenv()));
        Priming.register("submit-report", this::prime);
    }

    public SubmitReportHandler(Map<String, String> env, AwsClients aws) {
        this(env, aws, null);
    }

    /** For tests: {@code sender} replaces the SQS sender (e.g. to inject a failure). */
    SubmitReportHandler(Map<String, String> env, AwsClients aws, MessageSender sender) {
        this(env, aws, sender, aws.dynamo());
    }

    /** For tests: {@code dynamo} replaces the DynamoDB client (e.g. to fail one write). */
    SubmitReportHandler(Map<String, String> env, AwsClients aws, MessageSender sender,
                        software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo) {
        SubmitConfig config = SubmitConfig.fromEnv(env);
        this.aws = aws;
        this.registry = QuestionnaireRegistry.load();
        this.studyQuestionnaires = new StudyCatalog(registry, new StudyQuestionnaireStore(dynamo,
                config.requireQuestionnairesTable(), new AuditLog(dynamo, config.auditTable())), Clock.systemUTC());
        this.parser = new RequestParser();
        this.validator = new ResponseValidator(studyQuestionnaires);
        this.store = new SubmissionStore(dynamo, config.reportsTable(),
                new AuditLog(dynamo, config.auditTable()), SubmissionService.IDEMPOTENCY_TTL);
        MessageSender queues = sender != null ? sender : new SqsMessageSender(aws.sqs());
        this.config = config;
        this.dispatcher = new QueueDispatcher(queues, config.indexQueueUrl(), config.alertQueueUrl());
        ReportDelivery delivery = new ReportDelivery(store, dispatcher);
        this.submissions = new SubmissionService(parser, validator, store, delivery, Clock.systemUTC());
        this.catalog = new QuestionnaireCatalog(studyQuestionnaires);
        this.metrics = Metrics.forService("submit-report");
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        Log.requestId(context == null ? null : context.getAwsRequestId());
        ApiRequest request = new ApiRequest(event);
        try {
            return switch (request.routeKey()) {
                case "POST /v1/reports" -> submit(request);
                case "GET /v1/reports/{reportId}" -> report(request);
                case "GET /v1/questionnaires" -> questionnaires(request);
                case "GET /v1/questionnaires/{questionnaireId}" -> questionnaire(request);
                default -> throw ApiException.of(ProblemType.NOT_FOUND, "No such route.");
            };
        } catch (ApiException e) {
            metrics.count("Rejected", 1);
            LOG.info("request.rejected", "route", request.routeKey(), "status", e.problem().status(),
                    "problem", e.problem().type());
            return ApiResponses.problem(e, request.path());
        } catch (RuntimeException e) {
            LOG.error("request.failed", e, "route", request.routeKey());
            metrics.count("Failed", 1);
            // the commit may be unreachable for a moment; the client retries with the same key
            return ApiResponses.problem(Problem.of(ProblemType.TEMPORARILY_UNAVAILABLE,
                    "The report could not be processed right now; retry with the same Idempotency-Key.")
                    .at(request.path()), Map.of("retry-after", "2"));
        } finally {
            metrics.flush();
            Log.requestId(null);
        }
    }

    private APIGatewayV2HTTPResponse submit(ApiRequest request) {
        Caller caller = request.caller();
        caller.requireScope(Caller.SCOPE_REPORT_WRITE);
        request.requireContentType(MEDIA_TYPES);
        byte[] body = request.body(MAX_BODY_BYTES);
        SubmissionService.Outcome outcome = submissions.submit(caller, body, request.header("idempotency-key"),
                request.header("x-amendment-reason"));
        Map<String, String> headers = new HashMap<>(4);
        headers.put("location", outcome.location());
        if (outcome.replayed()) {
            headers.put("idempotent-replayed", "true");
            metrics.count("Replayed", 1);
        } else {
            metrics.count("Submitted", 1);
            metrics.count("Enqueued", outcome.deliveryPending() ? 0 : 2);
        }
        if (outcome.deliveryPending()) {
            metrics.count("DeliveryDeferred", 1);
        }
        return ApiResponses.json(201, outcome.receiptJson(), headers);
    }

    private APIGatewayV2HTTPResponse report(ApiRequest request) {
        Caller.Patient patient = request.caller().patient();
        String reportId = request.pathParameter("reportId").orElse("");
        if (!ResponseValidator.isUuid(reportId)) {
            throw ApiException.of(ProblemType.NOT_FOUND, "No report of yours has this id.");
        }
        Report report = store.latest(reportId)
                .filter(r -> r.studyId().equals(patient.studyId()) && r.subjectId().equals(patient.subjectId()))
                .orElseThrow(() -> ApiException.of(ProblemType.NOT_FOUND, "No report of yours has this id."));
        try {
            return ApiResponses.json(200, org.openepro.core.json.Json.mapper().writeValueAsString(Receipt.of(report)),
                    Map.of());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private APIGatewayV2HTTPResponse questionnaires(ApiRequest request) {
        Caller caller = request.caller();
        return cacheable(request, catalog.bundle(caller, languages(request)));
    }

    private APIGatewayV2HTTPResponse questionnaire(ApiRequest request) {
        Caller caller = request.caller();
        String id = request.pathParameter("questionnaireId").orElse("");
        boolean explicit = request.queryParameter("lang").filter(l -> !l.isBlank()).isPresent();
        return catalog.questionnaire(caller, id, request.queryParameter("version"), languages(request), explicit)
                .map(r -> cacheable(request, r))
                .orElseThrow(() -> ApiException.of(ProblemType.NOT_FOUND, "No questionnaire has this id and version."));
    }

    private static List<String> languages(ApiRequest request) {
        return QuestionnaireCatalog.languages(request.queryParameter("lang"), request.header("accept-language"));
    }

    /**
     * The app may keep what it renders: an ETag per body, and 304 (no body) when it sends the ETag
     * it has. "no-cache" makes it ask each time; private, since it depends on the caller's study.
     */
    private static APIGatewayV2HTTPResponse cacheable(ApiRequest request, QuestionnaireCatalog.Rendered r) {
        Map<String, String> headers = Map.of("etag", r.etag(), "cache-control", "private, no-cache",
                "vary", "Authorization, Accept-Language");
        if (QuestionnaireCatalog.matches(request.header("if-none-match"), r.etag())) {
            return ApiResponses.response(304, ApiResponses.FHIR_JSON, "", headers);
        }
        return ApiResponses.response(200, ApiResponses.FHIR_JSON, r.body(), headers);
    }

    /** Runs the CPU path (parse, validate, score, serialise) for every questionnaire, without side effects. */
    void prime() {
        String authored = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(Instant.now().atOffset(ZoneOffset.UTC))
                .replaceAll("\\.\\d+", "");
        Caller.Patient patient = new Caller.Patient("PRIMING", "PRIMING", "PRIMING");
        for (QuestionnaireDefinition d : registry.all()) {
            if (d.retired()) {
                continue;
            }
            submissions.prime(patient, SampleResponses.bytes(SampleResponses.response(d, Map.of(), authored)));
        }
        catalog.bundle(new Caller("PRIMING", java.util.Set.of(), Map.of()), List.of());
        ApiResponses.json(201, "{}", Map.of("location", "/v1/reports/PRIMING"));
        dispatcher.warmUp();
        // calls that marshal, sign and parse like the real ones, and change no data (the template
        // grants sqs:GetQueueAttributes on the index queue for this one)
        store.idempotencyRecord(SubmissionStore.idempotencyKey("PRIMING", "PRIMING", "PRIMING"));
        store.primeTransaction();
        aws.sqs().getQueueAttributes(b -> b.queueUrl(config.indexQueueUrl())
                .attributeNamesWithStrings("ApproximateNumberOfMessages"));
    }
}
