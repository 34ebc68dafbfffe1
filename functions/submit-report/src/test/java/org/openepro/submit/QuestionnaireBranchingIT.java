package org.openepro.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openepro.submit.StackAssertions.drain;
import static org.openepro.submit.StackAssertions.reports;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openepro.core.id.Participant;
import org.openepro.core.questionnaire.SampleResponses;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedStack;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The questionnaire engine through the real handler against the emulator: a response that follows
 * the instrument's branching is stored as published, one that contradicts it is refused naming the
 * item, and in every refusal nothing is stored or enqueued.
 */
@ExtendWith(AwsEmulatorExtension.class)
class QuestionnaireBranchingIT {
    private static final String PRO_CTCAE = "https://openepro.dev/fhir/Questionnaire/pro-ctcae|1.1.0";
    private static final String PHQ9 = "https://openepro.dev/fhir/Questionnaire/phq-9|1.1.0";
    private static final String CTCAE = "https://openepro.dev/fhir/CodeSystem/pro-ctcae-response";
    private static final String LOINC = "http://loinc.org";

    private EmulatedStack stack;
    private SubmitReportHandler handler;

    @BeforeEach
    void wire(EmulatedStack stack) {
        this.stack = stack;
        this.handler = new SubmitReportHandler(
                SubmitWiring.builder(SubmitConfig.fromEnv(stack.env("SubmitReportFunction")), stack.clients())
                        .build());
    }

    private static ObjectNode response(String canonical) {
        ObjectNode qr = SampleResponses.envelope(
                canonical, SampleResponses.authored(Instant.now().minus(5, ChronoUnit.MINUTES), ZoneOffset.ofHours(2)));
        qr.putArray("item");
        return qr;
    }

    private static ObjectNode coded(ObjectNode qr, String linkId, String system, String code) {
        ObjectNode item = ((ArrayNode) qr.get("item")).addObject();
        item.put("linkId", linkId);
        ObjectNode coding = item.putArray("answer").addObject().putObject("valueCoding");
        if (system != null) {
            coding.put("system", system);
        }
        coding.put("code", code);
        return qr;
    }

    private APIGatewayV2HTTPResponse post(Participant patient, ObjectNode body) {
        APIGatewayV2HTTPEvent event = TestRequests.sample("submit-pro-ctcae.json", patient);
        event.setBody(body.toString());
        return handler.handleRequest(event, null);
    }

    private void assertNothingStoredOrEnqueued(Participant patient) {
        assertThat(reports(stack, patient)).isEmpty();
        assertThat(drain(stack, "IndexQueue").stream().map(m -> m.body()).filter(b -> b.contains(patient.studyId())))
                .isEmpty();
        assertThat(drain(stack, "AlertQueue").stream().map(m -> m.body()).filter(b -> b.contains(patient.studyId())))
                .isEmpty();
    }

    private static List<String> errors(APIGatewayV2HTTPResponse response) {
        return TestRequests.json(response).path("errors").findValues("code").stream()
                .map(JsonNode::asText)
                .toList();
    }

    @Test
    void aProCtcaeResponseThatFollowsTheBranchingIsStoredWithTheSkippedAttributesScoredZeroAndFlagged() {
        // GIVEN nausea rarely/mild, fatigue none (interference not asked), pain never (nothing more asked)
        Participant patient = TestRequests.newPatient();
        ObjectNode qr = response(PRO_CTCAE);
        coded(qr, "nausea-frequency", CTCAE, "rarely");
        coded(qr, "nausea-severity", CTCAE, "mild");
        coded(qr, "fatigue-severity", CTCAE, "none");
        coded(qr, "pain-frequency", CTCAE, "never");

        // WHEN it is posted
        APIGatewayV2HTTPResponse response = post(patient, qr);

        // THEN 201, and the stored answers are the patient's three plus the three skipped ones at 0, flagged
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
        List<Map<String, AttributeValue>> stored = reports(stack, patient);
        assertThat(stored).hasSize(1);
        List<Map<String, AttributeValue>> answers =
                stored.get(0).get("answers").l().stream().map(AttributeValue::m).toList();
        assertThat(answers)
                .extracting(a -> a.get("l").s())
                .containsExactly(
                        "nausea-frequency",
                        "nausea-severity",
                        "fatigue-severity",
                        "fatigue-interference",
                        "pain-frequency",
                        "pain-severity",
                        "pain-interference");
        assertThat(answers).extracting(a -> a.get("n").n()).containsExactly("1", "1", "0", "0", "0", "0", "0");
        assertThat(answers)
                .extracting(a -> a.containsKey("k"))
                .containsExactly(false, false, false, true, false, true, true);
        assertThat(answers.get(5).get("c").s()).isEqualTo("none");
        assertThat(answers.get(6).get("c").s()).isEqualTo("not-at-all");
        assertThat(stored.get(0).get("language").s()).isEqualTo("en");
    }

