package org.openepro.submit;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openepro.core.id.Participant;
import org.openepro.core.log.Log;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedStack;

/**
 * What submit-report writes to its logs (our logger and the EMF metric lines on stdout) for a
 * stored report, an amendment, a refused body and a failed queue send: ids, codes and counts,
 * never the answers, the participant's ids, the token's subject, the amendment's reason, the
 * idempotency key or the environment.
 */
@ExtendWith(AwsEmulatorExtension.class)
class LogPrivacyIT {
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private EmulatedStack stack;

    @BeforeEach
    void capture(EmulatedStack stack) {
        this.stack = stack;
        originalOut = System.out;
        PrintStream tee = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(tee);
        Log.redirect(tee);
    }

    @AfterEach
    void restore() {
        Log.redirect(originalOut);
        System.setOut(originalOut);
    }

    @Test
    void logsIdsAndCountsButNoPersonalDataOrEnvironment() {
        Participant patient = TestRequests.newPatient();
        List<String> secrets = new ArrayList<>(List.of(
                patient.subjectId(), "MY-PRIVATE-REASON", "SECRET-CODE-42", "LA6570-1", "More than half the days"));
        // the queue send fails once, so the error path logs too
        int[] failures = {1};
        MessageSender sqs =
                new SqsMessageSender(stack.clientsFor("SubmitReportFunction").sqs());
        MessageSender flaky = (url, body) -> {
            if (failures[0]-- > 0) {
                throw new IllegalStateException("queue unavailable for " + body);
            }
            sqs.send(url, body);
        };
        Map<String, String> env = stack.env("SubmitReportFunction");
        var handler = new SubmitReportHandler(
                SubmitWiring.builder(SubmitConfig.fromEnv(env), stack.clientsFor("SubmitReportFunction"))
                        .sender(flaky)
                        .build());

        // a PHQ-9 answered "more than half the days" on its nine symptom items (raises alerts downstream)
        APIGatewayV2HTTPEvent valid = TestRequests.sample("submit-phq9.json", patient);
        ObjectNode body = TestRequests.body(valid);
        for (int i = 0; i < 9; i++) {
            ((ObjectNode) body.withArray("item")
                            .get(i)
                            .withArray("answer")
                            .get(0)
                            .get("valueCoding"))
                    .put("code", "LA6570-1")
                    .put("display", "More than half the days");
        }
        valid.setBody(body.toString());
        secrets.add(valid.getHeaders().get("idempotency-key"));
        secrets.add(
                valid.getRequestContext().getAuthorizer().getJwt().getClaims().get("sub"));
        var created = handler.handleRequest(valid, null);
        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
        String reportId = TestRequests.json(created).path("reportId").asText();

        // an amendment with a reason
        APIGatewayV2HTTPEvent amend = TestRequests.sample("submit-phq9.json", patient);
        ObjectNode amended = TestRequests.body(amend);
        amended.put("status", "amended").put("id", reportId);
        amend.setBody(amended.toString());
        TestRequests.header(amend, "x-amendment-reason", "MY-PRIVATE-REASON");
        assertThat(handler.handleRequest(amend, null).getStatusCode()).isEqualTo(201);

        // a refused body carrying a made-up answer code
        APIGatewayV2HTTPEvent refused = TestRequests.sample("submit-phq9.json", patient);
        refused.setBody(refused.getBody().replaceFirst("\"code\":\"LA[0-9-]+\"", "\"code\":\"SECRET-CODE-42\""));
        assertThat(handler.handleRequest(refused, null).getStatusCode()).isEqualTo(422);

        String log = captured.toString(StandardCharsets.UTF_8);
        // the capture works: the events and metrics are there, with the report's id
        assertThat(log)
                .contains("delivery.failed")
                .contains("request.rejected")
                .contains(reportId)
                .contains("\"Submitted\"")
                .contains("\"Rejected\"");
        for (String secret : secrets) {
            assertThat(log).as("the log must not contain " + secret).doesNotContain(secret);
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getValue().length() >= 12) {
                assertThat(log)
                        .as("the log must not contain the environment variable " + e.getKey())
                        .doesNotContain(e.getValue());
            }
        }
    }
}
