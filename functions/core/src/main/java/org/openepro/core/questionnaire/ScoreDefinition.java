package org.openepro.core.questionnaire;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/** A score the questionnaire defines, with its published bands. */
public record ScoreDefinition(
        String id,
        String title,
        ScoreMethod method,
        List<String> linkIds,
        String code,
        Integer min,
        Integer max,
        List<ScoreBand> bands) {
    public ScoreDefinition {
        linkIds = List.copyOf(linkIds);
        bands = List.copyOf(bands);
    }

    public Optional<ScoreBand> band(BigDecimal value) {
        for (ScoreBand b : bands) {
            if (b.contains(value)) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }
}
