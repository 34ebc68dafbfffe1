package org.openepro.submit;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.openepro.core.aws.AwsClients;
import org.openepro.core.config.Env;
import org.openepro.core.http.ApiException;
import org.openepro.core.http.ApiRequest;
import org.openepro.core.http.ApiResponses;
import org.openepro.core.http.Caller;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** POST /v1/reports (foundation slice: stores the report and enqueues index and alert work). */
public final class SubmitReportHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final AwsClients aws;
    private final String reportsTable;
    private final String indexQueue;
    private final String alertQueue;

    public SubmitReportHandler() {
        this(System.getenv(), AwsClients.fromEnv(System.getenv()));
    }

    public SubmitReportHandler(Map<String, String> env, AwsClients aws) {
        this.aws = aws;
        this.reportsTable = Env.required(env, "REPORTS_TABLE");
        this.indexQueue = Env.required(env, "INDEX_QUEUE_URL");
        this.alertQueue = Env.required(env, "ALERT_QUEUE_URL");
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        ApiRequest request = new ApiRequest(event);
        try {
            Caller.Patient patient = request.caller().patient();
            String reportId = UUID.randomUUID().toString();
            String receivedAt = Instant.now().toString();
            aws.dynamo().putItem(b -> b.tableName(reportsTable).item(Map.of(
                    "pk", AttributeValue.fromS("R#" + reportId),
                    "sk", AttributeValue.fromS("V#000001"),
                    "studyId", AttributeValue.fromS(patient.studyId()),
                    "receivedAt", AttributeValue.fromS(receivedAt))));
            String message = "{\"reportId\":\"" + reportId + "\",\"version\":1}";
            aws.sqs().sendMessage(b -> b.queueUrl(indexQueue).messageBody(message));
            aws.sqs().sendMessage(b -> b.queueUrl(alertQueue).messageBody(message));
            return ApiResponses.json(201, "{\"reportId\":\"" + reportId + "\"}", Map.of());
        } catch (ApiException e) {
            return ApiResponses.problem(e, request.path());
        }
    }
}
