package org.openepro.core.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openepro.core.id.Ids;
import org.openepro.core.id.Participant;
import org.openepro.core.id.SiteId;
import org.openepro.core.id.StudyId;
import org.openepro.core.id.SubjectId;

/**
 * Who is calling, from the JWT claims the API Gateway authorizer verified. Study, site and
 * subject come only from here, never from a request body.
 *
 * <p>Claims: {@code sub} (the token's subject), {@code study_id}, {@code site_id},
 * {@code subject_id} for patients; {@code studies}, {@code roles} and {@code sites} (the sites a site
 * coordinator works at) for staff.
 */
public record Caller(String tokenSubject, Set<String> scopes, Map<String, String> claims) {
    public static final String SCOPE_REPORT_WRITE = "epro/report.write";
    public static final String SCOPE_EXPORT = "epro/export";
    public static final String SCOPE_ALERTS = "epro/alerts";
    public static final String SCOPE_ADMIN = "epro/admin";

    public Caller {
        scopes = Set.copyOf(scopes);
        claims = Map.copyOf(claims);
    }

    public static Caller fromClaims(Map<String, String> claims, List<String> scopes) {
        Map<String, String> safe = claims == null ? Map.of() : claims;
        Set<String> all = new LinkedHashSet<>();
        if (scopes != null) {
            all.addAll(scopes);
        }
        String scopeClaim = safe.getOrDefault("scope", safe.get("scp"));
        if (scopeClaim != null) {
            all.addAll(listClaim(scopeClaim));
        }
        String sub = safe.get("sub");
        return new Caller(sub == null ? "" : sub, all, safe);
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    /** Fails with 403 unless the token carries the scope (the authorizer checks it too: defence in depth). */
    public void requireScope(String scope) {
        if (!hasScope(scope)) {
            throw ApiException.of(ProblemType.FORBIDDEN, "This operation needs the scope " + scope + ".");
        }
    }

    /** The participant this token speaks for; 403 when the token is not a patient's. */
    public Participant patient() {
        String study = claims.get("study_id");
        String site = claims.get("site_id");
        String subject = claims.get("subject_id");
        if (!Ids.isCode(study) || !Ids.isCode(site) || !Ids.isCode(subject)) {
            throw ApiException.of(
                    ProblemType.FORBIDDEN,
                    "The token does not identify a study participant (study_id, site_id and subject_id claims).");
        }
        return Participant.of(StudyId.of(study), SiteId.of(site), SubjectId.of(subject));
    }

    /** Studies a staff member is assigned to. */
    public Set<String> studies() {
        String raw = claims.get("studies");
        return raw == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(listClaim(raw)));
    }

    public Set<String> roles() {
        String raw = claims.get("roles");
        return raw == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(listClaim(raw)));
    }

    public boolean hasRole(String role) {
        return roles().contains(role);
    }

    /** Sites a staff member works at (claim {@code sites}); a site coordinator acts only there. */
    public Set<String> sites() {
        String raw = claims.get("sites");
        return raw == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(listClaim(raw)));
    }

    public boolean assignedTo(String studyId) {
        return studyId != null && studies().contains(studyId);
    }

    /**
     * API Gateway passes array claims as strings: {@code [a b]}, {@code [a, b]} or a JSON array;
     * tokens from other issuers use space- or comma-separated strings. All read the same.
     */
    static List<String> listClaim(String raw) {
        String s = raw.trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        List<String> out = new ArrayList<>();
        for (String part : s.split("[,\\s]+")) {
            String p = part.trim();
            if (p.length() >= 2 && p.startsWith("\"") && p.endsWith("\"")) {
                p = p.substring(1, p.length() - 1);
            }
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }
}
