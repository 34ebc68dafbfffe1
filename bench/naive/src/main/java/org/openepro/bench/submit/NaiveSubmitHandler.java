package org.openepro.bench.submit;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.openepro.core.fhir.QuestionnaireResponseBody;
import org.openepro.core.http.ApiException;
import org.openepro.core.id.Participant;
import org.openepro.core.id.SiteId;
import org.openepro.core.id.StudyId;
import org.openepro.core.id.SubjectId;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.questionnaire.Scorer;
import org.openepro.core.report.QuestionnaireRef;
import org.openepro.core.report.Report;
import org.openepro.core.report.ReportItems;
import org.openepro.core.report.Score;
import org.openepro.submit.ResponseValidator;
import org.openepro.submit.ValidatedResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The baseline: submit-report the way a first tutorial writes it. Same validation and scoring
 * and the same AWS work, but a new ObjectMapper, questionnaire registry and SDK clients (with
 * the SDK's default Apache HTTP client) on every request, sends one after the other, no priming.
 * Not deployed; it exists to be measured against.
 */
public final class NaiveSubmitHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        try {
            Map<String, String> env = System.getenv();
            ObjectMapper mapper =
                    new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
            QuestionnaireResponseBody body = mapper.readValue(event.getBody(), QuestionnaireResponseBody.class);
            Map<String, String> claims =
                    event.getRequestContext().getAuthorizer().getJwt().getClaims();
            Participant patient = Participant.of(
                    StudyId.of(claims.get("study_id")),
                    SiteId.of(claims.get("site_id")),
                    SubjectId.of(claims.get("subject_id")));
            QuestionnaireRegistry registry = QuestionnaireRegistry.load();
            Instant now = Instant.now();
            ValidatedResponse valid = new ResponseValidator(registry)
                    .validate(body, patient, Optional.empty(), now)
                    .orElseThrow(ApiException::refusing);
            List<Score> scores = Scorer.score(valid.definition(), valid.answers());
            Report report = Report.builder()
                    .reportId(UUID.randomUUID().toString())
                    .status(valid.status())
                    .participant(patient)
                    .questionnaire(QuestionnaireRef.of(valid.definition()))
                    .authored(valid.authored(), valid.authoredAt())
                    .receivedAt(now)
                    .firstReceivedAt(now)
                    .answers(valid.answers())
                    .scores(scores)
                    .submittedBy(claims.get("sub"))
                    .build();

            DynamoDbClient dynamo = naive(DynamoDbClient.builder(), env).build();
            dynamo.putItem(b -> b.tableName(env.get("REPORTS_TABLE")).item(ReportItems.toItem(report)));
            Map<String, AttributeValue> audit = new HashMap<>();
            audit.put("pk", AttributeValue.fromS("A#" + report.studyId()));
            audit.put("sk", AttributeValue.fromS(now + "#" + UUID.randomUUID()));
            audit.put("action", AttributeValue.fromS("REPORT_CREATED"));
            dynamo.putItem(b -> b.tableName(env.get("AUDIT_TABLE")).item(audit));

            SqsClient sqs = naive(SqsClient.builder(), env).build();
            String message = mapper.writeValueAsString(Map.of("reportId", report.reportId(), "version", 1));
            sqs.sendMessage(b -> b.queueUrl(env.get("INDEX_QUEUE_URL")).messageBody(message));
            sqs.sendMessage(b -> b.queueUrl(env.get("ALERT_QUEUE_URL")).messageBody(message));

            Map<String, Object> receipt = new HashMap<>();
            receipt.put("reportId", report.reportId());
            receipt.put("scores", scores);
            return APIGatewayV2HTTPResponse.builder()
                    .withStatusCode(201)
                    .withBody(new ObjectMapper().writeValueAsString(receipt))
                    .build();
        } catch (Exception e) {
            return APIGatewayV2HTTPResponse.builder()
                    .withStatusCode(500)
                    .withBody(e.toString())
                    .build();
        }
    }

    /** Exactly the non-default settings any client needs against the emulator; nothing else. */
    private static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, ?>> B naive(
            B builder, Map<String, String> env) {
        builder.region(Region.of(env.getOrDefault("AWS_REGION", "eu-west-1")));
        if (env.get("AWS_ENDPOINT_URL") != null) {
            builder.endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL")));
        }
        return builder;
    }

    /** The CPU path the naive way, for JMH: per-request mapper and registry. */
    static String cpuPath(byte[] body, Participant patient, Instant now) throws Exception {
        return cpuPath(body, patient, now, QuestionnaireRegistry.load());
    }

    /** The same with the questionnaire registry loaded once: only the mappers are per request. */
    static String cpuPath(byte[] body, Participant patient, Instant now, QuestionnaireRegistry registry)
            throws Exception {
        ObjectMapper mapper = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        QuestionnaireResponseBody parsed = mapper.readValue(body, QuestionnaireResponseBody.class);
        ValidatedResponse valid = new ResponseValidator(registry)
                .validate(parsed, patient, Optional.empty(), now)
                .orElseThrow(ApiException::refusing);
        List<Score> scores = Scorer.score(valid.definition(), valid.answers());
        Report report = Report.builder()
                .reportId("r")
                .status(valid.status())
                .participant(patient)
                .questionnaire(QuestionnaireRef.of(valid.definition()))
                .authored(valid.authored(), valid.authoredAt())
                .receivedAt(now)
                .firstReceivedAt(now)
                .answers(valid.answers())
                .scores(scores)
                .submittedBy("sub")
                .build();
        ReportItems.toItem(report);
        return new ObjectMapper().writeValueAsString(Map.of("reportId", report.reportId(), "scores", scores));
    }
}
