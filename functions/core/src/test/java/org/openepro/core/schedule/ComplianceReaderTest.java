package org.openepro.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openepro.core.schedule.ComplianceReader.Counts;
import org.openepro.core.schedule.ComplianceReader.Grouping;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

class ComplianceReaderTest {
    private static final LocalDate D1 = LocalDate.parse("2026-03-20");
    private static final LocalDate D2 = LocalDate.parse("2026-03-21");

    /** Answers a Query with the items given, one per page, so that every read goes over several pages. */
    private static final class PagedDynamo implements DynamoDbClient {
        final List<Map<String, AttributeValue>> items;
        final List<QueryRequest> requests = new ArrayList<>();

        PagedDynamo(List<Map<String, AttributeValue>> items) {
            this.items = items;
        }

        @Override
        public QueryResponse query(QueryRequest request) {
            requests.add(request);
            int at = request.hasExclusiveStartKey()
                    ? Integer.parseInt(request.exclusiveStartKey().get("i").n()) + 1
                    : 0;
            QueryResponse.Builder page =
                    QueryResponse.builder().items(items.subList(at, Math.min(at + 1, items.size())));
            if (at + 1 < items.size()) {
                page.lastEvaluatedKey(Map.of("i", AttributeValue.fromN(Integer.toString(at))));
            }
            return page.build();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {}
    }

    private static Map<String, AttributeValue> counter(
            LocalDate day, String site, String subject, int expected, int onTime, int late, int missed) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("day", AttributeValue.fromS(day.toString()));
        if (site != null) {
            item.put("siteId", AttributeValue.fromS(site));
        }
        if (subject != null) {
            item.put("subjectId", AttributeValue.fromS(subject));
        }
        item.put("expected", AttributeValue.fromN(Integer.toString(expected)));
        item.put("onTime", AttributeValue.fromN(Integer.toString(onTime)));
        item.put("late", AttributeValue.fromN(Integer.toString(late)));
        item.put("missed", AttributeValue.fromN(Integer.toString(missed)));
        return item;
    }

    @Test
    void sumsEveryPageOfTheSubjectCountersPerSubjectAndOnlyOfTheSiteAsked() {
        // GIVEN subject counters over two days, two sites, one page each
        PagedDynamo dynamo = new PagedDynamo(List.of(
                counter(D1, "SITE-01", "S-1", 1, 1, 0, 0),
                counter(D1, "SITE-01", "S-2", 1, 0, 0, 1),
                counter(D1, "SITE-02", "S-3", 1, 0, 1, 0),
                counter(D2, "SITE-01", "S-1", 1, 0, 1, 0),
                counter(D2, "SITE-01", "S-2", 1, 0, 0, 1)));

        // WHEN SITE-01 is read by subject
        ComplianceReader.Compliance c = new ComplianceReader(dynamo, "T")
                .read(new ComplianceReader.Query("ST", D1, D2, Optional.of("SITE-01"), Grouping.SUBJECT));

        // THEN one Query (five pages) on the subject partition of the range, and SITE-02 is not counted
        assertThat(dynamo.requests).hasSize(5).allSatisfy(r -> {
            assertThat(r.expressionAttributeValues().get(":pk").s()).isEqualTo("C#ST#SUBJ");
            assertThat(r.expressionAttributeValues().get(":from").s()).isEqualTo("2026-03-20");
            assertThat(r.expressionAttributeValues().get(":to").s()).startsWith("2026-03-21#");
        });
        assertThat(c.rows())
                .containsExactly(
                        new ComplianceReader.Row(null, "SITE-01", "S-1", new Counts(2, 1, 1, 0)),
                        new ComplianceReader.Row(null, "SITE-01", "S-2", new Counts(2, 0, 0, 2)));
        assertThat(c.total()).isEqualTo(new Counts(4, 1, 1, 2));
    }

    @Test
    void sumsTheShardsOfADayIntoOneRowInDayOrder() {
        PagedDynamo dynamo = new PagedDynamo(List.of(
                counter(D1, null, null, 2, 1, 0, 1),
                counter(D1, null, null, 1, 1, 0, 0),
                counter(D2, null, null, 3, 0, 0, 3)));

        ComplianceReader.Compliance c = new ComplianceReader(dynamo, "T")
                .read(new ComplianceReader.Query("ST", D1, D2, Optional.empty(), Grouping.DAY));

        assertThat(dynamo.requests.get(0).expressionAttributeValues().get(":pk").s())
                .isEqualTo("C#ST#STUDY");
        assertThat(c.rows())
                .containsExactly(
                        new ComplianceReader.Row(D1, null, null, new Counts(3, 2, 0, 1)),
                        new ComplianceReader.Row(D2, null, null, new Counts(3, 0, 0, 3)));
    }

    @Test
    void adherenceIsOnTimePlusLateOverExpectedToOneDecimalHalfUpAndNoneWhileNothingWasExpected() {
        assertThat(new Counts(3, 1, 1, 1).adherencePercent()).contains(new BigDecimal("66.7"));
        assertThat(new Counts(8, 1, 0, 7).adherencePercent()).contains(new BigDecimal("12.5"));
        assertThat(new Counts(16, 1, 0, 15).adherencePercent()).contains(new BigDecimal("6.3"));
        assertThat(Counts.ZERO.adherencePercent()).isEmpty();
    }
}
