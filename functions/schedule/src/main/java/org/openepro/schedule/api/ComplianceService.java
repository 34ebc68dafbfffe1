package org.openepro.schedule.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.openepro.core.http.ApiRequest;
import org.openepro.core.http.Caller;
import org.openepro.core.http.Problem.FieldError;
import org.openepro.core.schedule.ComplianceCounters;
import org.openepro.core.schedule.ScheduleKeys;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Compliance of a study over a range of days, by day, site or subject: expected, on time, late,
 * missed, and adherence (on time + late over expected, in percent). Read from the counters the
 * scheduler and submissions move (one Query on the counter partition of the level asked for,
 * never a Scan); the days are the occurrences' local dates.
 */
public final class ComplianceService {
    public static final int MAX_DAYS = 92;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** The counts of one row. */
    public record Counts(long expected, long onTime, long late, long missed) {
        static final Counts ZERO = new Counts(0, 0, 0, 0);

        Counts plus(Map<String, AttributeValue> item) {
            return new Counts(
                    expected + n(item, ComplianceCounters.EXPECTED),
                    onTime + n(item, ComplianceCounters.ON_TIME),
                    late + n(item, ComplianceCounters.LATE),
                    missed + n(item, ComplianceCounters.MISSED));
        }

        Counts plus(Counts o) {
            return new Counts(expected + o.expected, onTime + o.onTime, late + o.late, missed + o.missed);
        }

        /** (on time + late) / expected in percent, one decimal; empty while nothing was expected. */
        Optional<BigDecimal> adherence() {
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

    private final DynamoDbClient dynamo;
    private final String table;

    public ComplianceService(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public ObjectNode report(Caller caller, String studyId, ApiRequest request) {
        if (!caller.assignedTo(studyId)
                || !(caller.hasScope(Caller.SCOPE_ADMIN)
                        || caller.hasScope(Caller.SCOPE_EXPORT)
                        || caller.hasScope(Caller.SCOPE_ALERTS))) {
            throw Requests.forbidden("Only staff assigned to this study may read its compliance.");
        }
        List<FieldError> errors = new ArrayList<>();
        LocalDate from = day(request, "from", errors);
        LocalDate to = day(request, "to", errors);
        String by = request.queryParameter("by").orElse("day");
        if (!List.of("day", "site", "subject").contains(by)) {
            errors.add(FieldError.at("/by", "invalid", "One of day, site, subject."));
        }
        Optional<String> site = request.queryParameter("siteId");
        if (site.isPresent() && !Requests.ID.matcher(site.get()).matches()) {
            errors.add(FieldError.at("/siteId", "invalid", "A site id of 1-64 letters, digits, '.', '_' or '-'."));
        }
        if (from != null && to != null && (to.isBefore(from) || ChronoUnit.DAYS.between(from, to) >= MAX_DAYS)) {
            errors.add(FieldError.at(
                    "/to", "invalid-range", "to must be on or after from, at most " + MAX_DAYS + " days in all."));
        }
        if (!errors.isEmpty()) {
            throw Requests.invalidParameters(errors);
        }
        Map<String, Counts> rows = new TreeMap<>();
        boolean bySite = site.isPresent() || by.equals("site");
        String pk = by.equals("subject")
                ? ScheduleKeys.subjectCounterPk(studyId)
                : bySite ? ScheduleKeys.siteCounterPk(studyId) : ScheduleKeys.studyCounterPk(studyId);
        for (Map<String, AttributeValue> item : query(pk, from, to)) {
            String itemSite = item.containsKey("siteId") ? item.get("siteId").s() : null;
            if (site.isPresent() && !site.get().equals(itemSite)) {
                continue;
            }
            String key = switch (by) {
                case "site" -> itemSite;
                case "subject" -> itemSite + "\u0000" + item.get("subjectId").s();
                default -> item.get(ComplianceCounters.DAY).s();
            };
            rows.merge(key, Counts.ZERO.plus(item), Counts::plus);
        }
        ObjectNode out = F.objectNode();
        out.put("studyId", studyId);
        out.put("from", from.toString());
        out.put("to", to.toString());
        out.put("by", by);
        site.ifPresent(s -> out.put("siteId", s));
        ArrayNode list = out.putArray("rows");
        Counts total = Counts.ZERO;
        for (Map.Entry<String, Counts> row : rows.entrySet()) {
            ObjectNode r = list.addObject();
            switch (by) {
                case "site" -> r.put("siteId", row.getKey());
                case "subject" -> {
                    String[] parts = row.getKey().split("\u0000", 2);
                    r.put("siteId", parts[0]);
                    r.put("subjectId", parts[1]);
                }
                default -> r.put("day", row.getKey());
            }
            counts(r, row.getValue());
            total = total.plus(row.getValue());
        }
        counts(out.putObject("total"), total);
        return out;
    }

    private List<Map<String, AttributeValue>> query(String pk, LocalDate from, LocalDate to) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder q = QueryRequest.builder()
                    .tableName(table)
                    .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                    .expressionAttributeValues(Map.of(
                            ":pk",
                            AttributeValue.fromS(pk),
                            ":from",
                            AttributeValue.fromS(from.toString()),
                            // every key of the last day starts with "<day>#"
                            ":to",
                            AttributeValue.fromS(to + "#\uffff")));
            if (start != null) {
                q.exclusiveStartKey(start);
            }
            QueryResponse page = dynamo.query(q.build());
            out.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    private static void counts(ObjectNode node, Counts c) {
        node.put("expected", c.expected());
        node.put("onTime", c.onTime());
        node.put("late", c.late());
        node.put("missed", c.missed());
        c.adherence().ifPresentOrElse(a -> node.put("adherencePercent", a), () -> node.putNull("adherencePercent"));
    }

    private static LocalDate day(ApiRequest request, String name, List<FieldError> errors) {
        Optional<String> v = request.queryParameter(name);
        try {
            if (v.isPresent()) {
                return LocalDate.parse(v.get());
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        errors.add(
                FieldError.at("/" + name, v.isEmpty() ? "required" : "invalid", "Expected a date, e.g. 2026-03-20."));
        return null;
    }
}
