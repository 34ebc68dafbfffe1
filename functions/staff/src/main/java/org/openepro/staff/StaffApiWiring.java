package org.openepro.staff;

import java.time.Clock;
import java.util.Map;
import org.openepro.core.audit.AuditLog;
import org.openepro.core.audit.AuditReader;
import org.openepro.core.aws.AwsClients;
import org.openepro.core.metrics.Metrics;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.questionnaire.study.StudyCatalog;
import org.openepro.core.questionnaire.study.StudyQuestionnaireStore;
import org.openepro.core.report.ReportStore;

/** The composition root of the staff read API, built once per container from its config and {@link AwsClients}. */
public final class StaffApiWiring {
    static final String SERVICE = "staff-api";

    private final ConsoleSettings console;
    private final ReportDetail reports;
    private final SubjectViews subjects;
    private final AuditTrail auditTrail;
    private final Metrics metrics;

    private StaffApiWiring(StaffApiConfig config, AwsClients aws, Clock clock) {
        // a report's definition: any built-in, or one its study published (retired ones included)
        StudyCatalog registry = new StudyCatalog(
                QuestionnaireRegistry.load(),
                StudyQuestionnaireStore.readOnly(aws.dynamo(), config.questionnairesTable()),
                clock);
        AuditLog audit = new AuditLog(aws.dynamo(), config.auditTable());
        AuditReader auditReader = new AuditReader(aws.dynamo(), config.auditTable());
        this.console = config.console();
        this.reports = new ReportDetail(
                new ReportStore(aws.dynamo(), config.reportsTable()), auditReader, audit, registry, clock);
        this.subjects = new SubjectViews(
                new ProjectionReader(aws.dynamo(), config.projectionsTable()),
                new OpenAlerts(aws.dynamo(), config.alertsTable()),
                audit,
                registry,
                clock);
        this.auditTrail = new AuditTrail(auditReader, clock);
        this.metrics = Metrics.forService(SERVICE);
    }

    /** Lambda's wiring: the function's environment, the container's clients, the system clock. */
    public static StaffApiWiring fromEnv(Map<String, String> env) {
        return of(StaffApiConfig.fromEnv(env), AwsClients.fromEnv(env), Clock.systemUTC());
    }

    /** @param clock when reads are audited (tests fix it) */
    public static StaffApiWiring of(StaffApiConfig config, AwsClients aws, Clock clock) {
        return new StaffApiWiring(config, aws, clock);
    }

    ConsoleSettings console() {
        return console;
    }

    ReportDetail reports() {
        return reports;
    }

    SubjectViews subjects() {
        return subjects;
    }

    AuditTrail auditTrail() {
        return auditTrail;
    }

    Metrics metrics() {
        return metrics;
    }
}
