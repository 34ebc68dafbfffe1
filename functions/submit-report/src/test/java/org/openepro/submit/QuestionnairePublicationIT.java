package org.openepro.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openepro.submit.StackAssertions.auditEvents;
import static org.openepro.submit.StackAssertions.reports;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openepro.core.id.Participant;
import org.openepro.core.id.SiteId;
import org.openepro.core.id.StudyId;
import org.openepro.core.id.SubjectId;
import org.openepro.core.json.Json;
import org.openepro.core.questionnaire.SampleResponses;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedStack;
import org.openepro.emulator.SampleEvents;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Study-published questionnaires through the real handlers against the emulator: a study designer
 * publishes, the study's patients see and answer it (in German too), another study's patients can
 * neither see nor answer it, a url|version never changes, and what is outside the subset is refused
 * with every element listed. In every refusal nothing is stored.
 */
@ExtendWith(AwsEmulatorExtension.class)
class QuestionnairePublicationIT {
    private static final String YN = "https://example.org/fhir/CodeSystem/yes-no";
    private static final String REST = "https://example.org/fhir/CodeSystem/rested";

    private EmulatedStack stack;
    private QuestionnaireAdminHandler admin;
    private SubmitReportHandler submit;

    @BeforeEach
    void wire(EmulatedStack stack) {
        this.stack = stack;
        this.admin = new QuestionnaireAdminHandler(QuestionnaireAdminWiring.of(
                QuestionnaireAdminConfig.fromEnv(stack.env("QuestionnaireAdminFunction")),
                stack.clients(),
                java.time.Clock.systemUTC()));
        this.submit = new SubmitReportHandler(
                SubmitWiring.builder(SubmitConfig.fromEnv(stack.env("SubmitReportFunction")), stack.clients())
                        .build());
    }

    /** The sample diary of events/publish-questionnaire.json, under a URL of this study. */
    private static ObjectNode diary(String studyId, String version) {
        ObjectNode q = (ObjectNode) TestRequests.json(
                SampleEvents.httpApi("publish-questionnaire.json").getBody());
        q.put("url", "https://example.org/studies/" + studyId + "/Questionnaire/sleep-diary");
        q.put("version", version);
        return q;
    }

    private APIGatewayV2HTTPResponse publish(
            String studyId, JsonNode questionnaire, List<String> studies, String roles, List<String> scopes) {
        APIGatewayV2HTTPEvent event = SampleEvents.httpApi("publish-questionnaire.json");
        event.setRawPath("/v1/studies/" + studyId + "/questionnaires");
        event.setPathParameters(Map.of("studyId", studyId));
        Map<String, String> claims =
                new HashMap<>(event.getRequestContext().getAuthorizer().getJwt().getClaims());
        claims.put("studies", "[" + String.join(" ", studies) + "]");
        claims.put("roles", "[" + roles + "]");
        claims.put("scope", String.join(" ", scopes));
        claims.put("sub", UUID.randomUUID().toString());
        event.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
        event.getRequestContext().getAuthorizer().getJwt().setScopes(scopes);
        event.setBody(questionnaire.toString());
        return admin.handleRequest(event, null);
    }

    private APIGatewayV2HTTPResponse publish(String studyId, JsonNode questionnaire) {
        return publish(studyId, questionnaire, List.of(studyId), "study-designer", List.of("epro/admin"));
    }

    private APIGatewayV2HTTPResponse selectBuiltIns(String studyId, String body) {
        APIGatewayV2HTTPEvent event = SampleEvents.httpApi("publish-questionnaire.json");
        event.setRouteKey("PUT /v1/studies/{studyId}/built-in-questionnaires");
        event.setRawPath("/v1/studies/" + studyId + "/built-in-questionnaires");
        event.setPathParameters(Map.of("studyId", studyId));
        Map<String, String> claims =
                new HashMap<>(event.getRequestContext().getAuthorizer().getJwt().getClaims());
        claims.put("studies", "[" + studyId + "]");
        event.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
        event.setHeaders(Map.of("content-type", "application/json"));
        event.setBody(body);
        return admin.handleRequest(event, null);
    }

    private static Participant patientOf(String studyId) {
        return Participant.of(
                StudyId.of(studyId),
                SiteId.of("SITE-01"),
                SubjectId.of("SUBJ-" + UUID.randomUUID().toString().substring(0, 8)));
    }

