package org.openepro.core.questionnaire;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openepro.core.report.Answer;
import org.openepro.core.report.Score;

/**
 * Computes a questionnaire's published scores from validated answers: the one scorer for
 * submissions, fixtures and tools. A branch-skipped answer counts with the score the instrument
 * gives a skip (PRO-CTCAE: 0); an item its enableWhen disabled and that has no such score is
 * missing, which leaves out every score that needs it.
 */
public final class Scorer {
    private Scorer() {}

    /** Every score whose items are all answered; a score with an unanswered optional item is left out. */
    public static List<Score> score(QuestionnaireDefinition definition, List<Answer> answers) {
        if (definition.scores().isEmpty()) {
            return List.of();
        }
        Map<String, Answer> byLinkId = new HashMap<>(answers.size() * 2);
        for (Answer a : answers) {
            byLinkId.put(a.linkId(), a);
        }
        List<Score> scores = new ArrayList<>(definition.scores().size());
        for (ScoreDefinition s : definition.scores()) {
            Score score = switch (s.method()) {
                case SUM -> sum(s, byLinkId);
                case VALUE -> value(s, byLinkId);
                case PROFILE -> profile(s, byLinkId);
            };
            if (score != null) {
                scores.add(score);
            }
        }
        return scores;
    }

    private static Score sum(ScoreDefinition s, Map<String, Answer> answers) {
        BigDecimal total = BigDecimal.ZERO;
        for (String linkId : s.linkIds()) {
            Answer a = answers.get(linkId);
            if (a == null || a.number() == null) {
                return null;
            }
            total = total.add(a.number());
        }
        return banded(s, total);
    }

    private static Score value(ScoreDefinition s, Map<String, Answer> answers) {
        Answer a = answers.get(s.linkIds().get(0));
        return a == null || a.number() == null ? null : banded(s, a.number());
    }

    private static Score profile(ScoreDefinition s, Map<String, Answer> answers) {
        StringBuilder profile = new StringBuilder(s.linkIds().size());
        for (String linkId : s.linkIds()) {
            Answer a = answers.get(linkId);
            if (a == null || (a.code() == null && a.number() == null)) {
                return null;
            }
            profile.append(a.code() != null ? a.code() : a.number().toPlainString());
        }
        return Score.profile(s.id(), profile.toString());
    }

    private static Score banded(ScoreDefinition s, BigDecimal value) {
        BigDecimal v = value.stripTrailingZeros();
        if (v.scale() < 0) {
            v = v.setScale(0);
        }
        ScoreBand band = s.band(v).orElse(null);
        return Score.numeric(s.id(), v, band == null ? null : band.code(), band == null ? null : band.display());
    }
}
