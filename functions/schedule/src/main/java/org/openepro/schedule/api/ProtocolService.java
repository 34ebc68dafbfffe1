package org.openepro.schedule.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import org.openepro.core.audit.Actor;
import org.openepro.core.audit.ActorRole;
import org.openepro.core.audit.AuditAction;
import org.openepro.core.audit.AuditEvent;
import org.openepro.core.http.ApiException;
import org.openepro.core.http.Caller;
import org.openepro.core.http.ProblemType;
import org.openepro.core.json.Json;
import org.openepro.schedule.protocol.Protocol;
import org.openepro.schedule.protocol.ProtocolParser;
import org.openepro.schedule.protocol.ProtocolValidator;
import org.openepro.schedule.scheduler.SubjectRefresher;
import org.openepro.schedule.store.ScheduleStore;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Stores a new immutable protocol version for a study designer: validated with every field error
 * at once, numbered, audited, and handed to the study's replan job (which brings every enrolled
 * subject onto it). Sending the latest version's document again stores nothing new.
 */
public final class ProtocolService {
    public static final String ROLE_DESIGNER = "study-designer";

    /** The version now in force and whether this request created it. */
    public record Outcome(int version, boolean created, Map<String, AttributeValue> item) {}

    private final ScheduleStore store;
    private final ProtocolValidator validator;
    private final SubjectRefresher refresher;
    private final Clock clock;

    public ProtocolService(ScheduleStore store, ProtocolValidator validator, SubjectRefresher refresher, Clock clock) {
        this.store = store;
        this.validator = validator;
        this.refresher = refresher;
        this.clock = clock;
    }

    public Outcome put(Caller caller, String studyId, JsonNode document) {
        caller.requireScope(Caller.SCOPE_ADMIN);
        if (!caller.hasRole(ROLE_DESIGNER) || !caller.assignedTo(studyId)) {
            throw Requests.forbidden("Only a study designer assigned to this study may change its protocol.");
        }
        Optional<Protocol> latest = store.history(studyId).latest();
        ProtocolParser.Result result = validator.validate(studyId, document, latest);
        if (!result.valid()) {
            throw Requests.unprocessable("protocol", result.errors());
        }
        if (latest.isPresent()) {
            Map<String, AttributeValue> item =
                    store.versionItem(studyId, latest.get().version()).orElseThrow();
            if (sameDocument(item, document)) {
                return new Outcome(latest.get().version(), false, item);
            }
        }
        int version = latest.map(p -> p.version() + 1).orElse(1);
        Instant now = clock.instant();
        AuditEvent event = AuditEvent.of(
                        AuditAction.PROTOCOL_VERSION_CREATED,
                        new Actor(caller.tokenSubject(), EnumSet.of(ActorRole.STUDY_DESIGNER)),
                        now)
                .study(studyId)
                .entity(studyId + "/v" + version)
                .detail("version", Integer.toString(version))
                .detail("effectiveFrom", result.protocol().effectiveFrom().toString())
                .detail("entries", Integer.toString(result.protocol().entries().size()))
                .build();
        if (!store.putVersion(result.protocol(), document, version, event, now)) {
            throw ApiException.of(
                    ProblemType.CONFLICT,
                    "Another version of this protocol was stored at the same time; read it and send yours again.");
        }
        refresher.forget(studyId);
        return new Outcome(version, true, store.versionItem(studyId, version).orElseThrow());
    }

    private static boolean sameDocument(Map<String, AttributeValue> item, JsonNode document) {
        try {
            return Json.mapper().readTree(item.get(ScheduleStore.DOCUMENT).s()).equals(document);
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
