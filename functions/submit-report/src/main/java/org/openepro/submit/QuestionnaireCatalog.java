package org.openepro.submit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.openepro.core.http.ApiException;
import org.openepro.core.http.Caller;
import org.openepro.core.http.Problem;
import org.openepro.core.http.Problem.FieldError;
import org.openepro.core.http.ProblemType;
import org.openepro.core.json.Json;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.questionnaire.QuestionnaireRenderer;
import org.openepro.core.questionnaire.study.StudyCatalog;

/**
 * Serves the FHIR Questionnaire resources the backend validates against, so the patient app renders
 * exactly those: a patient sees exactly their study's questionnaires (the built-ins it uses and its
 * own), staff those of the studies they are assigned to. Each is rendered in the language asked for
 * ({@code lang}, else Accept-Language, else the questionnaire's base language) and carries an ETag;
 * rendered bodies are kept per study view, so a warm container renders each once per TTL.
 */
public final class QuestionnaireCatalog {
    private static final int MAX_RENDERED = 512;

    private final StudyCatalog studies;
    private final Map<String, Rendered> rendered = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Rendered> eldest) {
            return size() > MAX_RENDERED;
        }
    });

    public QuestionnaireCatalog(StudyCatalog studies) {
        this.studies = studies;
    }

    /** A rendered body with its strong ETag. */
    public record Rendered(String body, String etag) {}

    /**
     * What the caller's request asks for, in preference order: {@code lang} alone when given, else
     * the Accept-Language ranges by quality ({@code *} and empty ranges ignored).
     */
    public static List<String> languages(Optional<String> lang, Optional<String> acceptLanguage) {
        if (lang.isPresent() && !lang.get().isBlank()) {
            return List.of(lang.get().trim());
        }
        if (acceptLanguage.isEmpty()) {
            return List.of();
        }
        record Range(String tag, double q, int order) {}
        List<Range> ranges = new ArrayList<>();
        String[] parts = acceptLanguage.get().split(",");
        for (int i = 0; i < parts.length && i < 20; i++) {
            String[] p = parts[i].trim().split(";");
            String tag = p[0].trim();
            double q = 1.0;
            for (int j = 1; j < p.length; j++) {
                String param = p[j].trim();
                if (param.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(param.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            if (!tag.isEmpty() && !tag.equals("*") && q > 0) {
                ranges.add(new Range(tag, q, i));
            }
        }
        ranges.sort(Comparator.comparingDouble(Range::q).reversed().thenComparingInt(Range::order));
        return ranges.stream().map(Range::tag).toList();
    }

    /** The caller's questionnaires, every version, as a FHIR searchset Bundle. */
    public Rendered bundle(Caller caller, List<String> languages) {
        List<StudyCatalog.StudyView> views = views(caller, false);
        String key = "bundle|" + keyOf(views) + "|" + String.join(",", languages);
        Rendered cached = rendered.get(key);
        if (cached != null) {
            return cached;
        }
        ObjectNode b = Json.mapper().createObjectNode();
        b.put("resourceType", "Bundle");
        b.put("type", "searchset");
        List<QuestionnaireDefinition> all = definitions(views);
        b.put("total", all.size());
        ArrayNode entries = b.putArray("entry");
        for (QuestionnaireDefinition d : all) {
            ObjectNode entry = entries.addObject();
            entry.put("fullUrl", d.url());
            entry.set(
                    "resource",
                    QuestionnaireRenderer.render(d, negotiate(d, languages).orElse(null)));
        }
        Rendered r = rendered(b);
        rendered.put(key, r);
        return r;
    }

    /**
     * One questionnaire by resource id: the newest version (not retired, when there is one), or the
     * one asked for. With an explicit {@code lang} the questionnaire must have that language (422).
     */
    public Optional<Rendered> questionnaire(
            Caller caller, String id, Optional<String> version, List<String> languages, boolean strictLanguage) {
        List<StudyCatalog.StudyView> views = views(caller, false);
        Optional<QuestionnaireDefinition> found = find(views, id, version);
        if (found.isEmpty()) {
            // published since this container last read the study: read it again (at most once a second)
            views = views(caller, true);
            found = find(views, id, version);
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        QuestionnaireDefinition d = found.get();
        Optional<String> language = negotiate(d, languages);
        if (strictLanguage && !languages.isEmpty() && language.isEmpty()) {
            throw new ApiException(Problem.of(
                    ProblemType.VALIDATION_FAILED,
                    "This questionnaire has no text in the " + "language asked for.",
                    List.of(FieldError.at(
                            "query:lang",
                            "unknown-language",
                            "It has "
                                    + String.join(
                                            ", ",
                                            d.languages().stream().sorted().toList()) + "."))));
        }
        String key = "one|" + keyOf(views) + "|" + d.canonical() + "|" + language.orElse("");
        Rendered cached = rendered.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        Rendered r = rendered(QuestionnaireRenderer.render(d, language.orElse(null)));
        rendered.put(key, r);
        return Optional.of(r);
    }

    /** Whether an If-None-Match header names this ETag (or "*"): the app's copy is current. */
    public static boolean matches(Optional<String> ifNoneMatch, String etag) {
        if (ifNoneMatch.isEmpty()) {
            return false;
        }
        for (String candidate : ifNoneMatch.get().split(",")) {
            String c = candidate.trim();
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals("*") || c.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static Optional<String> negotiate(QuestionnaireDefinition d, List<String> languages) {
        for (String tag : languages) {
            Optional<String> match = d.matchLanguage(tag);
            if (match.isPresent()) {
                return match;
            }
        }
        return Optional.empty();
    }

    private Optional<QuestionnaireDefinition> find(
            List<StudyCatalog.StudyView> views, String id, Optional<String> version) {
        return definitions(views).stream()
                .filter(d -> d.id().equals(id)
                        && version.map(v -> v.equals(d.version())).orElse(true))
                .max(Comparator.comparing((QuestionnaireDefinition d) -> !d.retired())
                        .thenComparing(QuestionnaireDefinition::version, QuestionnaireRegistry::compareVersions));
    }

    private List<StudyCatalog.StudyView> views(Caller caller, boolean afterMiss) {
        if (caller.claims().containsKey("study_id")) {
            String study = caller.patient().studyId();
            return List.of(afterMiss ? studies.viewAfterMiss(study) : studies.view(study));
        }
        List<StudyCatalog.StudyView> views = new ArrayList<>();
        for (String study : caller.studies()) {
            views.add(afterMiss ? studies.viewAfterMiss(study) : studies.view(study));
        }
        return views;
    }

    /** The views' questionnaires without repeats; a staff member without studies sees the built-ins. */
    private List<QuestionnaireDefinition> definitions(List<StudyCatalog.StudyView> views) {
        if (views.isEmpty()) {
            return studies.builtIns().all();
        }
        Map<String, QuestionnaireDefinition> out = new LinkedHashMap<>();
        for (StudyCatalog.StudyView v : views) {
            v.visible().forEach(d -> out.putIfAbsent(d.canonical(), d));
        }
        return List.copyOf(out.values());
    }

    private static String keyOf(List<StudyCatalog.StudyView> views) {
        Set<String> parts = new LinkedHashSet<>();
        views.forEach(v -> parts.add(v.studyId() + "@" + v.loadedAt().toEpochMilli()));
        return String.join(",", parts);
    }

    private static Rendered rendered(JsonNode node) {
        try {
            String body = Json.mapper().writeValueAsString(node);
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
            return new Rendered(body, "\"" + HexFormat.of().formatHex(hash, 0, 16) + "\"");
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot render a questionnaire", e);
        }
    }
}