    private static ObjectNode response(String canonical, String language) {
        ObjectNode qr = SampleResponses.envelope(
                canonical, SampleResponses.authored(Instant.now().minus(5, ChronoUnit.MINUTES), ZoneOffset.ofHours(1)));
        if (language != null) {
            qr.put("language", language);
        }
        ArrayNode items = qr.putArray("item");
        ObjectNode slept = items.addObject().put("linkId", "slept-well");
        slept.putArray("answer")
                .addObject()
                .putObject("valueCoding")
                .put("system", YN)
                .put("code", "no");
        ObjectNode night = items.addObject().put("linkId", "night");
        night.putArray("item")
                .addObject()
                .put("linkId", "awake-times")
                .putArray("answer")
                .addObject()
                .put("valueInteger", 6);
        ObjectNode rested = items.addObject().put("linkId", "rested");
        rested.putArray("answer")
                .addObject()
                .putObject("valueCoding")
                .put("system", REST)
                .put("code", "a-little");
        return qr;
    }

    private APIGatewayV2HTTPResponse post(SubmitReportHandler handler, Participant patient, ObjectNode body) {
        APIGatewayV2HTTPEvent event = TestRequests.sample("submit-phq9.json", patient);
        event.setBody(body.toString());
        return handler.handleRequest(event, null);
    }

    private APIGatewayV2HTTPResponse get(
            SubmitReportHandler handler,
            Participant patient,
            String path,
            Map<String, String> query,
            Map<String, String> headers) {
        boolean one = !path.equals("/v1/questionnaires");
        APIGatewayV2HTTPEvent event = TestRequests.route(
                TestRequests.sample("submit-phq9.json", patient),
                "GET",
                path,
                one ? "GET /v1/questionnaires/{questionnaireId}" : "GET /v1/questionnaires",
                one ? Map.of("questionnaireId", path.substring(path.lastIndexOf('/') + 1)) : null);
        event.setQueryStringParameters(query);
        Map<String, String> h = new HashMap<>(event.getHeaders());
        h.putAll(headers);
        event.setHeaders(h);
        return handler.handleRequest(event, null);
    }

    private static List<String> canonicals(APIGatewayV2HTTPResponse bundle) {
        return TestRequests.json(bundle).path("entry").findValues("resource").stream()
                .map(r -> r.path("url").asText() + "|" + r.path("version").asText())
                .toList();
    }

    private Map<String, AttributeValue> stored(String canonical) {
        return stack.clients()
                .dynamo()
                .getItem(b -> b.tableName(stack.ref("QuestionnairesTable"))
                        .key(Map.of("pk", AttributeValue.fromS("Q#" + canonical), "sk", AttributeValue.fromS("Q"))))
                .item();
    }

    private static String study() {
        return "STUDY-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aStudyPublishesAQuestionnaireItsPatientAnswersItAndAnotherStudysPatientCanNeitherSeeNorAnswerIt() {
        // GIVEN study A publishes its diary
        String a = study();
        String b = study();
        ObjectNode diary = diary(a, "1.0.0");
        String canonical = diary.path("url").asText() + "|1.0.0";

        APIGatewayV2HTTPResponse published = publish(a, diary);

        // THEN 201, stored under its canonical, audited as a publication by the designer
        assertThat(published.getStatusCode()).as(published.getBody()).isEqualTo(201);
        assertThat(published.getHeaders()).containsEntry("location", "/v1/questionnaires/sleep-diary?version=1.0.0");
        assertThat(TestRequests.json(published).path("questionnaire").asText()).isEqualTo(canonical);
        assertThat(stored(canonical)).containsEntry("studyId", AttributeValue.fromS(a));
        assertThat(auditEvents(stack, a)).singleElement().satisfies(e -> {
            assertThat(e.get("action").s()).isEqualTo("QUESTIONNAIRE_PUBLISHED");
            assertThat(e.get("entityId").s()).isEqualTo(canonical);
            assertThat(e.get("actorRole").s()).isEqualTo("study-designer");
        });

        // WHEN a patient of A looks and answers, and a patient of B tries the same
        Participant ofA = patientOf(a);
        Participant ofB = patientOf(b);
        APIGatewayV2HTTPResponse listA = get(submit, ofA, "/v1/questionnaires", null, Map.of());
        APIGatewayV2HTTPResponse listB = get(submit, ofB, "/v1/questionnaires", null, Map.of());
        APIGatewayV2HTTPResponse answeredA = post(submit, ofA, response(canonical, null));
        APIGatewayV2HTTPResponse answeredB = post(submit, ofB, response(canonical, null));
        APIGatewayV2HTTPResponse oneB = get(submit, ofB, "/v1/questionnaires/sleep-diary", null, Map.of());

        // THEN A sees it next to the built-ins and its report is stored and scored; B sees only the built-ins,
        // cannot fetch it (404) and its answer is refused as unknown, with nothing stored
        assertThat(canonicals(listA)).contains(canonical, "https://openepro.dev/fhir/Questionnaire/phq-9|1.1.0");
        assertThat(canonicals(listB))
                .doesNotContain(canonical)
                .contains("https://openepro.dev/fhir/Questionnaire/phq-9|1.1.0");
        assertThat(answeredA.getStatusCode()).as(answeredA.getBody()).isEqualTo(201);
        assertThat(TestRequests.json(answeredA).path("scores").findValuesAsText("id"))
                .containsExactly("rested");
        assertThat(reports(stack, ofA))
                .singleElement()
                .satisfies(r -> assertThat(r.get("questionnaireUrl").s())
                        .isEqualTo(diary.path("url").asText()));
        assertThat(answeredB.getStatusCode()).isEqualTo(422);
        assertThat(TestRequests.errorCodes(answeredB)).containsExactly("unknown-questionnaire");
        assertThat(reports(stack, ofB)).isEmpty();
        assertThat(oneB.getStatusCode()).isEqualTo(404);
    }

