package org.openepro.core.report;

import java.util.Objects;
import org.openepro.core.questionnaire.QuestionnaireDefinition;

/** Which questionnaire, and which version of it, a report answers: its resource id and canonical url|version. */
public record QuestionnaireRef(String id, String url, String version) {
    public QuestionnaireRef {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(version, "version");
    }

    public static QuestionnaireRef of(QuestionnaireDefinition definition) {
        return new QuestionnaireRef(definition.id(), definition.url(), definition.version());
    }

    /** {@code url|version}, as FHIR names a questionnaire version. */
    public String canonical() {
        return url + "|" + version;
    }
}
