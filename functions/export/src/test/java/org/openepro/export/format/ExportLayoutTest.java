package org.openepro.export.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.export.profile.Profile;

class ExportLayoutTest {

    @Test
    void qualifiesALinkIdOnlyWhenTwoExportedQuestionnairesShareIt() {
        // GIVEN the diary and a second version of it under another id that reuses its linkIds
        String copy = new String(Fixtures.text(readDiary()))
                .replace("\"id\": \"diary\"", "\"id\": \"diary-2\"")
                .replace("Questionnaire/diary\"", "Questionnaire/diary-2\"");
        var layout = ExportLayout.of(
                List.of(
                        Fixtures.REPORTS.registry().latest("diary").orElseThrow(),
                        QuestionnaireRegistry.parse(copy.getBytes()),
                        Fixtures.REPORTS.registry().latest("phq-9").orElseThrow()),
                Profile.LIMITED,
                false);

        List<String> names = layout.columns().stream().map(Column::name).toList();

        assertThat(names).contains("diary/mood", "diary-2/mood", "44250-9").doesNotContain("mood");
        assertThat(layout.item("diary-2", "mood")).isEqualTo(names.indexOf("diary-2/mood"));
        assertThat(names).doesNotHaveDuplicates();
    }

    @Test
    void theProfileDecidesTheReportColumns() {
        assertThat(names(Profile.IDENTIFIED))
                .startsWith("reportId", "version", "status", "subjectId")
                .contains("authoredAt", "comment");
        assertThat(names(Profile.LIMITED)).contains("reportId", "pseudonym", "authoredAt", "comment");
        assertThat(names(Profile.DEIDENTIFIED))
                .contains("pseudonym", "authoredDay", "receivedDay", "onset")
                .doesNotContain("reportId", "subjectId", "authoredAt", "receivedAt", "comment");
        assertThat(Fixtures.layout(Profile.DEIDENTIFIED, false).columns().stream()
                        .filter(c -> c.name().equals("onset"))
                        .findFirst()
                        .orElseThrow()
                        .type())
                .isEqualTo(ValueType.INTEGER);
    }

    private static List<String> names(Profile p) {
        return Fixtures.layout(p, false).columns().stream().map(Column::name).toList();
    }

    static byte[] readDiary() {
        try (var in = ExportLayoutTest.class.getResourceAsStream("/diary-questionnaire.json")) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
