package org.openepro.schedule.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.openepro.core.audit.Actor;
import org.openepro.core.audit.ActorRole;
import org.openepro.core.audit.AuditAction;
import org.openepro.core.audit.AuditEvent;
import org.openepro.core.http.ApiException;
import org.openepro.core.http.Caller;
import org.openepro.core.http.Problem.FieldError;
import org.openepro.core.http.ProblemType;
import org.openepro.core.schedule.Enrollment;
import org.openepro.core.schedule.EnrollmentItems;
import org.openepro.core.schedule.EnrollmentStatus;
import org.openepro.core.schedule.ScheduledSubject;
import org.openepro.schedule.protocol.Protocol;
import org.openepro.schedule.protocol.Site;
import org.openepro.schedule.scheduler.SubjectRefresher;
import org.openepro.schedule.store.ScheduleStore;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Enrolls a subject or changes their enrollment (zone, status) for a site coordinator of their
 * site or a study designer, audited, and brings their occurrences up to date at once: materialised
 * ahead on enrollment, moved from the next one on a zone change, cancelled on a pause or withdrawal.
 * A repeat of the same request changes nothing and heals what a failed earlier attempt left undone.
 */
public final class EnrollmentService {
    public static final String ROLE_COORDINATOR = "site-coordinator";
    private static final Pattern REASON = Pattern.compile("[a-z0-9-]{1,40}");

    /** The enrollment after the request, whether it was created, and what changed in its occurrences. */
    public record Outcome(Enrollment enrollment, boolean created, ScheduleStore.Applied occurrences) {}

    private final ScheduleStore store;
    private final SubjectRefresher refresher;
    private final Clock clock;

    public EnrollmentService(ScheduleStore store, SubjectRefresher refresher, Clock clock) {
        this.store = store;
        this.refresher = refresher;
        this.clock = clock;
    }

    public Outcome put(Caller caller, String studyId, String subjectId, JsonNode body) {
        caller.requireScope(Caller.SCOPE_ADMIN);
        boolean designer = caller.hasRole(ProtocolService.ROLE_DESIGNER);
        if (!caller.assignedTo(studyId) || !(designer || caller.hasRole(ROLE_COORDINATOR))) {
            throw Requests.forbidden("Only a site coordinator or a study designer of this study may enroll subjects.");
        }
        Protocol protocol = refresher
                .history(studyId)
                .latest()
                .orElseThrow(() -> ApiException.of(
                        ProblemType.CONFLICT,
                        "The study has no protocol yet: store one with PUT /v1/studies/" + studyId
                                + "/protocol first."));
        List<FieldError> errors = new ArrayList<>();
        String siteId = text(body, "siteId", errors);
        LocalDate enrolledOn = date(body, errors);
        EnrollmentStatus status = status(body, errors);
        String reason = reason(body, status, errors);
        Optional<Site> site = siteId == null ? Optional.empty() : protocol.site(siteId);
        if (siteId != null && site.isEmpty()) {
            errors.add(FieldError.at("/siteId", "unknown-site", "The study's protocol has no site " + siteId + "."));
        }
        Optional<Map<String, AttributeValue>> existingItem = store.enrollmentItem(studyId, subjectId);
        Optional<Enrollment> existing = existingItem.map(EnrollmentItems::fromItem);
        // without a zone: the subject's current one (a traveller stays where they are), else the site's
        ZoneId zone = zone(body, existing.map(Enrollment::zone).or(() -> site.map(Site::zone)), errors);
        if (existing.isPresent()
                && siteId != null
                && !existing.get().subject().siteId().equals(siteId)) {
            errors.add(FieldError.at(
                    "/siteId",
                    "immutable",
                    "A subject's site cannot change; the subject is at "
                            + existing.get().subject().siteId() + "."));
        }
        if (existing.isPresent()
                && enrolledOn != null
                && !existing.get().enrolledOn().equals(enrolledOn)) {
            errors.add(FieldError.at("/enrolledOn", "immutable", "The enrollment date cannot change."));
        }
        if (!designer && siteId != null && !caller.sites().contains(siteId)) {
            throw Requests.forbidden("A site coordinator may enroll subjects only at their own sites.");
        }
        if (!errors.isEmpty()) {
            throw Requests.unprocessable("enrollment", errors);
        }
        if (existing.isPresent() && existing.get().status() == EnrollmentStatus.WITHDRAWN) {
            throw ApiException.of(ProblemType.CONFLICT, "The subject has withdrawn; a withdrawal is final.");
        }
        Enrollment wanted =
                new Enrollment(new ScheduledSubject(studyId, siteId, subjectId), enrolledOn, zone, status, reason);
        Instant now = clock.instant();
        int latest = protocol.version();
        int planned = existingItem.map(EnrollmentItems::plannedVersion).orElse(0);
        if (existing.isEmpty() || !existing.get().equals(wanted)) {
            Actor actor = new Actor(
                    caller.tokenSubject(),
                    EnumSet.of(designer ? ActorRole.STUDY_DESIGNER : ActorRole.SITE_COORDINATOR));
            AuditEvent event = AuditEvent.of(action(existing, wanted), actor, now)
                    .study(studyId)
                    .entity(subjectId)
                    .reason(reason)
                    .detail("siteId", siteId)
                    .detail("status", status.code())
                    .detail("timeZone", zone.getId())
                    .build();
            Optional<String> previousVersion =
                    existingItem.map(i -> i.get(EnrollmentItems.UPDATED_AT).s());
            if (!store.putEnrollment(
                    wanted,
                    Math.max(planned, latest),
                    previousVersion,
                    caller.tokenSubject(),
                    now,
                    now.plus(SubjectRefresher.TOP_UP_EVERY),
                    event)) {
                throw ApiException.of(
                        ProblemType.CONFLICT,
                        "The enrollment was changed at the same time by someone else; read it and try again.");
            }
        }
        boolean zoneChanged = existing.isPresent() && !existing.get().zone().equals(zone);
        ScheduleStore.Applied applied = refresher.refresh(wanted, existing.isEmpty() ? 0 : planned, zoneChanged, now);
        return new Outcome(wanted, existing.isEmpty(), applied);
    }

