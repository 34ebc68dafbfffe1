package org.openepro.bench.submit;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.openepro.core.json.Json;
import org.openepro.core.snapstart.Priming;
import org.openepro.emulator.SampleEvents;
import org.openepro.submit.SubmitReportHandler;

/**
 * Runs in a fresh JVM: constructs a handler the way Lambda does (no-arg constructor, configuration
 * from the environment) and serves one submission, then prints its status, its phases and the
 * wall-clock instants at which it entered main and answered: the parent, which knows when it spawned
 * this JVM, turns them into "JVM start to first response". (The JVM's own start instant, read from
 * /proc, runs about 300 ms early on these machines, so it is not used.)
 */
public final class ColdStartProbe {
    private ColdStartProbe() {}

    public static void main(String[] args) throws Exception {
        long inMain = System.currentTimeMillis();
        APIGatewayV2HTTPEvent event = SampleEvents.httpApi("submit-phq9.json");
        String subject = "SUBJ-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> claims =
                new HashMap<>(event.getRequestContext().getAuthorizer().getJwt().getClaims());
        claims.put("subject_id", subject);
        event.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.put("idempotency-key", UUID.randomUUID().toString());
        event.setHeaders(headers);
        ObjectNode body = (ObjectNode) Json.mapper().readTree(event.getBody());
        body.putObject("subject").put("reference", "Patient/" + subject);
        event.setBody(body.toString());

        long eventRead = System.currentTimeMillis();
        RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler =
                args[0].startsWith("ours") ? new SubmitReportHandler() : new NaiveSubmitHandler();
        if (args[0].equals("ours-restored")) {
            // what SnapStart's checkpoint runs before the snapshot: a restored container starts here
            Priming.runAll();
        }
        long constructed = System.currentTimeMillis();
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
        long done = System.currentTimeMillis();
        // the parent process knows when it spawned this JVM; it turns these instants into phases
        System.out.println("PHASES main-at=" + inMain + " event=" + (eventRead - inMain) + " construct="
                + (constructed - eventRead) + " first-request=" + (done - constructed));
        System.out.println("RESULT " + response.getStatusCode() + " " + done);
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
