package org.openepro.core.questionnaire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The data dictionary's enableWhen in words, from the packaged instruments. */
class EnableWhenTextTest {
    private static final QuestionnaireRegistry REGISTRY = QuestionnaireRegistry.load();

    private static QuestionnaireDefinition q(String id) {
        return REGISTRY.latest(id).orElseThrow();
    }

    @Test
    void saysWhenAProCtcaeAttributeIsAskedAndWhatASkipIsRecordedAs() {
        assertThat(EnableWhenText.describe(q("pro-ctcae"), "pain-interference"))
                .isEqualTo(
                        "Asked when all of: 'pain-frequency' (In the last 7 days, how OFTEN did you have PAIN?) is not Never"
                                + " [never], 'pain-severity' (In the last 7 days, what was the SEVERITY of your PAIN at its WORST?)"
                                + " is not None [none]. When not asked it is recorded as Not at all [not-at-all], score 0,"
                                + " flagged branch-skipped.");
        assertThat(EnableWhenText.describe(q("pro-ctcae"), "pain-frequency")).isEqualTo("Always asked.");
    }

    @Test
    void saysThatPhq9Item10NeedsAnyProblemChecked() {
        assertThat(EnableWhenText.describe(q("phq-9"), "69722-7"))
                .startsWith("Asked when any of: '44250-9' (Little interest or pleasure in doing things) is not"
                        + " Not at all [LA6568-5], '44255-8'")
                .endsWith("is not Not at all [LA6568-5].");
    }
}