    private static AuditAction action(Optional<Enrollment> existing, Enrollment wanted) {
        if (existing.isEmpty()) {
            return AuditAction.SUBJECT_ENROLLED;
        }
        if (existing.get().status() != wanted.status()) {
            return switch (wanted.status()) {
                case WITHDRAWN -> AuditAction.SUBJECT_WITHDRAWN;
                case PAUSED -> AuditAction.SUBJECT_PAUSED;
                case ACTIVE -> AuditAction.SUBJECT_RESUMED;
            };
        }
        return AuditAction.SUBJECT_ZONE_CHANGED;
    }

    private static String text(JsonNode body, String name, List<FieldError> errors) {
        JsonNode n = body.get(name);
        if (n == null || !n.isTextual() || !Requests.ID.matcher(n.asText()).matches()) {
            errors.add(FieldError.at(
                    "/" + name,
                    n == null ? "required" : "invalid",
                    "Expected an id of 1-64 letters, digits, '.', '_' or '-'."));
            return null;
        }
        return n.asText();
    }

    private static LocalDate date(JsonNode body, List<FieldError> errors) {
        JsonNode n = body.get("enrolledOn");
        try {
            if (n != null && n.isTextual()) {
                return LocalDate.parse(n.asText());
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        errors.add(FieldError.at(
                "/enrolledOn",
                n == null ? "required" : "invalid",
                "Expected the enrollment date (day 0 of the schedule), e.g. 2026-03-20."));
        return null;
    }

    private static EnrollmentStatus status(JsonNode body, List<FieldError> errors) {
        JsonNode n = body.get("status");
        if (n == null) {
            return EnrollmentStatus.ACTIVE;
        }
        try {
            return EnrollmentStatus.valueOf(n.asText("").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            errors.add(FieldError.at("/status", "invalid", "One of active, paused, withdrawn."));
            return EnrollmentStatus.ACTIVE;
        }
    }

    /** A coded reason (never free text about the person): required to pause or withdraw. */
    private static String reason(JsonNode body, EnrollmentStatus status, List<FieldError> errors) {
        JsonNode n = body.get("reason");
        if (n == null || n.isNull()) {
            if (status != EnrollmentStatus.ACTIVE) {
                errors.add(FieldError.at(
                        "/reason",
                        "required",
                        "A coded reason (e.g. consent-withdrawn, hospitalised) is required to pause or withdraw."));
            }
            return null;
        }
        if (!n.isTextual() || !REASON.matcher(n.asText()).matches()) {
            errors.add(FieldError.at("/reason", "invalid", "A coded reason: 1-40 lower-case letters, digits or '-'."));
            return null;
        }
        return n.asText();
    }

    private static ZoneId zone(JsonNode body, Optional<ZoneId> fallback, List<FieldError> errors) {
        JsonNode n = body.get("timeZone");
        if (n == null || n.isNull()) {
            return fallback.orElse(ZoneId.of("UTC"));
        }
        if (n.isTextual() && ZoneId.getAvailableZoneIds().contains(n.asText())) {
            return ZoneId.of(n.asText());
        }
        errors.add(
                FieldError.at("/timeZone", "unknown-time-zone", "Expected an IANA time zone, e.g. America/New_York."));
        return ZoneId.of("UTC");
    }
}
