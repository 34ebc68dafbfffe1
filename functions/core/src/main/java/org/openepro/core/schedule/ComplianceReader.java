package org.openepro.core.schedule;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.paginators.QueryIterable;

/**
 * Reads a study's compliance from the counters {@link ComplianceCounters} moves: one Query on the
 * counter partition of the level asked for (study, site or subject; never a Scan), summed by day,
 * site or subject. The one reader of the counters: the schedule API's compliance route and the
 * {@code compliance-csv} export both read through it, so they cannot count differently.
 */
public final class ComplianceReader {
    /** The longest range one read covers, in days: the API's and the export's limit. */
    public static final int MAX_DAYS = 92;

    /** What a row of the result counts. */
    public enum Grouping {
        DAY,
        SITE,
        SUBJECT;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Grouping> fromCode(String code) {
            for (Grouping g : values()) {
                if (g.code().equals(code)) {
                    return Optional.of(g);
                }
            }
            return Optional.empty();
        }
    }

    /** The counts of one row: expected, completed on time, late, missed. */
    public record Counts(long expected, long onTime, long late, long missed) {
        public static final Counts ZERO = new Counts(0, 0, 0, 0);

        /** The counts one counter item holds (an attribute never written counts 0). */
        static Counts of(Map<String, AttributeValue> item) {
            return new Counts(
                    n(item, ComplianceCounters.EXPECTED),
                    n(item, ComplianceCounters.ON_TIME),
                    n(item, ComplianceCounters.LATE),
                    n(item, ComplianceCounters.MISSED));
        }

        public Counts plus(Counts o) {
            return new Counts(expected + o.expected, onTime + o.onTime, late + o.late, missed + o.missed);
        }

        /** (on time + late) / expected in percent, one decimal, half up; empty while nothing was expected. */
        public Optional<BigDecimal> adherencePercent() {
            return expected == 0
                    ? Optional.empty()
                    : Optional.of(BigDecimal.valueOf((onTime + late) * 100L)
                            .divide(BigDecimal.valueOf(expected), 1, RoundingMode.HALF_UP));
        }

        private static long n(Map<String, AttributeValue> item, String name) {
            AttributeValue v = item.get(name);
            return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
        }
    }

    /**
     * One row: by day, {@code day} (with {@code siteId} when the query named a site); by site, {@code siteId};
     * by subject, {@code siteId} and {@code subjectId}. What the grouping does not name is null.
     */
    public record Row(LocalDate day, String siteId, String subjectId, Counts counts) {}

    /**
     * A study's counters of the local days {@code from..to} (inclusive), of one site when {@code siteId} is
     * present. Callers check the range ({@link #MAX_DAYS}) and the ids before asking.
     */
    public record Query(String studyId, LocalDate from, LocalDate to, Optional<String> siteId, Grouping by) {}

    /** The rows in key order (day, site, or site then subject) and their sum. */
    public record Compliance(List<Row> rows, Counts total) {}

    private final DynamoDbClient dynamo;
    private final String table;

    /** @param table the schedule table (SCHEDULE_TABLE), which holds the counters */
    public ComplianceReader(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public Compliance read(Query q) {
        boolean bySite = q.siteId().isPresent() || q.by() == Grouping.SITE;
        String pk = q.by() == Grouping.SUBJECT
                ? ScheduleKeys.subjectCounterPk(q.studyId())
                : bySite ? ScheduleKeys.siteCounterPk(q.studyId()) : ScheduleKeys.studyCounterPk(q.studyId());
        QueryRequest request = QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(
                        ":pk",
                        AttributeValue.fromS(pk),
                        ":from",
                        AttributeValue.fromS(q.from().toString()),
                        // every key of the last day starts with "<day>#"
                        ":to",
                        AttributeValue.fromS(q.to() + "#\uffff")))
                .build();
        Map<String, Row> rows = new TreeMap<>();
        for (Map<String, AttributeValue> item : new QueryIterable(dynamo, request).items()) {
            String site = item.containsKey("siteId") ? item.get("siteId").s() : null;
            if (q.siteId().isPresent() && !q.siteId().get().equals(site)) {
                continue;
            }
            Row row = switch (q.by()) {
                case SITE -> new Row(null, site, null, Counts.of(item));
                case SUBJECT -> new Row(null, site, item.get("subjectId").s(), Counts.of(item));
                case DAY ->
                    new Row(
                            LocalDate.parse(item.get(ComplianceCounters.DAY).s()),
                            q.siteId().orElse(null),
                            null,
                            Counts.of(item));
            };
            String key = switch (q.by()) {
                case SITE -> site;
                case SUBJECT -> site + "\u0000" + row.subjectId();
                case DAY -> row.day().toString();
            };
            rows.merge(
                    key,
                    row,
                    (a, b) -> new Row(
                            a.day(), a.siteId(), a.subjectId(), a.counts().plus(b.counts())));
        }
        List<Row> out = new ArrayList<>(rows.values());
        Counts total = Counts.ZERO;
        for (Row r : out) {
            total = total.plus(r.counts());
        }
        return new Compliance(List.copyOf(out), total);
    }
}
