package org.openepro.core.questionnaire.study;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openepro.core.log.Log;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.QuestionnaireReader;
import org.openepro.core.questionnaire.QuestionnaireRegistry;

/**
 * The questionnaires of each study: the built-in instruments it uses plus the ones it published,
 * with a warm-container cache. This is the lookup every function asks ("does study S have
 * url|version, and what is it?"): submission, the catalogue, alerts, exports, the schedule.
 *
 * <p>Consistency: a study's view is read with one consistent Query and kept for {@link #TTL}
 * (bounded to {@link #MAX_STUDIES} studies, least recently used out). A canonical the view does not
 * know makes it re-read at once (at most once per {@link #MISS_REFRESH}), so a questionnaire is
 * submittable on the first request after its publication in every container. A retirement or a new
 * built-in selection reaches a warm container within the TTL: until then it may still take a
 * response to the version it was retiring, which keeps that version and so is stored correctly.
 * Definitions are immutable by url|version, so each is parsed once per container.
 */
public final class StudyCatalog {
    public static final Duration TTL = Duration.ofSeconds(60);
    public static final Duration MISS_REFRESH = Duration.ofSeconds(1);
    public static final int MAX_STUDIES = 256;
    private static final int MAX_DEFINITIONS = 1024;
    private static final Log LOG = Log.get(StudyCatalog.class);

    private final QuestionnaireRegistry builtIns;
    private final StudyQuestionnaireStore store;
    private final Clock clock;
    private final Map<String, StudyView> views = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, StudyView> eldest) {
            return size() > MAX_STUDIES;
        }
    });
    // by content hash and status: a definition is parsed once, whichever study view holds it
    private final Map<String, QuestionnaireDefinition> parsed =
            Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, QuestionnaireDefinition> eldest) {
                    return size() > MAX_DEFINITIONS;
                }
            });
    private volatile int studyReads;

    /** @param store null: no study publishes anything (every study uses every built-in) */
    public StudyCatalog(QuestionnaireRegistry builtIns, StudyQuestionnaireStore store, Clock clock) {
        this.builtIns = builtIns;
        this.store = store;
        this.clock = clock;
    }

    /** The built-in instruments only, for every study (tools, benchmarks, functions without the table). */
    public static StudyCatalog builtInsOnly(QuestionnaireRegistry builtIns) {
        return new StudyCatalog(builtIns, null, Clock.systemUTC());
    }

    public QuestionnaireRegistry builtIns() {
        return builtIns;
    }

    /**
     * A study's view: what it published and which built-ins it uses, as read at {@code loadedAt}.
     *
     * @param own the study's own questionnaires by canonical, in publication order
     */
    public record StudyView(
            String studyId,
            Instant loadedAt,
            Map<String, QuestionnaireDefinition> own,
            BuiltInSelection selection,
            List<QuestionnaireDefinition> visible) {}

    /**
     * The questionnaire a new response of this study may answer: one it published, or a built-in it
     * uses. Another study's questionnaire is not found, exactly like one that does not exist.
     */
    public Optional<QuestionnaireDefinition> forResponse(String studyId, String canonical) {
        StudyView view = view(studyId);
        Optional<QuestionnaireDefinition> found = find(view, canonical);
        if (found.isEmpty()
                && store != null
                && !view.loadedAt().plus(MISS_REFRESH).isAfter(clock.instant())) {
            found = find(reload(studyId), canonical);
        }
        return found;
    }

    /** Whether the study has this questionnaire (built-in it uses, or published): the schedule's check. */
    public boolean has(String studyId, String canonical) {
        return forResponse(studyId, canonical).isPresent();
    }

    /**
     * The definition a stored report of this study was answered with: any built-in (a study may have
     * stopped using it since) or one the study published, retired or not.
     */
    public Optional<QuestionnaireDefinition> forReport(String studyId, String canonical) {
        Optional<QuestionnaireDefinition> builtIn = builtIns.byCanonical(canonical);
        if (builtIn.isPresent()) {
            return builtIn;
        }
        StudyView view = view(studyId);
        QuestionnaireDefinition own = view.own().get(canonical);
        if (own == null && store != null && !view.loadedAt().plus(MISS_REFRESH).isAfter(clock.instant())) {
            own = reload(studyId).own().get(canonical);
        }
        return Optional.ofNullable(own);
    }

    /** Every questionnaire the study's patients see (retired versions included, marked so), in catalogue order. */
    public List<QuestionnaireDefinition> visible(String studyId) {
        return view(studyId).visible();
    }

    /** The study's current view (read once per TTL), e.g. to cache what is rendered from it. */
    public StudyView view(String studyId) {
        StudyView v = views.get(studyId);
        if (v != null && v.loadedAt().plus(TTL).isAfter(clock.instant())) {
            return v;
        }
        return reload(studyId);
    }

    /**
     * The study's view after a lookup in it missed: read again when the view is older than
     * {@link #MISS_REFRESH}, so a questionnaire published since is found by id as by canonical.
     */
    public StudyView viewAfterMiss(String studyId) {
        StudyView v = view(studyId);
        if (store != null && !v.loadedAt().plus(MISS_REFRESH).isAfter(clock.instant())) {
            return reload(studyId);
        }
        return v;
    }

    /** How many times this catalogue read a study from the table (a warm, fresh view must not add to it). */
    public int studyReads() {
        return studyReads;
    }

    private static Optional<QuestionnaireDefinition> find(StudyView view, String canonical) {
        QuestionnaireDefinition own = view.own().get(canonical);
        if (own != null) {
            return Optional.of(own);
        }
        return view.visible().stream()
                .filter(d -> d.canonical().equals(canonical))
                .findFirst();
    }

    private StudyView reload(String studyId) {
        Instant now = clock.instant();
        Map<String, QuestionnaireDefinition> own = new LinkedHashMap<>();
        BuiltInSelection selection = BuiltInSelection.ALL;
        if (store != null) {
            studyReads++;
            StudyQuestionnaireStore.StudyEntries entries = store.study(studyId);
            selection = entries.selection();
            for (StudyQuestionnaireStore.Stored s : entries.questionnaires()) {
                QuestionnaireDefinition d = parsed.computeIfAbsent(s.contentHash() + "|" + s.status(), k -> parse(s));
                if (d != null) {
                    own.put(d.canonical(), d);
                }
            }
        }
        List<QuestionnaireDefinition> visible = new ArrayList<>();
        for (QuestionnaireDefinition b : builtIns.all()) {
            if (selection.uses(b.canonical())) {
                visible.add(b);
            }
        }
        visible.addAll(own.values());
        StudyView view = new StudyView(studyId, now, Collections.unmodifiableMap(own), selection, List.copyOf(visible));
        views.put(studyId, view);
        return view;
    }

    private static QuestionnaireDefinition parse(StudyQuestionnaireStore.Stored s) {
        QuestionnaireReader.Result r = QuestionnaireReader.read(s.json());
        if (!r.ok()) {
            // accepted at publication, refused now: only a stricter reader can do that; keep serving the rest
            LOG.error(
                    "questionnaire.unreadable",
                    null,
                    "canonical",
                    s.canonical(),
                    "issues",
                    r.issues().size());
            return null;
        }
        return r.definition();
    }
}
