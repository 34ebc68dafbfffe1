package org.openepro.submit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openepro.core.audit.Actor;
import org.openepro.core.audit.ActorRole;
import org.openepro.core.audit.AuditAction;
import org.openepro.core.audit.AuditEvent;
import org.openepro.core.audit.AuditLog;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.questionnaire.study.StudyCatalog;
import org.openepro.core.questionnaire.study.StudyQuestionnaireStore;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedStack;
import org.openepro.emulator.MutableClock;
import org.openepro.emulator.SampleEvents;

/**
 * The warm-container cache of each study's questionnaires, against the emulator's table: what it
 * promises (a publication answerable at once, a retirement within the TTL, no read on a fresh view,
 * bounded size) is what each test shows.
 */
@ExtendWith(AwsEmulatorExtension.class)
class StudyCatalogIT {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T09:00:00Z"));
    private StudyQuestionnaireStore store;
    private StudyCatalog catalog;

    @BeforeEach
    void wire(EmulatedStack stack) {
        store = new StudyQuestionnaireStore(
                stack.clients().dynamo(),
                stack.ref("QuestionnairesTable"),
                new AuditLog(stack.clients().dynamo(), stack.ref("AuditTable")));
        catalog = new StudyCatalog(QuestionnaireRegistry.load(), store, clock);
    }

    private StudyQuestionnaireStore.Stored publish(String study, String status) {
        ObjectNode q = (ObjectNode) TestRequests.json(
                SampleEvents.httpApi("publish-questionnaire.json").getBody());
        q.put("url", "https://example.org/studies/" + study + "/Questionnaire/sleep-diary");
        q.put("status", status);
        byte[] json = q.toString().getBytes(StandardCharsets.UTF_8);
        var stored = new StudyQuestionnaireStore.Stored(
                study,
                q.path("url").asText() + "|1.0.0",
                json,
                QuestionnairePublisher.contentHash(json),
                status,
                clock.instant(),
                "designer");
        store.create(stored, event(study, stored.canonical()));
        return stored;
    }

    private AuditEvent event(String study, String canonical) {
        return AuditEvent.of(
                        AuditAction.QUESTIONNAIRE_PUBLISHED,
                        new Actor("designer", EnumSet.of(ActorRole.STUDY_DESIGNER)),
                        clock.instant())
                .study(study)
                .entity(canonical)
                .build();
    }

    private static String study() {
        return "STUDY-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aPublicationIsAnswerableAtOnceInAWarmContainer() {
        // GIVEN a warm view of the study, read before the publication
        String study = study();
        assertThat(catalog.visible(study)).noneMatch(d -> d.id().equals("sleep-diary"));

        // WHEN the study publishes and, a second later, a response names it
        var stored = publish(study, "active");
        clock.advance(StudyCatalog.MISS_REFRESH);

        // THEN the unknown canonical makes the view re-read: found, and visible from now on
        assertThat(catalog.forResponse(study, stored.canonical())).isPresent();
        assertThat(catalog.visible(study)).anyMatch(d -> d.canonical().equals(stored.canonical()));
    }

    @Test
    void aFreshViewReadsNothingAndUnknownCanonicalsReadAtMostOnceASecond() {
        String study = study();
        var stored = publish(study, "active");
        catalog.visible(study);
        int reads = catalog.studyReads();

        for (int i = 0; i < 50; i++) {
            catalog.forResponse(study, stored.canonical());
            catalog.forResponse(study, "https://example.org/no-such|" + i);
        }

        assertThat(catalog.studyReads()).isEqualTo(reads);
        clock.advance(StudyCatalog.MISS_REFRESH);
        catalog.forResponse(study, "https://example.org/no-such|x");
        assertThat(catalog.studyReads()).isEqualTo(reads + 1);
    }

    @Test
    void aRetirementReachesAWarmContainerWithinTheTtl() {
        String study = study();
        var stored = publish(study, "active");
        assertThat(catalog.forResponse(study, stored.canonical()))
                .map(QuestionnaireDefinition::retired)
                .contains(false);

        // WHEN the version is retired
        store.retire(
                study,
                stored.canonical(),
                new String(stored.json(), StandardCharsets.UTF_8)
                        .replace("\"status\":\"active\"", "\"status\":\"retired\"")
                        .getBytes(StandardCharsets.UTF_8),
                clock.instant(),
                event(study, stored.canonical()));

        // THEN a warm view still has it active until its TTL ends, and retired after
        clock.advance(StudyCatalog.TTL.minusSeconds(1));
        assertThat(catalog.forResponse(study, stored.canonical()))
                .map(QuestionnaireDefinition::retired)
                .contains(false);
        clock.advance(Duration.ofSeconds(1));
        assertThat(catalog.forResponse(study, stored.canonical()))
                .map(QuestionnaireDefinition::retired)
                .contains(true);
        // AND a report answered with it stays readable
        assertThat(catalog.forReport(study, stored.canonical())).isPresent();
    }

    @Test
    void anotherStudysQuestionnaireIsNotFoundForResponsesOrReports() {
        String owner = study();
        var stored = publish(owner, "active");

        assertThat(catalog.forResponse(study(), stored.canonical())).isEmpty();
        assertThat(catalog.forReport(study(), stored.canonical())).isEmpty();
        assertThat(catalog.has(owner, stored.canonical())).isTrue();
        assertThat(catalog.has(owner, "https://openepro.dev/fhir/Questionnaire/phq-9|1.1.0"))
                .isTrue();
    }

    @Test
    void theCacheHoldsABoundedNumberOfStudies() {
        String first = study();
        catalog.visible(first);
        for (int i = 0; i < StudyCatalog.MAX_STUDIES; i++) {
            catalog.visible(study());
        }
        int reads = catalog.studyReads();

        catalog.visible(first);

        assertThat(catalog.studyReads())
                .as("the least recently used study was let go")
                .isEqualTo(reads + 1);
    }
}
