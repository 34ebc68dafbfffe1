package org.openepro.core.audit;

import java.util.Optional;

/**
 * The roles an audit event records for its actor: a patient, or staff with the roles of their
 * token's {@code roles} claim that OpenEPRO knows (a role it does not know grants nothing, so it
 * is not recorded); staff without any known role are {@link #STAFF}.
 */
public enum ActorRole {
    PATIENT("patient"),
    STAFF("staff"),
    RESEARCH_NURSE("research-nurse"),
    DATA_MANAGER("data-manager"),
    STUDY_DESIGNER("study-designer"),
    SITE_COORDINATOR("site-coordinator"),
    EXPORT_IDENTIFIED("export-identified");

    private final String code;

    ActorRole(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** The staff role a {@code roles} claim value names, if OpenEPRO knows it. */
    public static Optional<ActorRole> ofClaim(String value) {
        for (ActorRole r : values()) {
            if (r != PATIENT && r != STAFF && r.code.equals(value)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
