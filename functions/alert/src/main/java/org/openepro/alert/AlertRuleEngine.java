package org.openepro.alert;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.openepro.core.questionnaire.AlertRule;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.report.Answer;
import org.openepro.core.report.Report;
import org.openepro.core.report.Score;

/**
 * Evaluates the alert rules packaged with each questionnaire version. Rules are data: every
 * {@link org.openepro.core.questionnaire.RuleKind} is evaluated here, so a rule added to a
 * questionnaire's JSON needs no code change. Built once per container; thread-safe.
 */
public final class AlertRuleEngine {
    private static final Comparator<AlertRule> MOST_URGENT_FIRST = Comparator.comparing(AlertRule::severity);

    private final Map<String, List<AlertRule>> rulesByCanonical;

    public AlertRuleEngine(QuestionnaireRegistry registry) {
        Map<String, List<AlertRule>> rules = new HashMap<>();
        for (QuestionnaireDefinition q : registry.all()) {
            List<AlertRule> sorted = new ArrayList<>(q.alertRules());
            sorted.sort(MOST_URGENT_FIRST);
            rules.put(q.canonical(), List.copyOf(sorted));
        }
        this.rulesByCanonical = Map.copyOf(rules);
    }

    /**
     * The rules this report triggers, most urgent first.
     *
     * @param previous the subject's previous report of the same questionnaire; asked for at most
     *                 once, and only when the questionnaire has a worsening rule
     * @throws IllegalStateException when the report names a questionnaire this build does not know
     *         (the message must fail and reach the DLQ rather than silently raise nothing)
     */
    public List<AlertRule> triggered(Report report, Supplier<Optional<Report>> previous) {
        List<AlertRule> rules = rulesByCanonical.get(report.questionnaireCanonical());
        if (rules == null) {
            throw new IllegalStateException("no packaged questionnaire for the report's canonical");
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
