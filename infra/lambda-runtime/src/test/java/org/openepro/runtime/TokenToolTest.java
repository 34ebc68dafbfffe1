package org.openepro.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenToolTest {
    private static final LocalSigningKey KEY = LocalSigningKey.generate();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-02T10:00:00Z"), ZoneOffset.UTC);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void printsAPatientTokenWithTheReportScopeAndTheParticipantsIds() {
        // GIVEN what `make token ROLE=patient ...` passes (every variable, some empty)
        int status = run("role=patient study=S1 site=SITE-01 subject=SUBJ-9 studies= roles=");

        // THEN exactly one token on stdout, which the authorizer accepts with these claims
        assertThat(status).isZero();
        JwtAuthorizer.Allowed allowed = authorize(List.of("epro/report.write"));
        assertThat(allowed.claims())
                .containsEntry("study_id", "S1")
                .containsEntry("site_id", "SITE-01")
                .containsEntry("subject_id", "SUBJ-9")
                .containsEntry(
                        "exp",
                        Long.toString(CLOCK.instant().plus(LocalTokens.LIFETIME).getEpochSecond()));
        assertThat(allowed.claims().get("sub")).matches("[0-9a-f-]{36}");
        assertThat(allowed.scopes()).containsExactly("epro/report.write");
    }

    @Test
    void printsAStaffTokenForTheStudiesAndRoles() {
        int status = run("role=staff study= site= subject= studies=S1,S2 roles=export-identified");

        assertThat(status).isZero();
        JwtAuthorizer.Allowed allowed = authorize(List.of("epro/export"));
        assertThat(allowed.claims()).containsEntry("studies", "[S1 S2]").containsEntry("roles", "[export-identified]");
        assertThat(allowed.scopes()).containsExactly("epro/export", "epro/alerts");
    }

    @Test
    void explainsWhatIsMissingAndPrintsNoToken() {
        assertThat(run("role=patient study=S1 site= subject=")).isEqualTo(2);
        assertThat(run("role=staff studies=")).isEqualTo(2);
        assertThat(run("role= ")).isEqualTo(2);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("needs STUDY, SITE and SUBJECT")
                .contains("needs STUDIES")
                .contains("ROLE must be patient or staff");
    }

    private int run(String args) {
        return TokenTool.run(
                new String[] {args},
                new LocalTokens(KEY, CLOCK),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private JwtAuthorizer.Allowed authorize(List<String> scopes) {
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed.lines()).hasSize(1);
        return (JwtAuthorizer.Allowed) JwtAuthorizer.local(KEY, CLOCK).authorize(printed.strip(), scopes);
    }
}
