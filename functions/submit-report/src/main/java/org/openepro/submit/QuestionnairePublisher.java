package org.openepro.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.openepro.core.audit.Actor;
import org.openepro.core.audit.AuditAction;
import org.openepro.core.audit.AuditEvent;
import org.openepro.core.http.ApiException;
import org.openepro.core.http.Caller;
import org.openepro.core.http.Problem;
import org.openepro.core.http.Problem.FieldError;
import org.openepro.core.http.ProblemType;
import org.openepro.core.json.Json;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.QuestionnaireReader;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.questionnaire.study.BuiltInSelection;
import org.openepro.core.questionnaire.study.StudyQuestionnaireStore;
import org.openepro.core.questionnaire.study.StudyQuestionnaireStore.Stored;

/**
 * A study designer publishes the study's questionnaires: each is checked against OpenEPRO's subset
 * and extensions (every refusal listed at once), stored immutably by {@code url|version} (the same
 * content again is answered as already published; other content is a 409), and audited. A PUT of
 * the same content with {@code status: retired} retires that version: new responses to it stop,
 * its reports stay. A study also says which built-in instruments it uses.
 */
public final class QuestionnairePublisher {
    /** The built-in instruments' namespace: a study publishes under its own URLs. */
    public static final String BUILT_IN_BASE = "https://openepro.dev/fhir/Questionnaire/";

    public static final String ROLE_STUDY_DESIGNER = "study-designer";
    private static final Pattern STUDY_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final QuestionnaireRegistry builtIns;
    private final StudyQuestionnaireStore store;
    private final Clock clock;

    public QuestionnairePublisher(QuestionnaireRegistry builtIns, StudyQuestionnaireStore store, Clock clock) {
        this.builtIns = builtIns;
        this.store = store;
        this.clock = clock;
    }

    /** What a publication answers: 201 for a new one, 200 when it was already so; where to read it. */
    public record Outcome(int status, String canonical, String body, String location) {}

    /** The study designers of a study only; anyone else gets 403 (the authorizer checks the scope too). */
    public static void requireDesigner(Caller caller, String studyId) {
        caller.requireScope(Caller.SCOPE_ADMIN);
        if (studyId == null || !STUDY_ID.matcher(studyId).matches()) {
            throw ApiException.of(ProblemType.NOT_FOUND, "No such study.");
        }
        if (!caller.hasRole(ROLE_STUDY_DESIGNER) || !caller.assignedTo(studyId)) {
            throw ApiException.of(
                    ProblemType.FORBIDDEN,
                    "Publishing a study's questionnaires needs the role " + ROLE_STUDY_DESIGNER + " for that study.");
        }
    }

    public Outcome publish(Caller caller, String studyId, byte[] body) {
        requireDesigner(caller, studyId);
        QuestionnaireReader.Result read = QuestionnaireReader.read(body);
        if (!read.ok()) {
            throw refused(
                    read.issues().size()
                            + (read.issues().size() == 1 ? " element or rule is" : " elements or rules are")
                            + " outside OpenEPRO's questionnaire subset; nothing was published.",
                    read.issues());
        }
        QuestionnaireDefinition d = read.definition();
        if (d.url().startsWith(BUILT_IN_BASE)
                || builtIns.byCanonical(d.canonical()).isPresent()) {
            throw refused(
                    "The url is in the built-in instruments' namespace; nothing was published.",
                    List.of(
                            FieldError.at(
                                    "/url",
                                    "reserved",
                                    "Publish under the study's own canonical URL; to use a "
                                            + "built-in instrument, name it in PUT /v1/studies/{studyId}/built-in-questionnaires.")));
        }
        String hash = contentHash(body);
        for (int attempt = 0; attempt < 2; attempt++) {
            var existing = store.find(d.canonical());
            if (existing.isEmpty()) {
                if (d.retired()) {
                    throw refused(
                            "A questionnaire is published active; nothing was published.",
                            List.of(FieldError.at(
                                    "/status", "not-published", "Only a published version can be retired.")));
                }
                Instant now = clock.instant();
                Stored stored = new Stored(studyId, d.canonical(), body, hash, d.status(), now, caller.tokenSubject());
                if (store.create(stored, event(caller, studyId, d, AuditAction.QUESTIONNAIRE_PUBLISHED, now, hash))) {
                    return new Outcome(201, d.canonical(), receipt(stored, false), location(d));
                }
                continue; // published meanwhile: answer as for a repeat
            }
            Stored s = existing.get();
            if (!s.studyId().equals(studyId)) {
                throw conflict("This url|version is already published by another study; a canonical names one "
                        + "questionnaire. Publish under a URL of this study.");
            }
            if (!s.contentHash().equals(hash)) {
                throw conflict("This url|version is already published with other content; a published version never "
                        + "changes. Publish the change as a new version.");
            }
            if (s.status().equals(d.status())) {
                return new Outcome(200, d.canonical(), receipt(s, true), location(d));
            }
            if (s.status().equals("retired")) {
                throw conflict("This version is retired and stays retired; publish a new version.");
            }
            Instant now = clock.instant();
            if (store.retire(
                    studyId,
                    d.canonical(),
                    body,
                    now,
                    event(caller, studyId, d, AuditAction.QUESTIONNAIRE_RETIRED, now, hash))) {
                return new Outcome(
                        200,
                        d.canonical(),
                        receipt(
                                new Stored(
                                        studyId,
                                        d.canonical(),
                                        body,
                                        hash,
                                        "retired",
                                        s.publishedAt(),
                                        s.publishedBy()),
                                false),
                        location(d));
            }
        }
        throw ApiException.of(ProblemType.CONFLICT, "The questionnaire changed while it was being published; retry.");
    }

