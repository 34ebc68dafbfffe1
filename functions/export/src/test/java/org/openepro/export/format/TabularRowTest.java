package org.openepro.export.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.export.profile.Profile;

class TabularRowTest {

    @Test
    void walksExactlyTheFilledCellsInColumnOrderAndForgetsThePreviousRow() {
        // GIVEN a row over 64 columns wide (twelve diary copies first), reused for reports of different questionnaires
        List<QuestionnaireDefinition> definitions = new ArrayList<>();
        String diary = Fixtures.text(ExportLayoutTest.readDiary());
        for (int i = 0; i < 12; i++) {
            definitions.add(QuestionnaireRegistry.parse(diary.replace("\"id\": \"diary\"", "\"id\": \"copy-" + i + "\"")
                    .replace("Questionnaire/diary\"", "Questionnaire/copy-" + i + "\"")
                    .getBytes()));
        }
        definitions.addAll(Fixtures.definitions(Fixtures.QUESTIONNAIRES));
        ExportLayout layout = ExportLayout.of(definitions, Profile.LIMITED, false);
        assertThat(layout.size()).isGreaterThan(64);
        TabularRow row = new TabularRow(layout);

        for (ExportRecord r : Fixtures.records(12, Profile.LIMITED)) {
            // WHEN it is filled
            row.fill(r);

            // THEN the walk visits every non-empty cell once, in order, and nothing of the last row remains
            List<Integer> walked = new ArrayList<>();
            for (int i = row.nextFilled(0); i >= 0; i = row.nextFilled(i + 1)) {
                walked.add(i);
            }
            List<Integer> nonEmpty = new ArrayList<>();
            for (int i = 0; i < row.size(); i++) {
                if (row.get(i) != null) {
                    nonEmpty.add(i);
                }
            }
            assertThat(walked).isEqualTo(nonEmpty).isNotEmpty();
            assertThat(row.get(
                            layout.item(r.questionnaireId(), r.answers().get(0).linkId())))
                    .isNotNull();
        }
    }
}
