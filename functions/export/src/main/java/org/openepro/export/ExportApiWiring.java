package org.openepro.export;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.openepro.core.audit.AuditLog;
import org.openepro.core.aws.AwsClients;
import org.openepro.core.http.ApiException;
import org.openepro.core.http.Caller;
import org.openepro.core.metrics.Metrics;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.questionnaire.study.StudyCatalog;
import org.openepro.core.questionnaire.study.StudyQuestionnaireStore;
import org.openepro.export.format.ExporterRegistry;
import org.openepro.export.job.ExportJobStore;

/** The composition root of the export API, built once per container from its config and {@link AwsClients}. */
public final class ExportApiWiring {
    static final String SERVICE = "export-api";

    private final ExportRequests requests;
    private final Metrics metrics = Metrics.forService(SERVICE);

    private ExportApiWiring(ExportApiConfig config, AwsClients aws, QuestionnaireRegistry questionnaires) {
        this.requests = new ExportRequests(
                config,
                new ExportJobStore(aws.dynamo(), config.exportsTable()),
                new AuditLog(aws.dynamo(), config.auditTable()),
                aws.sqs(),
                aws.presigner(),
                ExporterRegistry.standard(),
                new StudyCatalog(
                        questionnaires,
                        StudyQuestionnaireStore.readOnly(aws.dynamo(), config.questionnairesTable()),
                        Clock.systemUTC()),
                Clock.systemUTC());
    }

    /** Lambda's wiring: the function's environment, the container's clients, the packaged questionnaires. */
    public static ExportApiWiring fromEnv(Map<String, String> env) {
        return of(ExportApiConfig.fromEnv(env), AwsClients.fromEnv(env), QuestionnaireRegistry.load());
    }

    /** @param questionnaires the built-in questionnaires (tests add their own); each study's published ones are read from its table */
    public static ExportApiWiring of(ExportApiConfig config, AwsClients aws, QuestionnaireRegistry questionnaires) {
        return new ExportApiWiring(config, aws, questionnaires);
    }

    public ExportRequests requests() {
        return requests;
    }

    public Metrics metrics() {
        return metrics;
    }

    /** SnapStart priming: parses a request, and refuses one as a real one is (no scope), storing nothing. */
    public void prime() {
        Caller nobody = Caller.fromClaims(Map.of("sub", "priming"), List.of());
        requests.parse(
                "PRIMING",
                ("{\"format\":\"csv\",\"from\":\"2026-01-01\",\"to\":\"2026-01-02\"," + "\"profile\":\"limited\"}")
                        .getBytes(StandardCharsets.UTF_8));
        try {
            requests.request(nobody, "PRIMING", new byte[0], null);
        } catch (ApiException expected) {
            // refused before anything is stored: that is the point
        }
    }
}
