package org.openepro.staff;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.openepro.core.audit.AuditEntity;
import org.openepro.core.http.ApiException;
import org.openepro.core.http.ApiRequest;
import org.openepro.core.http.Problem;
import org.openepro.core.http.ProblemType;

/**
 * The staff API's path and query parameters, checked before any read: ids of the wrong shape are
 * no such resource (404); malformed query parameters are a 400 naming every bad one.
 */
final class StaffQuery {
    static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    static final Pattern QUESTIONNAIRE = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    static final int DEFAULT_TIMELINE_LIMIT = 100;
    static final int MAX_TIMELINE_LIMIT = 500;
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 100;

    private StaffQuery() {}

    record Timeline(
            String studyId, String subjectId, Optional<String> questionnaireId, int limit, Optional<String> before) {}

    record Subjects(String studyId, Optional<String> siteId, int limit, Optional<String> after) {}

    static String studyId(ApiRequest request) {
        return request.pathParameter("studyId")
                .filter(id -> ID.matcher(id).matches())
                .orElseThrow(() -> StudyAccess.notFound("No such study."));
    }

    static String reportId(ApiRequest request) {
        return request.pathParameter("reportId")
                .filter(id -> UUID.matcher(id).matches())
                .orElseThrow(() -> StudyAccess.notFound("No such report."));
    }

    static Timeline timeline(ApiRequest request) {
        String studyId = studyId(request);
        String subjectId = request.pathParameter("subjectId")
                .filter(id -> ID.matcher(id).matches())
                .orElseThrow(() -> StudyAccess.notFound("No such subject."));
        Errors errors = new Errors();
        Optional<String> questionnaire = request.queryParameter("questionnaire")
                .filter(q -> errors.check(
                        QUESTIONNAIRE.matcher(q).matches(),
                        "questionnaire",
                        "must be a questionnaire id such as phq-9"));
        int limit = errors.limit(request, DEFAULT_TIMELINE_LIMIT, MAX_TIMELINE_LIMIT);
        Optional<String> before = errors.cursor(request, PageCursor.TIME_KEY);
        errors.throwIfAny();
        return new Timeline(studyId, subjectId, questionnaire, limit, before);
    }

    static Subjects subjects(ApiRequest request) {
        String studyId = studyId(request);
        Errors errors = new Errors();
        Optional<String> site = request.queryParameter("siteId")
                .filter(s -> errors.check(ID.matcher(s).matches(), "siteId", "must be a site id"));
        int limit = errors.limit(request, DEFAULT_LIMIT, MAX_LIMIT);
        Optional<String> after = errors.cursor(request, PageCursor.SUBJECT_KEY);
        errors.throwIfAny();
        return new Subjects(studyId, site, limit, after);
    }

    static AuditTrail.Query audit(ApiRequest request) {
        Errors errors = new Errors();
        Optional<Instant> from = request.queryParameter("from").flatMap(v -> errors.instant("from", v, false));
        Optional<Instant> to = request.queryParameter("to").flatMap(v -> errors.instant("to", v, true));
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            errors.add("to", "must be after from");
        }
        Optional<AuditEntity> type = Optional.empty();
        Optional<String> entityId = Optional.empty();
        Optional<String> entity = request.queryParameter("entity");
        if (entity.isPresent()) {
            String[] parts = entity.get().split(":", 2);
            type = AuditEntity.named(parts[0]);
            if (parts.length == 2 && type.isPresent() && ID.matcher(parts[1]).matches()) {
                entityId = Optional.of(parts[1]);
            } else {
                type = Optional.empty();
                errors.add("entity", "must be type:id with type report, export, alert or subject");
            }
        }
        int limit = errors.limit(request, DEFAULT_LIMIT, MAX_LIMIT);
        Optional<String> after = errors.cursor(request, PageCursor.TIME_KEY);
        errors.throwIfAny();
        return new AuditTrail.Query(from, to, type, entityId, limit, after);
    }

    /** The address the request reached, as the console should call it back (the API's own origin). */
    static String origin(ApiRequest request) {
        String host = request.header("host").orElse("");
        if (host.isBlank()) {
            return "";
        }
        return request.header("x-forwarded-proto").orElse("https") + "://" + host;
    }

    /** Collects every bad query parameter, then answers them all in one problem. */
    private static final class Errors {
        private final List<Problem.FieldError> errors = new ArrayList<>();

        boolean check(boolean ok, String parameter, String detail) {
            if (!ok) {
                add(parameter, detail);
            }
            return ok;
        }

        void add(String parameter, String detail) {
            errors.add(Problem.FieldError.at("?" + parameter, "invalid", parameter + " " + detail + "."));
        }

        int limit(ApiRequest request, int fallback, int max) {
            Optional<String> raw = request.queryParameter("limit");
            if (raw.isEmpty()) {
                return fallback;
            }
            try {
                int limit = Integer.parseInt(raw.get());
                if (limit >= 1 && limit <= max) {
                    return limit;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            add("limit", "must be an integer from 1 to " + max);
            return fallback;
        }

        Optional<String> cursor(ApiRequest request, Pattern shape) {
            try {
                return request.queryParameter("next").map(t -> PageCursor.decode(t, shape));
            } catch (ApiException e) {
                add("next", "is not a token this API issued");
                return Optional.empty();
            }
        }

        /** A date (a whole UTC day: {@code to} includes it) or an ISO-8601 instant. */
        Optional<Instant> instant(String parameter, String value, boolean endOfDay) {
            try {
                if (value.length() == 10) {
                    LocalDate day = LocalDate.parse(value);
                    return Optional.of((endOfDay ? day.plusDays(1) : day)
                            .atStartOfDay(ZoneOffset.UTC)
                            .toInstant());
                }
                return Optional.of(Instant.parse(value));
            } catch (DateTimeParseException e) {
                add(parameter, "must be a date (YYYY-MM-DD) or an instant (2026-11-27T09:30:00Z)");
                return Optional.empty();
            }
        }

        void throwIfAny() {
            if (!errors.isEmpty()) {
                throw new ApiException(Problem.of(
                        ProblemType.INVALID_PARAMETERS, "One or more query parameters are invalid.", errors));
            }
        }
    }
}
