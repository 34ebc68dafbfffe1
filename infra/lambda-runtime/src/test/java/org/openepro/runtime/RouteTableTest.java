package org.openepro.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    private static final RouteTable.Route SUBMIT = route("POST", "/v1/reports", "Submit");
    private static final RouteTable.Route GET_EXPORT = route("GET", "/v1/exports/{exportId}", "ExportApi");
    private static final RouteTable.Route LATEST_EXPORT = route("GET", "/v1/exports/latest", "Latest");
    private static final RouteTable.Route REQUEST_EXPORT = route("POST", "/v1/studies/{studyId}/exports", "ExportApi");
    private static final RouteTable.Route ANY_STUDY = route("ANY", "/v1/studies/{studyId}/exports", "Any");
    private static final RouteTable.Route PROXY = route("GET", "/files/{proxy+}", "Files");

    private final RouteTable table =
            new RouteTable(List.of(SUBMIT, GET_EXPORT, LATEST_EXPORT, REQUEST_EXPORT, ANY_STUDY, PROXY));

    @Test
    void matchesMethodAndPathAndCapturesPathParameters() {
        RouteTable.Match m = table.match("POST", "/v1/studies/S-1/exports").orElseThrow();

        assertThat(m.route()).isEqualTo(REQUEST_EXPORT);
        assertThat(m.route().routeKey()).isEqualTo("POST /v1/studies/{studyId}/exports");
        assertThat(m.pathParameters()).isEqualTo(Map.of("studyId", "S-1"));
    }

    @Test
    void methodIsCaseInsensitiveButPathIsNot() {
        assertThat(table.match("post", "/v1/reports"))
                .map(RouteTable.Match::route)
                .contains(SUBMIT);
        assertThat(table.match("POST", "/V1/reports")).isEmpty();
    }

    @Test
    void aLiteralSegmentBeatsAPathVariable() {
        assertThat(table.match("GET", "/v1/exports/latest"))
                .map(RouteTable.Match::route)
                .contains(LATEST_EXPORT);
        assertThat(table.match("GET", "/v1/exports/e-42"))
                .map(RouteTable.Match::route)
                .contains(GET_EXPORT);
    }

    @Test
    void anExactMethodBeatsAny() {
        assertThat(table.match("POST", "/v1/studies/S/exports"))
                .map(RouteTable.Match::route)
                .contains(REQUEST_EXPORT);
        assertThat(table.match("DELETE", "/v1/studies/S/exports"))
                .map(RouteTable.Match::route)
                .contains(ANY_STUDY);
    }

    @Test
    void noRouteForAnotherMethodOrAPathWithExtraOrMissingSegments() {
        assertThat(table.match("GET", "/v1/reports")).isEmpty();
        assertThat(table.match("POST", "/v1/reports/extra")).isEmpty();
        assertThat(table.match("POST", "/v1/reports/")).isEmpty();
        assertThat(table.match("GET", "/v1/exports/")).isEmpty();
        assertThat(table.match("GET", "/v1")).isEmpty();
        assertThat(table.match("GET", "/")).isEmpty();
    }

    @Test
    void decodesPathParametersWithoutTurningPlusIntoSpace() {
        RouteTable.Match m = table.match("GET", "/v1/exports/a%20b+c%2Fd%C3%A9").orElseThrow();

        assertThat(m.pathParameters()).containsEntry("exportId", "a b+c/dé");
    }

    @Test
    void keepsAMalformedEscapeAsWritten() {
        assertThat(table.match("GET", "/v1/exports/100%").orElseThrow().pathParameters())
                .containsEntry("exportId", "100%");
    }

    @Test
    void aGreedyVariableTakesTheRestOfThePath() {
        assertThat(table.match("GET", "/files/a/b/c.csv").orElseThrow().pathParameters())
                .containsEntry("proxy", "a/b/c.csv");
        assertThat(table.match("GET", "/files")).isEmpty();
    }

    @Test
    void theDefaultRouteCatchesWhatNothingElseMatches() {
        RouteTable withDefault = new RouteTable(List.of(SUBMIT, route("ANY", "$default", "Fallback")));

        assertThat(withDefault.match("POST", "/v1/reports"))
                .map(m -> m.route().functionId())
                .contains("Submit");
        assertThat(withDefault.match("GET", "/anything"))
                .map(m -> m.route().routeKey())
                .contains("$default");
    }

    @Test
    void aGreedyVariableMustBeLast() {
        assertThatThrownBy(() -> new RouteTable(List.of(route("GET", "/{proxy+}/x", "F"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static RouteTable.Route route(String method, String path, String function) {
        return new RouteTable.Route(method, path, function, List.of());
    }
}
