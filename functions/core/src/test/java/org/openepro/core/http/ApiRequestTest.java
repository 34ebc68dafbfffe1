package org.openepro.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The request URL a FHIR Bulk Data manifest records as its kick-off request (moved with the code from export). */
class ApiRequestTest {
    private static APIGatewayV2HTTPEvent event(String domain, Map<String, String> headers, String query) {
        return APIGatewayV2HTTPEvent.builder()
                .withRawPath("/v1/studies/STUDY-1/exports")
                .withRawQueryString(query)
                .withHeaders(headers)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withDomainName(domain)
                        .build())
                .build();
    }

    @Test
    void isApiGatewaysOwnDomainOverHttps() {
        // GIVEN an event as API Gateway sends it
        APIGatewayV2HTTPEvent e = event(
                "abc.execute-api.eu-west-1.amazonaws.com",
                Map.of("host", "abc.execute-api.eu-west-1.amazonaws.com", "x-forwarded-proto", "https"),
                "");

        // WHEN / THEN
        assertThat(new ApiRequest(e).url())
                .isEqualTo("https://abc.execute-api.eu-west-1.amazonaws.com/v1/studies/STUDY-1/exports");
    }

    @Test
    void keepsTheLocalApisPortAndScheme() {
        APIGatewayV2HTTPEvent e =
                event("127.0.0.1", Map.of("host", "127.0.0.1:3107", "x-forwarded-proto", "http"), "pretty=1");

        assertThat(new ApiRequest(e).url()).isEqualTo("http://127.0.0.1:3107/v1/studies/STUDY-1/exports?pretty=1");
    }

    @Test
    void neverTakesAHostHeaderThatNamesAnotherDomain() {
        // GIVEN a Host header naming someone else's site
        APIGatewayV2HTTPEvent e = event(
                "abc.execute-api.eu-west-1.amazonaws.com",
                Map.of("host", "evil.example", "x-forwarded-proto", "https"),
                null);

        // WHEN / THEN the manifest names the API's own domain
        assertThat(new ApiRequest(e).url())
                .isEqualTo("https://abc.execute-api.eu-west-1.amazonaws.com/v1/studies/STUDY-1/exports");
    }
}
