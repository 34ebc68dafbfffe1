package org.openepro.alert;

import java.time.Clock;
import java.util.Map;
import org.openepro.core.audit.AuditLog;
import org.openepro.core.aws.AwsClients;
import org.openepro.core.metrics.Metrics;

/** The composition root of the alert API, built once per container from its config and {@link AwsClients}. */
public final class AlertApiWiring {
    static final String SERVICE = "alert-api";

    private final AlertInbox inbox;
    private final Metrics metrics;

    private AlertApiWiring(AlertApiConfig config, AwsClients aws, Clock clock) {
        this.metrics = Metrics.forService(SERVICE);
        this.inbox = new AlertInbox(
                new AlertStore(aws.dynamo(), config.alertsTable()),
                new AuditLog(aws.dynamo(), config.auditTable()),
                metrics,
                clock);
    }

    /** Lambda's wiring: the function's environment, the container's clients, the system clock. */
    public static AlertApiWiring fromEnv(Map<String, String> env) {
        return of(AlertApiConfig.fromEnv(env), AwsClients.fromEnv(env), Clock.systemUTC());
    }

    /** @param clock when acknowledgements happen (tests fix it) */
    public static AlertApiWiring of(AlertApiConfig config, AwsClients aws, Clock clock) {
        return new AlertApiWiring(config, aws, clock);
    }

    public AlertInbox inbox() {
        return inbox;
    }

    public Metrics metrics() {
        return metrics;
    }
}