    @Test
    void theSameContentAgainIsAlreadyPublishedAndOtherContentUnderTheSameVersionIs409() {
        String study = study();
        ObjectNode diary = diary(study, "1.0.0");
        String canonical = diary.path("url").asText() + "|1.0.0";
        assertThat(publish(study, diary).getStatusCode()).isEqualTo(201);

        // WHEN the same resource is PUT again with its keys reordered, then with one corrected text
        ObjectNode reordered = Json.mapper().createObjectNode();
        reordered.set("item", diary.get("item"));
        diary.properties().forEach(e -> reordered.set(e.getKey(), e.getValue()));
        APIGatewayV2HTTPResponse again = publish(study, reordered);
        ObjectNode corrected = diary.deepCopy();
        ((ObjectNode) corrected.withArray("item").get(2)).put("text", "How rested do you feel now?");
        APIGatewayV2HTTPResponse changed = publish(study, corrected);

        // THEN the repeat is 200 and audited once only; the change is 409 and the stored content is unchanged
        assertThat(again.getStatusCode()).as(again.getBody()).isEqualTo(200);
        assertThat(TestRequests.json(again).path("alreadyPublished").asBoolean())
                .isTrue();
        assertThat(changed.getStatusCode()).isEqualTo(409);
        assertThat(TestRequests.json(changed).path("detail").asText()).contains("new version");
        assertThat(stored(canonical).get("json").s()).doesNotContain("How rested do you feel now?");
        assertThat(auditEvents(stack, study)).hasSize(1);
    }

    @Test
    void anotherStudyCannotPublishUnderAStudysCanonical() {
        String owner = study();
        String other = study();
        ObjectNode diary = diary(owner, "1.0.0");
        assertThat(publish(owner, diary).getStatusCode()).isEqualTo(201);

        APIGatewayV2HTTPResponse taken = publish(other, diary);

        assertThat(taken.getStatusCode()).isEqualTo(409);
        assertThat(auditEvents(stack, other)).isEmpty();
    }

    @Test
    void anythingOutsideTheSubsetIsRefusedWithEveryElementListedAndNothingStored() {
        String study = study();
        ObjectNode diary = diary(study, "1.0.0");
        diary.putArray("contained");
        ((ObjectNode) diary.withArray("item").get(0)).put("answerValueSet", "http://loinc.org/vs/LL361-7");
        diary.withArray("item").addObject().put("linkId", "photo").put("type", "attachment");

        APIGatewayV2HTTPResponse refused = publish(study, diary);

        assertThat(refused.getStatusCode()).isEqualTo(422);
        assertThat(refused.getHeaders()).containsEntry("content-type", "application/problem+json");
        assertThat(TestRequests.json(refused).path("errors").findValuesAsText("pointer"))
                .contains("/contained", "/item/0/answerValueSet", "/item/3/type");
        assertThat(stored(diary.path("url").asText() + "|1.0.0")).isEmpty();
        assertThat(auditEvents(stack, study)).isEmpty();
    }

