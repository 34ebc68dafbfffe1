package org.openepro.schedule.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openepro.core.http.ApiRequest;
import org.openepro.core.http.Caller;
import org.openepro.core.http.Problem.FieldError;
import org.openepro.core.schedule.ComplianceReader;
import org.openepro.core.schedule.ComplianceReader.Counts;
import org.openepro.core.schedule.ComplianceReader.Grouping;

/**
 * GET compliance: a study's compliance over a range of days, by day, site or subject: expected, on time,
 * late, missed, and adherence (on time + late over expected, in percent). The parameters are checked
 * here; the counters are read and summed by core's {@link ComplianceReader}, as the compliance-csv export
 * reads them; the days are the occurrences' local dates.
 */
public final class ComplianceService {
    public static final int MAX_DAYS = ComplianceReader.MAX_DAYS;
    // exact: 100.0 stays 100.0 (the default factory strips zeros and writes 1E+2, which a reader shows as such)
    private static final JsonNodeFactory F = JsonNodeFactory.withExactBigDecimals(true);

    private final ComplianceReader reader;

    public ComplianceService(ComplianceReader reader) {
        this.reader = reader;
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
        Optional<Grouping> by = Grouping.fromCode(request.queryParameter("by").orElse("day"));
        if (by.isEmpty()) {
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
        ComplianceReader.Compliance compliance =
                reader.read(new ComplianceReader.Query(studyId, from, to, site, by.get()));
        ObjectNode out = F.objectNode();
        out.put("studyId", studyId);
        out.put("from", from.toString());
        out.put("to", to.toString());
        out.put("by", by.get().code());
        site.ifPresent(s -> out.put("siteId", s));
        ArrayNode list = out.putArray("rows");
        for (ComplianceReader.Row row : compliance.rows()) {
            ObjectNode r = list.addObject();
            switch (by.get()) {
                case SITE -> r.put("siteId", row.siteId());
                case SUBJECT -> {
                    r.put("siteId", row.siteId());
                    r.put("subjectId", row.subjectId());
                }
                case DAY -> r.put("day", row.day().toString());
            }
            counts(r, row.counts());
        }
        counts(out.putObject("total"), compliance.total());
        return out;
    }

    private static void counts(ObjectNode node, Counts c) {
        node.put("expected", c.expected());
        node.put("onTime", c.onTime());
        node.put("late", c.late());
        node.put("missed", c.missed());
        c.adherencePercent()
                .ifPresentOrElse(a -> node.put("adherencePercent", a), () -> node.putNull("adherencePercent"));
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
