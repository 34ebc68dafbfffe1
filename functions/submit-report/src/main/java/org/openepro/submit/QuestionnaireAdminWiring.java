package org.openepro.submit;

import java.time.Clock;
import java.util.Map;
import org.openepro.core.audit.AuditLog;
import org.openepro.core.aws.AwsClients;
import org.openepro.core.metrics.Metrics;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.questionnaire.study.StudyQuestionnaireStore;

/** The composition root of questionnaire publication, built once per container from its config and {@link AwsClients}. */
public final class QuestionnaireAdminWiring {
    static final String SERVICE = "questionnaire-admin";

    private final QuestionnaireRegistry registry;
    private final QuestionnairePublisher publisher;
    private final Metrics metrics;

    private QuestionnaireAdminWiring(QuestionnaireAdminConfig config, AwsClients aws, Clock clock) {
        this.registry = QuestionnaireRegistry.load();
        this.publisher = new QuestionnairePublisher(
                registry,
                new StudyQuestionnaireStore(
                        aws.dynamo(), config.questionnairesTable(), new AuditLog(aws.dynamo(), config.auditTable())),
                clock);
        this.metrics = Metrics.forService(SERVICE);
    }

    /** Lambda's wiring: the function's environment, the container's clients, the system clock. */
    public static QuestionnaireAdminWiring fromEnv(Map<String, String> env) {
        return of(QuestionnaireAdminConfig.fromEnv(env), AwsClients.fromEnv(env), Clock.systemUTC());
    }

    public static QuestionnaireAdminWiring of(QuestionnaireAdminConfig config, AwsClients aws, Clock clock) {
        return new QuestionnaireAdminWiring(config, aws, clock);
    }

    public QuestionnairePublisher publisher() {
        return publisher;
    }

    public Metrics metrics() {
        return metrics;
    }

    /** SnapStart priming: reads and hashes every built-in as a publication would, without touching the table. */
    public void prime() {
        for (QuestionnaireDefinition d : registry.all()) {
            QuestionnairePublisher.contentHash(d.fhirJson());
        }
    }
}