    /**
     * Which built-in instruments the study uses: {@code {"use": "all"}} or {@code {"use": [canonical...]}}
     * (each a packaged url|version). A study that never says uses them all.
     */
    public Outcome selectBuiltIns(Caller caller, String studyId, byte[] body) {
        requireDesigner(caller, studyId);
        JsonNode json;
        try {
            json = Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new ApiException(Problem.of(ProblemType.MALFORMED_REQUEST, "The body is not well-formed JSON."));
        }
        JsonNode use = json == null ? null : json.get("use");
        BuiltInSelection selection;
        List<FieldError> errors = new ArrayList<>();
        if (use != null && use.isTextual() && use.asText().equals("all")) {
            selection = BuiltInSelection.ALL;
        } else if (use != null && use.isArray()) {
            List<String> canonicals = new ArrayList<>();
            for (int i = 0; i < use.size(); i++) {
                String c = use.get(i).asText("");
                if (!use.get(i).isTextual() || builtIns.byCanonical(c).isEmpty()) {
                    errors.add(FieldError.at(
                            "/use/" + i,
                            "unknown-questionnaire",
                            "Not a built-in instrument's url|version; see GET /v1/questionnaires."));
                } else {
                    canonicals.add(c);
                }
            }
            selection = BuiltInSelection.only(canonicals);
        } else {
            selection = null;
            errors.add(FieldError.at("/use", "required", "use is \"all\" or an array of built-in url|version."));
        }
        if (!errors.isEmpty()) {
            throw refused(
                    errors.size() + (errors.size() == 1 ? " problem" : " problems") + "; nothing was changed.", errors);
        }
        Instant now = clock.instant();
        String summary = selection.all()
                ? "all"
                : String.join(" ", selection.canonicals().stream().sorted().toList());
        AuditEvent event = AuditEvent.of(AuditAction.QUESTIONNAIRES_SELECTED, Actor.staff(caller), now)
                .study(studyId)
                .entity(studyId)
                .detail("builtIns", summary)
                .build();
        store.select(studyId, selection, caller.tokenSubject(), now, event);
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("studyId", studyId);
        if (selection.all()) {
            out.put("use", "all");
        } else {
            var array = out.putArray("use");
            selection.canonicals().stream().sorted().forEach(array::add);
        }
        return new Outcome(200, null, out.toString(), null);
    }

    /**
     * The hash that decides "the same content": the resource with sorted keys and without
     * {@code status} (the lifecycle a re-PUT may change) and {@code meta} (a server's bookkeeping).
     */
    static String contentHash(byte[] body) {
        try {
            JsonNode tree = Json.mapper().readTree(body);
            StringBuilder canonical = new StringBuilder(body.length);
            write(tree, canonical, true);
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("a questionnaire that was read cannot fail to hash", e);
        }
    }

    private static void write(JsonNode node, StringBuilder out, boolean root) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (!(root && (f.getKey().equals("status") || f.getKey().equals("meta")))) {
                    sorted.put(f.getKey(), f.getValue());
                }
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> f : sorted.entrySet()) {
                out.append(first ? "" : ",").append(quote(f.getKey())).append(':');
                write(f.getValue(), out, false);
                first = false;
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                out.append(i == 0 ? "" : ",");
                write(node.get(i), out, false);
            }
            out.append(']');
        } else {
            out.append(node.toString());
        }
    }

    private static String quote(String s) {
        return Json.mapper().getNodeFactory().textNode(s).toString();
    }

    private static String location(QuestionnaireDefinition d) {
        return "/v1/questionnaires/" + d.id() + "?version=" + URLEncoder.encode(d.version(), StandardCharsets.UTF_8);
    }

    private static AuditEvent event(
            Caller caller, String studyId, QuestionnaireDefinition d, AuditAction action, Instant at, String hash) {
        return AuditEvent.of(action, Actor.staff(caller), at)
                .study(studyId)
                .entity(d.canonical())
                .detail("contentHash", hash)
                .build();
    }

    private static String receipt(Stored s, boolean alreadyPublished) {
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("questionnaire", s.canonical());
        out.put("studyId", s.studyId());
        out.put("status", s.status());
        out.put("contentHash", s.contentHash());
        out.put("publishedAt", s.publishedAt().toString());
        if (alreadyPublished) {
            out.put("alreadyPublished", true);
        }
        return out.toString();
    }

    private static ApiException refused(String detail, List<FieldError> errors) {
        return new ApiException(Problem.of(ProblemType.VALIDATION_FAILED, detail, errors));
    }

    private static ApiException conflict(String detail) {
        return ApiException.of(ProblemType.CONFLICT, detail);
    }
}