    @Test
    void onlyAStudyDesignerOfThatStudyPublishes() {
        String study = study();
        ObjectNode diary = diary(study, "1.0.0");

        APIGatewayV2HTTPResponse noRole =
                publish(study, diary, List.of(study), "export-identified", List.of("epro/admin"));
        APIGatewayV2HTTPResponse otherStudy =
                publish(study, diary, List.of("STUDY-OTHER"), "study-designer", List.of("epro/admin"));
        APIGatewayV2HTTPResponse noScope =
                publish(study, diary, List.of(study), "study-designer", List.of("epro/export"));

        assertThat(List.of(noRole.getStatusCode(), otherStudy.getStatusCode(), noScope.getStatusCode()))
                .containsExactly(403, 403, 403);
        assertThat(stored(diary.path("url").asText() + "|1.0.0")).isEmpty();
    }

    @Test
    void retiringAVersionStopsNewResponsesToItAndKeepsItsReports() {
        String study = study();
        ObjectNode diary = diary(study, "1.0.0");
        String canonical = diary.path("url").asText() + "|1.0.0";
        assertThat(publish(study, diary).getStatusCode()).isEqualTo(201);
        Participant patient = patientOf(study);
        assertThat(post(submit, patient, response(canonical, null)).getStatusCode())
                .isEqualTo(201);

        // WHEN the designer publishes 1.1.0 and retires 1.0.0 (the same content with status retired)
        assertThat(publish(study, diary(study, "1.1.0")).getStatusCode()).isEqualTo(201);
        APIGatewayV2HTTPResponse retired = publish(study, diary.deepCopy().put("status", "retired"));
        APIGatewayV2HTTPResponse unretire = publish(study, diary);

        // THEN the retirement is audited; a retired version stays retired
        assertThat(retired.getStatusCode()).as(retired.getBody()).isEqualTo(200);
        assertThat(TestRequests.json(retired).path("status").asText()).isEqualTo("retired");
        assertThat(auditEvents(stack, study))
                .extracting(e -> e.get("action").s())
                .filteredOn(a -> a.startsWith("QUESTIONNAIRE"))
                .containsExactlyInAnyOrder(
                        "QUESTIONNAIRE_PUBLISHED", "QUESTIONNAIRE_PUBLISHED", "QUESTIONNAIRE_RETIRED");
        assertThat(unretire.getStatusCode()).isEqualTo(409);

        // AND a container that reads the study afresh refuses 1.0.0 and takes 1.1.0; the report stays
        SubmitReportHandler fresh = new SubmitReportHandler(
                SubmitWiring.builder(SubmitConfig.fromEnv(stack.env("SubmitReportFunction")), stack.clients())
                        .build());
        APIGatewayV2HTTPResponse toOld = post(fresh, patient, response(canonical, null));
        APIGatewayV2HTTPResponse toNew =
                post(fresh, patient, response(diary.path("url").asText() + "|1.1.0", null));
        assertThat(toOld.getStatusCode()).isEqualTo(422);
        assertThat(TestRequests.errorCodes(toOld)).containsExactly("retired");
        assertThat(toNew.getStatusCode()).as(toNew.getBody()).isEqualTo(201);
        assertThat(reports(stack, patient))
                .extracting(r -> r.get("questionnaireVersion").s())
                .containsExactlyInAnyOrder("1.0.0", "1.1.0");
    }

