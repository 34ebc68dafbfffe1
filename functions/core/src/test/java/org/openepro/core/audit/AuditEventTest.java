package org.openepro.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openepro.core.http.Caller;

class AuditEventTest {
    private static final Instant AT = Instant.parse("2026-11-27T09:38:00.123456Z");

    @Test
    void theCanonicalFormIsTheSameForTheSameEventWhateverTheOrderOfItsParts() {
        // GIVEN one acknowledgement described twice, details and roles given in different orders
        Caller nurse = staff("research-nurse export-identified");
        Caller sameNurse = staff("export-identified research-nurse");
        AuditEvent a = AuditEvent.of(AuditAction.ALERT_ACKNOWLEDGED, Actor.staff(nurse), AT)
                .eventId("e-1")
                .study("STUDY-1")
                .entity("a-1")
                .detail("ruleId", "r")
                .detail("reportId", "p")
                .build();
        AuditEvent b = AuditEvent.of(AuditAction.ALERT_ACKNOWLEDGED, Actor.staff(sameNurse), AT)
                .eventId("e-1")
                .study("STUDY-1")
                .entity("a-1")
                .detail("reportId", "p")
                .detail("ruleId", "r")
                .build();

        // WHEN each is rendered
        String canonical = a.canonicalJson();

        // THEN both give the same bytes, in the fixed member order, the time in UTC to the millisecond
        assertThat(b.canonicalJson()).isEqualTo(canonical);
        assertThat(canonical)
                .isEqualTo("{\"eventId\":\"e-1\",\"action\":\"ALERT_ACKNOWLEDGED\",\"entityType\":\"alert\","
                        + "\"entityId\":\"a-1\",\"studyId\":\"STUDY-1\",\"actor\":{\"subject\":\"nurse-sub\","
                        + "\"roles\":[\"research-nurse\",\"export-identified\"]},\"at\":\"2026-11-27T09:38:00.123Z\","
                        + "\"details\":{\"reportId\":\"p\",\"ruleId\":\"r\"}}");
    }

    @Test
    void actorsAreRecordedByTheirKnownRolesAndStaffWithoutOneAsStaff() {
        assertThat(Actor.staff(staff("research-nurse")).roleCodes()).isEqualTo("research-nurse");
        assertThat(Actor.staff(staff("[export-identified, research-nurse]")).roleCodes())
                .isEqualTo("research-nurse export-identified");
        assertThat(Actor.staff(staff("made-up-role")).roleCodes()).isEqualTo("staff");
        assertThat(Actor.patient(Caller.fromClaims(Map.of("sub", "p-sub"), List.of()))
                        .roleCodes())
                .isEqualTo("patient");
    }

    @Test
    void theActionSaysWhatKindOfEntityTheEventIsAbout() {
        AuditEvent created = AuditEvent.of(AuditAction.REPORT_CREATED, Actor.patient(staff("")), AT)
                .study("S")
                .entity("r-1")
                .reason(null)
                .build();
        assertThat(created.entityType()).isEqualTo(EntityType.REPORT);
        assertThat(AuditEvent.entityKey(EntityType.ALERT, "a-1")).isEqualTo("alert#a-1");
        assertThat(created.canonicalJson()).doesNotContain("reason").doesNotContain("details");
    }

    @Test
    void anEventWithoutItsStudyOrEntityCannotBeMade() {
        assertThatNullPointerException()
                .isThrownBy(() -> AuditEvent.of(AuditAction.EXPORT_REQUESTED, Actor.staff(staff("")), AT)
                        .entity("x")
                        .build());
    }

    private static Caller staff(String roles) {
        return Caller.fromClaims(Map.of("sub", "nurse-sub", "roles", roles), List.of("epro/alerts"));
    }
}
