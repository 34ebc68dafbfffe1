package org.openepro.staff;

import java.util.ArrayList;
import java.util.List;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.ScoreBand;
import org.openepro.core.questionnaire.ScoreDefinition;

/** The published scales of a questionnaire's scores, as charts draw them (from the definition, never invented). */
final class ScoreScales {
    private ScoreScales() {}

    static List<ReportView.ScoreScale> of(QuestionnaireDefinition definition) {
        List<ReportView.ScoreScale> scales = new ArrayList<>(definition.scores().size());
        for (ScoreDefinition s : definition.scores()) {
            List<ReportView.Band> bands = new ArrayList<>(s.bands().size());
            for (ScoreBand b : s.bands()) {
                bands.add(new ReportView.Band(b.min(), b.max(), b.code(), b.display()));
            }
            scales.add(new ReportView.ScoreScale(definition.id(), s.id(), s.title(), s.min(), s.max(), bands));
        }
        return scales;
    }
}
