package org.openepro.submit;

import java.util.Map;
import org.openepro.core.config.Env;

/** The questionnaire publication function's configuration, read once from its environment. */
public record QuestionnaireAdminConfig(String questionnairesTable, String auditTable) {
    public static QuestionnaireAdminConfig fromEnv(Map<String, String> env) {
        return new QuestionnaireAdminConfig(
                Env.required(env, "QUESTIONNAIRES_TABLE"), Env.required(env, "AUDIT_TABLE"));
    }
}
