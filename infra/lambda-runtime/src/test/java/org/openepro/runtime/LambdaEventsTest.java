package org.openepro.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

class LambdaEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ARN = "arn:aws:sqs:eu-west-1:123456789012:index";

    @Test
    void writesReceivedMessagesAsTheRecordsOfAnSqsEvent() throws Exception {
        // GIVEN a message as the SDK received it, with system and message attributes, one of them binary
        Message m = Message.builder()
                .messageId("id-1")
                .receiptHandle("rh-1")
                .body("{\"reportId\":\"r1\"}")
                .md5OfBody("md5")
                .md5OfMessageAttributes("md5a")
                .attributes(Map.of(
                        MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                        "2",
                        MessageSystemAttributeName.SENT_TIMESTAMP,
                        "1795772400000"))
                .messageAttributes(Map.of(
                        "studyId",
                                MessageAttributeValue.builder()
                                        .dataType("String")
                                        .stringValue("S1")
                                        .build(),
                        "blob",
                                MessageAttributeValue.builder()
                                        .dataType("Binary")
                                        .binaryValue(SdkBytes.fromByteArray(new byte[] {1, 2}))
                                        .build()))
                .build();

        // WHEN it is written as the event source mapping passes it
        JsonNode event = JSON.readTree(LambdaEvents.sqs(List.of(m), ARN, "eu-west-1"));

        // THEN it has SQS's field names, eventSourceARN spelled as AWS spells it
        JsonNode r = event.get("Records").get(0);
        assertThat(r.get("messageId").asText()).isEqualTo("id-1");
        assertThat(r.get("receiptHandle").asText()).isEqualTo("rh-1");
        assertThat(r.get("body").asText()).isEqualTo("{\"reportId\":\"r1\"}");
        assertThat(r.get("md5OfBody").asText()).isEqualTo("md5");
        assertThat(r.get("md5OfMessageAttributes").asText()).isEqualTo("md5a");
        assertThat(r.get("attributes").get("ApproximateReceiveCount").asText()).isEqualTo("2");
        assertThat(r.get("attributes").get("SentTimestamp").asText()).isEqualTo("1795772400000");
        assertThat(r.at("/messageAttributes/studyId/stringValue").asText()).isEqualTo("S1");
        assertThat(r.at("/messageAttributes/studyId/dataType").asText()).isEqualTo("String");
        assertThat(r.at("/messageAttributes/blob/binaryValue").asText()).isEqualTo("AQI=");
        assertThat(r.get("eventSource").asText()).isEqualTo("aws:sqs");
        assertThat(r.get("eventSourceARN").asText()).isEqualTo(ARN);
        assertThat(r.get("awsRegion").asText()).isEqualTo("eu-west-1");
    }

    @Test
    void writesAnHttpApiEventInPayloadFormat2WithItsAuthorizerClaims() throws Exception {
        // GIVEN an event for a request that passed the JWT authorizer
        HttpEvents.RawRequest request = new HttpEvents.RawRequest(
                "GET",
                "/v1/reports/r1",
                "a=1",
                Map.of("Host", List.of("127.0.0.1:3000")),
                new byte[0],
                "127.0.0.1",
                "HTTP/1.1");
        RouteTable.Route route =
                new RouteTable.Route("GET", "/v1/reports/{reportId}", "F", List.of("epro/report.write"));
        APIGatewayV2HTTPEvent event = HttpEvents.toEvent(
                request,
                new RouteTable.Match(route, Map.of("reportId", "r1")),
                new JwtAuthorizer.Allowed(Map.of("subject_id", "SUBJ-1"), List.of("epro/report.write")),
                "req-1",
                Instant.parse("2026-12-01T10:00:00Z"));

        // WHEN it is written as API Gateway sends it
        JsonNode json = JSON.readTree(LambdaEvents.httpApi(event));

        // THEN the field names are API Gateway's (isBase64Encoded, not base64Encoded) and absent values are left out
        assertThat(json.get("version").asText()).isEqualTo("2.0");
        assertThat(json.get("routeKey").asText()).isEqualTo("GET /v1/reports/{reportId}");
        assertThat(json.get("rawQueryString").asText()).isEqualTo("a=1");
        assertThat(json.at("/pathParameters/reportId").asText()).isEqualTo("r1");
        assertThat(json.at("/requestContext/authorizer/jwt/claims/subject_id").asText())
                .isEqualTo("SUBJ-1");
        assertThat(json.at("/requestContext/authorizer/jwt/scopes/0").asText()).isEqualTo("epro/report.write");
        assertThat(json.at("/requestContext/http/method").asText()).isEqualTo("GET");
        assertThat(json.at("/requestContext/timeEpoch").asLong()).isEqualTo(1796119200000L);
        assertThat(json.has("isBase64Encoded")).isTrue();
        assertThat(json.has("base64Encoded")).isFalse();
        assertThat(json.has("body")).isFalse();
        assertThat(json.has("cookies")).isFalse();
    }

    @Test
    void aScheduleWithoutInputPassesAnEmptyObject() {
        assertThat(new String(LambdaEvents.schedule(null))).isEqualTo("{}");
        assertThat(new String(LambdaEvents.schedule("{\"a\":1}"))).isEqualTo("{\"a\":1}");
    }
}