    @Test
    void aContradictoryProCtcaeResponseIsRefusedNamingTheDisabledItemAndNothingIsStored() {
        // GIVEN pain "Never" with a "Severe" pain severity
        Participant patient = TestRequests.newPatient();
        ObjectNode qr = response(PRO_CTCAE);
        coded(qr, "nausea-frequency", CTCAE, "never");
        coded(qr, "fatigue-severity", CTCAE, "none");
        coded(qr, "pain-frequency", CTCAE, "never");
        coded(qr, "pain-severity", CTCAE, "severe");

        APIGatewayV2HTTPResponse response = post(patient, qr);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(422);
        JsonNode error = TestRequests.json(response).path("errors").get(0);
        assertThat(error.path("code").asText()).isEqualTo("disabled-item");
        assertThat(error.path("linkId").asText()).isEqualTo("pain-severity");
        assertThat(error.path("pointer").asText()).isEqualTo("/item/3/answer");
        assertThat(response.getBody()).doesNotContain("severe\"");
        assertNothingStoredOrEnqueued(patient);
    }

    @Test
    void phq9Item10AnsweredWithEveryItemAtZeroIsRefused() {
        Participant patient = TestRequests.newPatient();
        ObjectNode qr = response(PHQ9);
        for (String linkId : List.of(
                "44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8")) {
            coded(qr, linkId, LOINC, "LA6568-5");
        }
        coded(qr, "69722-7", LOINC, "LA6573-5");

        APIGatewayV2HTTPResponse response = post(patient, qr);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(422);
        assertThat(TestRequests.json(response)
                        .path("errors")
                        .get(0)
                        .path("linkId")
                        .asText())
                .isEqualTo("69722-7");
        assertThat(errors(response)).containsExactly("disabled-item");
        assertNothingStoredOrEnqueued(patient);
    }

    @Test
    void aCodingWithoutItsSystemIsRefused() {
        Participant patient = TestRequests.newPatient();
        ObjectNode qr = response(PRO_CTCAE);
        coded(qr, "nausea-frequency", null, "never");
        coded(qr, "fatigue-severity", CTCAE, "none");
        coded(qr, "pain-frequency", CTCAE, "never");

        APIGatewayV2HTTPResponse response = post(patient, qr);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(422);
        assertThat(errors(response)).containsExactly("system-required");
        assertNothingStoredOrEnqueued(patient);
    }

    @Test
    void itemsOutOfTheQuestionnairesOrderAreRefused() {
        Participant patient = TestRequests.newPatient();
        ObjectNode qr = response(PRO_CTCAE);
        coded(qr, "fatigue-severity", CTCAE, "none");
        coded(qr, "nausea-frequency", CTCAE, "never");
        coded(qr, "pain-frequency", CTCAE, "never");

        APIGatewayV2HTTPResponse response = post(patient, qr);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(422);
        assertThat(errors(response)).containsExactly("out-of-order");
        assertNothingStoredOrEnqueued(patient);
    }

    @Test
    void aRetiredVersionTakesNoNewResponseButItsStoredReportsStayReadable() {
        Participant patient = TestRequests.newPatient();
        ObjectNode qr = response("https://openepro.dev/fhir/Questionnaire/pro-ctcae|1.0.0");
        for (String[] a : new String[][] {
            {"nausea-frequency", "never"},
            {"nausea-severity", "none"},
            {"fatigue-severity", "none"},
            {"fatigue-interference", "not-at-all"},
            {"pain-frequency", "never"},
            {"pain-severity", "none"},
            {"pain-interference", "not-at-all"}
        }) {
            coded(qr, a[0], CTCAE, a[1]);
        }

        APIGatewayV2HTTPResponse response = post(patient, qr);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(422);
        assertThat(errors(response)).containsExactly("retired");
        assertNothingStoredOrEnqueued(patient);
    }
}
