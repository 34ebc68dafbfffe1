package org.openepro.core.audit;

import java.util.Locale;
import java.util.Optional;

/**
 * The entity types the audit API accepts in {@code entity=type:id}, keyed as the writers store them
 * ({@code entityPk = code#id}, {@link AuditEvent#entityKey}).
 */
public enum AuditEntity {
    REPORT(EntityType.REPORT),
    EXPORT(EntityType.EXPORT),
    ALERT(EntityType.ALERT),
    SUBJECT(EntityType.SUBJECT);

    private final EntityType type;

    AuditEntity(EntityType type) {
        this.type = type;
    }

    public String entityPk(String entityId) {
        return AuditEvent.entityKey(type, entityId);
    }

    public static Optional<AuditEntity> named(String name) {
        for (AuditEntity e : values()) {
            if (e.type.code().equals(name.toLowerCase(Locale.ROOT))) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
