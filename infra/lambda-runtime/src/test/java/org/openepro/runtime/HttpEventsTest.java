package org.openepro.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpEventsTest {
    private static final Instant NOW = Instant.parse("2026-11-27T09:30:00.123Z");
    private static final RouteTable.Route ROUTE =
            new RouteTable.Route("POST", "/v1/studies/{studyId}/exports", "ExportApiFunction", List.of("epro/export"));
    private static final JwtAuthorizer.Allowed AUTH =
            new JwtAuthorizer.Allowed(Map.of("sub", "u-1", "studies", "[S1 S2]"), List.of("epro/export"));

    @Test
    void buildsAPayloadFormat2EventLikeApiGateway() {
        // GIVEN a request with repeated headers and query parameters, cookies and a JSON body
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        headers.put("X-Multi", List.of("a", "b"));
        headers.put("Cookie", List.of("c1=v1; c2=v2"));
        headers.put("Host", List.of("127.0.0.1:3000"));
        headers.put("User-Agent", List.of("curl/8.5"));
        HttpEvents.RawRequest request = new HttpEvents.RawRequest(
                "POST",
                "/v1/studies/S1/exports",
                "x=1&x=2&y=a%20b&flag",
                headers,
                "{\"format\":\"csv\"}".getBytes(StandardCharsets.UTF_8),
                "127.0.0.1",
                "HTTP/1.1");
        RouteTable.Match match = new RouteTable.Match(ROUTE, Map.of("studyId", "S1"));

        // WHEN it becomes an event
        APIGatewayV2HTTPEvent event = HttpEvents.toEvent(request, match, AUTH, "req-1=", NOW);

        // THEN it has the 2.0 shape
        assertThat(event.getVersion()).isEqualTo("2.0");
        assertThat(event.getRouteKey()).isEqualTo("POST /v1/studies/{studyId}/exports");
        assertThat(event.getRawPath()).isEqualTo("/v1/studies/S1/exports");
        assertThat(event.getRawQueryString()).isEqualTo("x=1&x=2&y=a%20b&flag");
        assertThat(event.getHeaders())
                .containsEntry("content-type", "application/json")
                .containsEntry("x-multi", "a,b")
                .containsEntry("host", "127.0.0.1:3000")
                .containsEntry("x-forwarded-for", "127.0.0.1")
                .doesNotContainKey("cookie")
                .doesNotContainKey("Cookie");
        assertThat(event.getCookies()).containsExactly("c1=v1", "c2=v2");
        assertThat(event.getQueryStringParameters()).isEqualTo(Map.of("x", "1,2", "y", "a b", "flag", ""));
        assertThat(event.getPathParameters()).isEqualTo(Map.of("studyId", "S1"));
        assertThat(event.getBody()).isEqualTo("{\"format\":\"csv\"}");
        assertThat(event.getIsBase64Encoded()).isFalse();

        APIGatewayV2HTTPEvent.RequestContext ctx = event.getRequestContext();
        assertThat(ctx.getAccountId()).isEqualTo(HttpEvents.ACCOUNT_ID);
        assertThat(ctx.getApiId()).isEqualTo(HttpEvents.API_ID);
        assertThat(ctx.getDomainName()).isEqualTo("127.0.0.1");
        assertThat(ctx.getRequestId()).isEqualTo("req-1=");
        assertThat(ctx.getRouteKey()).isEqualTo(event.getRouteKey());
        assertThat(ctx.getStage()).isEqualTo("$default");
        assertThat(ctx.getTime()).isEqualTo("27/Nov/2026:09:30:00 +0000");
        assertThat(ctx.getTimeEpoch()).isEqualTo(NOW.toEpochMilli());
        assertThat(ctx.getHttp().getMethod()).isEqualTo("POST");
        assertThat(ctx.getHttp().getPath()).isEqualTo("/v1/studies/S1/exports");
        assertThat(ctx.getHttp().getProtocol()).isEqualTo("HTTP/1.1");
        assertThat(ctx.getHttp().getSourceIp()).isEqualTo("127.0.0.1");
        assertThat(ctx.getHttp().getUserAgent()).isEqualTo("curl/8.5");
        assertThat(ctx.getAuthorizer().getJwt().getClaims()).containsEntry("studies", "[S1 S2]");
        assertThat(ctx.getAuthorizer().getJwt().getScopes()).containsExactly("epro/export");
    }

    @Test
    void aRequestWithoutQueryBodyOrParametersHasNullsWhereApiGatewayOmitsFields() {
        HttpEvents.RawRequest request =
                new HttpEvents.RawRequest("GET", "/v1/reports", null, Map.of(), new byte[0], "10.0.0.1", "HTTP/1.1");

        APIGatewayV2HTTPEvent event = HttpEvents.toEvent(
                request,
                new RouteTable.Match(new RouteTable.Route("GET", "/v1/reports", "F", List.of()), Map.of()),
                AUTH,
                "r",
                NOW);

        assertThat(event.getRawQueryString()).isEmpty();
        assertThat(event.getQueryStringParameters()).isNull();
        assertThat(event.getPathParameters()).isNull();
        assertThat(event.getCookies()).isNull();
        assertThat(event.getBody()).isNull();
        assertThat(event.getIsBase64Encoded()).isFalse();
    }

    @Test
    void base64EncodesBinaryBodiesAndTextThatIsNotUtf8() {
        byte[] bytes = {1, 2, (byte) 0xff};
        APIGatewayV2HTTPEvent binary = event("application/octet-stream", bytes);
        APIGatewayV2HTTPEvent latin1 = event("text/plain", new byte[] {'c', 'a', 'f', (byte) 0xe9});
        APIGatewayV2HTTPEvent none = event(null, "x".getBytes(StandardCharsets.UTF_8));
        APIGatewayV2HTTPEvent fhir =
                event("application/fhir+json; charset=utf-8", "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(binary.getIsBase64Encoded()).isTrue();
        assertThat(Base64.getDecoder().decode(binary.getBody())).isEqualTo(bytes);
        assertThat(latin1.getIsBase64Encoded()).isTrue();
        assertThat(none.getIsBase64Encoded()).isTrue();
        assertThat(fhir.getIsBase64Encoded()).isFalse();
        assertThat(fhir.getBody()).isEqualTo("{}");
    }

    @Test
    void mapsAResponseBackWithEachCookieAsItsOwnSetCookieAndTheBodyDecoded() {
        // GIVEN a function's response as its runtime client serializes an APIGatewayV2HTTPResponse
        String response = "{\"statusCode\":202,\"headers\":{\"Location\":\"/v1/exports/e1\",\"Content-Type\":"
                + "\"application/pdf\"},\"cookies\":[\"a=1; Path=/\",\"b=2\"],\"body\":\""
                + Base64.getEncoder().encodeToString(new byte[] {9, 8, 7}) + "\",\"isBase64Encoded\":true}";

        HttpEvents.Reply reply = HttpEvents.toReply(utf8(response));

        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.headers())
                .contains(
                        Map.entry("location", "/v1/exports/e1"),
                        Map.entry("content-type", "application/pdf"),
                        Map.entry("set-cookie", "a=1; Path=/"),
                        Map.entry("set-cookie", "b=2"));
        assertThat(reply.body()).containsExactly(9, 8, 7);
    }

    @Test
    void aResponseWithoutStatusIs200AndAnyOtherJsonIsTheBodyAsApiGatewayInfersIt() {
        HttpEvents.Reply zeroStatus = HttpEvents.toReply(utf8("{\"statusCode\":0,\"body\":\"hi\"}"));
        assertThat(zeroStatus.status()).isEqualTo(200);
        assertThat(new String(zeroStatus.body(), StandardCharsets.UTF_8)).isEqualTo("hi");

        HttpEvents.Reply map = HttpEvents.toReply(utf8("{\"ok\":true}"));
        assertThat(map.status()).isEqualTo(200);
        assertThat(new String(map.body(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
        assertThat(map.headers()).contains(Map.entry("content-type", "application/json"));

        HttpEvents.Reply notJson = HttpEvents.toReply(utf8("not json"));
        assertThat(notJson.status()).isEqualTo(500);
        assertThat(new String(notJson.body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"message\":\"Internal Server Error\"}");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static APIGatewayV2HTTPEvent event(String contentType, byte[] body) {
        Map<String, List<String>> headers =
                contentType == null ? Map.of() : Map.of("Content-Type", List.of(contentType));
        HttpEvents.RawRequest request =
                new HttpEvents.RawRequest("POST", "/v1/studies/S1/exports", "", headers, body, "127.0.0.1", "HTTP/1.1");
        return HttpEvents.toEvent(request, new RouteTable.Match(ROUTE, Map.of("studyId", "S1")), AUTH, "r", NOW);
    }
}
