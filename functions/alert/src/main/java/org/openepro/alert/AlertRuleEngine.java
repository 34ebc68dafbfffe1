package org.openepro.alert;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.openepro.core.questionnaire.AlertRule;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.questionnaire.study.StudyCatalog;
import org.openepro.core.report.Answer;
import org.openepro.core.report.Report;
import org.openepro.core.report.Score;

/**
 * Evaluates the alert rules of each questionnaire version, built-in or published by the report's study. Rules are data: every
 * {@link org.openepro.core.questionnaire.RuleKind} is evaluated here, so a rule added to a
 * questionnaire's JSON needs no code change. Built once per container; thread-safe.
 */
public final class AlertRuleEngine {
    private static final Comparator<AlertRule> MOST_URGENT_FIRST = Comparator.comparing(AlertRule::severity);

    private final StudyCatalog questionnaires;
    // definitions are immutable by url|version: each one's rules are sorted once per container
    private final Map<String, List<AlertRule>> rulesByCanonical = new ConcurrentHashMap<>();

    /** The built-in instruments' rules only (tests, benchmarks). */
    public AlertRuleEngine(QuestionnaireRegistry registry) {
        this(StudyCatalog.builtInsOnly(registry));
    }

    /** The rules of every built-in and of each study's published questionnaires. */
    public AlertRuleEngine(StudyCatalog questionnaires) {
        this.questionnaires = questionnaires;
    }

    /**
     * The rules this report triggers, most urgent first.
     *
     * @param previous the subject's previous report of the same questionnaire; asked for at most
     *                 once, and only when the questionnaire has a worsening rule
     * @throws IllegalStateException when the report names a questionnaire neither built in nor its study's
     *         (the message must fail and reach the DLQ rather than silently raise nothing)
     */
    public List<AlertRule> triggered(Report report, Supplier<Optional<Report>> previous) {
        List<AlertRule> rules = rulesByCanonical.get(report.questionnaireCanonical());
        if (rules == null) {
            QuestionnaireDefinition q = questionnaires
                    .forReport(report.studyId(), report.questionnaireCanonical())
                    .orElseThrow(() ->
                            new IllegalStateException("no questionnaire of the study for the report's canonical"));
            List<AlertRule> sorted = new ArrayList<>(q.alertRules());
            sorted.sort(MOST_URGENT_FIRST);
            rules = List.copyOf(sorted);
            rulesByCanonical.put(q.canonical(), rules);
        }
        List<AlertRule> hits = new ArrayList<>(2);
        Optional<Report> before = null;
        for (AlertRule rule : rules) {
            boolean hit = switch (rule.kind()) {
                case ANSWER -> anyAnswer(rule, report);
                case SCORE -> score(rule, report);
                case WORSENING -> {
                    if (before == null) {
                        before = previous.get();
                    }
                    yield before.isPresent() && worsened(rule, report, before.get());
                }
            };
            if (hit) {
                hits.add(rule);
            }
        }
        return hits;
    }

    private static boolean anyAnswer(AlertRule rule, Report report) {
        for (String linkId : rule.linkIds()) {
            BigDecimal value = number(report, linkId);
            if (value != null && rule.comparator().test(value, rule.threshold())) {
                return true;
            }
        }
        return false;
    }

    private static boolean score(AlertRule rule, Report report) {
        BigDecimal value = report.score(rule.scoreId()).map(Score::value).orElse(null);
        return value != null && rule.comparator().test(value, rule.threshold());
    }

    private static boolean worsened(AlertRule rule, Report report, Report previous) {
        for (String linkId : rule.linkIds()) {
            BigDecimal now = number(report, linkId);
            BigDecimal before = number(previous, linkId);
            if (now != null && before != null && rule.comparator().test(now.subtract(before), rule.threshold())) {
                return true;
            }
        }
        return false;
    }

    private static BigDecimal number(Report report, String linkId) {
        return report.answer(linkId).map(Answer::number).orElse(null);
    }
}
