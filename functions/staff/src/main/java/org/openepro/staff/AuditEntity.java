package org.openepro.staff;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The entity types of audit events as the writers store them ({@code entityPk = type#id}), under
 * the lower-case names the audit API accepts in {@code entity=type:id}.
 */
enum AuditEntity {
    REPORT("report"),
    EXPORT("export"),
    ALERT("ALERT"),
    SUBJECT("subject");

    private static final Map<String, AuditEntity> BY_NAME = Map.of("report", REPORT, "export", EXPORT, "alert", ALERT,
            "subject", SUBJECT);

    private final String stored;

    AuditEntity(String stored) {
        this.stored = stored;
    }

    /** The type as audit items store it. */
    String stored() {
        return stored;
    }

    String entityPk(String entityId) {
        return stored + "#" + entityId;
    }

    static Optional<AuditEntity> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name.toLowerCase(Locale.ROOT)));
    }
}
