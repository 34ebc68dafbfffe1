package org.openepro.core.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import org.openepro.core.report.Times;

/**
 * Who did what, when and why. Ids only: the actor is the token subject, the entity a report,
 * export or alert id; {@code details} holds ids and codes, never answers or contact data.
 * Made only through {@link #of}; {@link #canonicalJson()} is its one canonical form.
 */
public record AuditEvent(
        String eventId,
        AuditAction action,
        Actor actor,
        Instant at,
        String studyId,
        String entityId,
        String reason,
        Map<String, String> details) {
    private static final JsonFactory JSON = new JsonFactory();

    public AuditEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(studyId, "studyId");
        Objects.requireNonNull(entityId, "entityId");
        details = Map.copyOf(details);
    }

    /** The one way to make an event: what happened, who did it and when; then about what. */
    public static Builder of(AuditAction action, Actor actor, Instant at) {
        return new Builder(action, actor, at);
    }

    public EntityType entityType() {
        return action.entityType();
    }

    /** The key of the audit table's {@code by-entity} index for an entity: every event about it. */
    public static String entityKey(EntityType type, String entityId) {
        return type.code() + "#" + entityId;
    }

    /**
     * The event as one canonical JSON text: fixed member order, details sorted by key, the time in
     * UTC to the millisecond, absent values left out, no whitespace. Equal events give equal bytes;
     * this is what the audit table stores beside the attributes and what a hash chain would hash.
     */
    public String canonicalJson() {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("eventId", eventId);
            g.writeStringField("action", action.name());
            g.writeStringField("entityType", entityType().code());
            g.writeStringField("entityId", entityId);
            g.writeStringField("studyId", studyId);
            g.writeObjectFieldStart("actor");
            g.writeStringField("subject", actor.subject());
            g.writeArrayFieldStart("roles");
            for (ActorRole r : actor.roles()) {
                g.writeString(r.code());
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeStringField("at", Times.sortable(at));
            if (reason != null) {
                g.writeStringField("reason", reason);
            }
            if (!details.isEmpty()) {
                g.writeObjectFieldStart("details");
                for (Map.Entry<String, String> d : new TreeMap<>(details).entrySet()) {
                    g.writeStringField(d.getKey(), d.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        return out.toString();
    }

    /** The rest of an event: about which entity of which study, why, with which ids and codes. */
    public static final class Builder {
        private final AuditAction action;
        private final Actor actor;
        private final Instant at;
        private String eventId = UUID.randomUUID().toString();
        private String studyId;
        private String entityId;
        private String reason;
        private final Map<String, String> details = new TreeMap<>();

        private Builder(AuditAction action, Actor actor, Instant at) {
            this.action = action;
            this.actor = actor;
            this.at = at;
        }

        /** An id chosen by the caller (e.g. one a download link carries); a random UUID otherwise. */
        public Builder eventId(String id) {
            this.eventId = id;
            return this;
        }

        public Builder study(String id) {
            this.studyId = id;
            return this;
        }

        /** The id of the entity of the action's type (a report, export or alert id). */
        public Builder entity(String id) {
            this.entityId = id;
            return this;
        }

        public Builder reason(String text) {
            this.reason = text;
            return this;
        }

        /** One detail, an id or a code; a null value is left out. */
        public Builder detail(String key, String value) {
            if (value != null) {
                details.put(key, value);
            }
            return this;
        }

        public AuditEvent build() {
            return new AuditEvent(eventId, action, actor, at, studyId, entityId, reason, details);
        }
    }
}
