package org.openepro.core.questionnaire;

import java.math.BigDecimal;
import java.util.List;

/**
 * A clinical alert rule, versioned with its questionnaire. Rules are data: the alert function
 * evaluates every kind with one engine, so a new rule needs no code change.
 */
public record AlertRule(
        String id,
        Severity severity,
        RuleKind kind,
        List<String> linkIds,
        String scoreId,
        Comparator comparator,
        BigDecimal threshold,
        String description) {
    public AlertRule {
        linkIds = List.copyOf(linkIds);
    }
}