    @Test
    void aGermanSubmissionIsRenderedAndStoredInGermanAndALanguageTheQuestionnaireLacksIsRefused() {
        String study = study();
        ObjectNode diary = diary(study, "1.0.0");
        String canonical = diary.path("url").asText() + "|1.0.0";
        assertThat(publish(study, diary).getStatusCode()).isEqualTo(201);
        Participant patient = patientOf(study);

        // WHEN the app asks for German (explicitly, then by Accept-Language) and for French
        APIGatewayV2HTTPResponse german =
                get(submit, patient, "/v1/questionnaires/sleep-diary", Map.of("lang", "de"), Map.of());
        APIGatewayV2HTTPResponse swiss =
                get(submit, patient, "/v1/questionnaires", null, Map.of("accept-language", "de-CH, en;q=0.5"));
        APIGatewayV2HTTPResponse french =
                get(submit, patient, "/v1/questionnaires/sleep-diary", Map.of("lang", "fr"), Map.of());

        // THEN the texts are the study's German ones; French is 422
        assertThat(german.getStatusCode()).isEqualTo(200);
        JsonNode de = TestRequests.json(german);
        assertThat(de.path("language").asText()).isEqualTo("de");
        assertThat(de.path("item").get(0).path("text").asText()).isEqualTo("Haben Sie letzte Nacht gut geschlafen?");
        assertThat(de.path("item")
                        .get(0)
                        .path("answerOption")
                        .get(1)
                        .path("valueCoding")
                        .path("display")
                        .asText())
                .isEqualTo("Nein");
        assertThat(de.path("item").get(1).path("item").get(0).path("text").asText())
                .isEqualTo("Wie oft waren Sie wach?");
        JsonNode bundled = TestRequests.json(swiss).path("entry").findValues("resource").stream()
                .filter(r -> r.path("id").asText().equals("sleep-diary"))
                .findFirst()
                .orElseThrow();
        assertThat(bundled.path("title").asText()).isEqualTo("Schlaftagebuch");
        assertThat(french.getStatusCode()).isEqualTo(422);

        // WHEN the patient answers in German, with the German texts, and once in French
        ObjectNode answer = response(canonical, "de");
        ((ObjectNode) answer.withArray("item").get(0)).put("text", "Haben Sie letzte Nacht gut geschlafen?");
        ((ObjectNode) answer.withArray("item").get(0).withArray("answer").get(0).get("valueCoding"))
                .put("display", "Nein");
        APIGatewayV2HTTPResponse stored = post(submit, patient, answer);
        APIGatewayV2HTTPResponse inFrench = post(submit, patient, response(canonical, "fr"));

        // THEN the report records language de, no text difference, and the definition's English display
        assertThat(stored.getStatusCode()).as(stored.getBody()).isEqualTo(201);
        Map<String, AttributeValue> report = reports(stack, patient).get(0);
        assertThat(report.get("language").s()).isEqualTo("de");
        assertThat(report).doesNotContainKey("textDiffers");
        assertThat(report.get("answers").l().get(0).m().get("d").s()).isEqualTo("No");
        assertThat(inFrench.getStatusCode()).isEqualTo(422);
        assertThat(TestRequests.errorCodes(inFrench)).containsExactly("unknown-language");
        assertThat(reports(stack, patient)).hasSize(1);
    }

    @Test
    void theCatalogueCarriesAnETagAndAnUnchangedOneIs304() {
        Participant patient = patientOf(study());

        APIGatewayV2HTTPResponse first = get(submit, patient, "/v1/questionnaires", null, Map.of());
        String etag = first.getHeaders().get("etag");
        APIGatewayV2HTTPResponse unchanged =
                get(submit, patient, "/v1/questionnaires", null, Map.of("if-none-match", etag));
        APIGatewayV2HTTPResponse stale =
                get(submit, patient, "/v1/questionnaires", null, Map.of("if-none-match", "\"0000\""));

        assertThat(etag).matches("\"[0-9a-f]{32}\"");
        assertThat(first.getHeaders()).containsEntry("cache-control", "private, no-cache");
        assertThat(unchanged.getStatusCode()).isEqualTo(304);
        assertThat(unchanged.getBody()).isEmpty();
        assertThat(unchanged.getHeaders()).containsEntry("etag", etag);
        assertThat(stale.getStatusCode()).isEqualTo(200);
        assertThat(stale.getHeaders()).containsEntry("etag", etag);
    }

    @Test
    void aStudyThatChoosesItsBuiltInsOffersOnlyThose() {
        String study = study();
        Participant patient = patientOf(study);

        APIGatewayV2HTTPResponse chosen =
                selectBuiltIns(study, "{\"use\": [\"https://openepro.dev/fhir/Questionnaire/pain-nrs|1.0.0\"]}");
        APIGatewayV2HTTPResponse unknown = selectBuiltIns(study, "{\"use\": [\"https://example.org/Q/none|1\"]}");

        assertThat(chosen.getStatusCode()).as(chosen.getBody()).isEqualTo(200);
        assertThat(unknown.getStatusCode()).isEqualTo(422);
        assertThat(canonicals(get(submit, patient, "/v1/questionnaires", null, Map.of())))
                .containsExactly("https://openepro.dev/fhir/Questionnaire/pain-nrs|1.0.0");
        APIGatewayV2HTTPEvent phq9 = TestRequests.sample("submit-phq9.json", patient);
        assertThat(TestRequests.errorCodes(submit.handleRequest(phq9, null))).containsExactly("unknown-questionnaire");
        assertThat(submit.handleRequest(TestRequests.sample("submit-pain-nrs.json", patient), null)
                        .getStatusCode())
                .isEqualTo(201);
        assertThat(auditEvents(stack, study))
                .extracting(e -> e.get("action").s())
                .containsExactlyInAnyOrder("QUESTIONNAIRES_SELECTED", "REPORT_CREATED");
    }
}
