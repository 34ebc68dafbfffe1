package org.openepro.submit;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import org.openepro.core.http.HttpAdapter;
import org.openepro.core.metrics.Metrics;
import org.openepro.core.snapstart.Priming;

/** API of submit-report: the patient's reports and the questionnaire catalogue the app renders. */
public final class SubmitReportHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final String SERVICE = "submit-report";

    private final HttpAdapter api;

    /** Lambda's constructor: once per container, primed before a SnapStart snapshot. */
    public SubmitReportHandler() {
        this(SubmitWiring.fromEnv(System.getenv()), true);
    }

    public SubmitReportHandler(SubmitWiring wiring) {
        this(wiring, false);
    }

    private SubmitReportHandler(SubmitWiring wiring, boolean snapStart) {
        Metrics metrics = Metrics.forService(SERVICE);
        ReportRoutes reports = new ReportRoutes(wiring.submissions(), wiring.store(), metrics);
        QuestionnaireRoutes questionnaires = new QuestionnaireRoutes(wiring.catalog());
        this.api = HttpAdapter.builder(metrics)
                .fhirRoute("POST /v1/reports", "QuestionnaireResponse", reports::submit)
                .route("GET /v1/reports/{reportId}", reports::report)
                .fhirRoute("GET /v1/questionnaires", null, questionnaires::all)
                .fhirRoute("GET /v1/questionnaires/{questionnaireId}", null, questionnaires::one)
                // a store or queue briefly out of reach: the outbox makes the retry safe
                .unavailableDetail("The report could not be processed right now; retry with the same Idempotency-Key.")
                .build();
        if (snapStart) {
            Priming.register(SERVICE, wiring::primeApi);
        }
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return api.handle(event, context);
    }
}
