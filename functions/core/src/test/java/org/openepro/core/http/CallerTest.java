package org.openepro.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openepro.core.id.Participant;
import org.openepro.core.id.SiteId;
import org.openepro.core.id.StudyId;
import org.openepro.core.id.SubjectId;

class CallerTest {

    @Test
    void readsArrayClaimsInEveryShapeApiGatewayAndIssuersUse() {
        assertThat(Caller.listClaim("[S1 S2]")).containsExactly("S1", "S2");
        assertThat(Caller.listClaim("[S1, S2]")).containsExactly("S1", "S2");
        assertThat(Caller.listClaim("[\"S1\",\"S2\"]")).containsExactly("S1", "S2");
        assertThat(Caller.listClaim("S1 S2")).containsExactly("S1", "S2");
        assertThat(Caller.listClaim("S1,S2")).containsExactly("S1", "S2");
        assertThat(Caller.listClaim("[]")).isEmpty();
    }

    @Test
    void takesScopesFromTheAuthorizerAndTheScopeClaim() {
        Caller caller = Caller.fromClaims(Map.of("sub", "u1", "scope", "openid epro/export"), List.of("epro/alerts"));

        assertThat(caller.scopes()).containsExactlyInAnyOrder("openid", "epro/export", "epro/alerts");
        assertThat(caller.hasScope("epro/report.write")).isFalse();
        assertThatThrownBy(() -> caller.requireScope("epro/report.write"))
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> assertThat(e.problem().status()).isEqualTo(403));
    }

    @Test
    void identifiesAPatientOnlyFromAllThreeClaims() {
        Caller patient =
                Caller.fromClaims(Map.of("sub", "u", "study_id", "S", "site_id", "X", "subject_id", "P"), List.of());
        Caller staff = Caller.fromClaims(Map.of("sub", "u", "studies", "[S T]", "roles", "monitor"), List.of());

        assertThat(patient.patient()).isEqualTo(Participant.of(StudyId.of("S"), SiteId.of("X"), SubjectId.of("P")));
        assertThatThrownBy(staff::patient).isInstanceOf(ApiException.class);
        assertThat(staff.assignedTo("T")).isTrue();
        assertThat(staff.assignedTo("U")).isFalse();
        assertThat(staff.roles()).containsExactly("monitor");
    }
}
