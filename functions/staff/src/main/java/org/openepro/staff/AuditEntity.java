package org.openepro.staff;

import java.util.Locale;
import java.util.Optional;
import org.openepro.core.audit.AuditEvent;
import org.openepro.core.audit.EntityType;

/**
 * The entity types the audit API accepts in {@code entity=type:id}, keyed as the writers store them
 * ({@code entityPk = code#id}, {@link AuditEvent#entityKey}).
 */
enum AuditEntity {
    REPORT(EntityType.REPORT),
    EXPORT(EntityType.EXPORT),
    ALERT(EntityType.ALERT),
    SUBJECT(EntityType.SUBJECT);

    private final EntityType type;

    AuditEntity(EntityType type) {
        this.type = type;
    }

    String entityPk(String entityId) {
        return AuditEvent.entityKey(type, entityId);
    }

    static Optional<AuditEntity> named(String name) {
        for (AuditEntity e : values()) {
            if (e.type.code().equals(name.toLowerCase(Locale.ROOT))) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
