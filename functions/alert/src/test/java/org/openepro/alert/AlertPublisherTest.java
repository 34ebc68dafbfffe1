package org.openepro.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openepro.core.json.Json;
import org.openepro.core.questionnaire.AlertRule;
import org.openepro.core.report.Answer;
import org.openepro.core.report.Report;
import org.openepro.emulator.SampleReports;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;

class AlertPublisherTest {
    private static final String TOPIC = "arn:aws:sns:eu-west-1:123456789012:nurse-alerts";

    /** Records what would have gone to SNS. */
    static final class RecordingSns implements SnsClient {
        final List<PublishRequest> published = new ArrayList<>();

        @Override
        public PublishResponse publish(PublishRequest request) {
            published.add(request);
            return PublishResponse.builder().messageId("m-" + published.size()).build();
        }

        @Override
        public String serviceName() {
            return "sns";
        }

        @Override
        public void close() {}
    }

    @Test
    void publishesIdsRuleSeverityAndLinkWithFilterAttributesAndNothingThePatientWrote() throws Exception {
        // GIVEN an URGENT PHQ-9 alert on a report whose answers have displays like "Nearly every day"
        Report report = SampleReports.of("phq-9")
                .site("SITE-07")
                .answerAll(
                        List.of(
                                "44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3",
                                "44260-8"),
                        3)
                .build();
        AlertRule rule = SampleReports.registry()
                .latest("phq-9")
                .orElseThrow()
                .alertRules()
                .get(0);
        AlertRecord alert = AlertRecord.raise(report, rule, Instant.parse("2026-11-27T09:31:00Z"));
        RecordingSns sns = new RecordingSns();

        // WHEN it is published
        String messageId = new AlertPublisher(sns, TOPIC).publish(alert);

        // THEN one message with ids only, a fixed subject and the three filter attributes
        assertThat(messageId).isEqualTo("m-1");
        PublishRequest request = sns.published.get(0);
        assertThat(request.topicArn()).isEqualTo(TOPIC);
        assertThat(request.subject()).isEqualTo(AlertPublisher.SUBJECT);
        assertThat(request.messageAttributes()).containsOnlyKeys("alertId", "studyId", "siteId", "severity");
        // subscribers drop a republication by this id: the same as the stored alert's and the body's
        assertThat(request.messageAttributes().get("alertId").stringValue())
                .isEqualTo(alert.alertId())
                .isEqualTo(AlertRecord.alertId(report.reportId(), rule.id()));
        assertThat(request.messageAttributes().get("siteId").stringValue()).isEqualTo("SITE-07");
        assertThat(request.messageAttributes().get("severity").stringValue()).isEqualTo("URGENT");
        assertThat(request.messageAttributes().values())
                .allSatisfy(v -> assertThat(v.dataType()).isEqualTo("String"));
        JsonNode body = Json.mapper().readTree(request.message());
        assertThat(body.properties())
                .extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder(
                        "type",
                        "alertId",
                        "reportId",
                        "version",
                        "studyId",
                        "siteId",
                        "subjectId",
                        "ruleId",
                        "severity",
                        "questionnaire",
                        "raisedAt",
                        "link");
        assertThat(body.get("alertId").asText()).isEqualTo(AlertRecord.alertId(report.reportId(), rule.id()));
        assertThat(body.get("link").asText()).isEqualTo("/v1/alerts/" + alert.alertId());
        assertThat(body.get("questionnaire").asText()).isEqualTo(report.questionnaireCanonical());
        // AND nothing of the answers, the scores or the rule's wording
        for (Answer a : report.answers()) {
            assertThat(request.message()).doesNotContain(a.display()).doesNotContain(a.code());
        }
        assertThat(request.message())
                .doesNotContain(rule.description())
                .doesNotContain("Not at all")
                .doesNotContain("\"27\"")
                .doesNotContain(":27")
                .doesNotContain("severe");
        assertThat(request.subject()).doesNotContain(report.subjectId()).doesNotContain(report.studyId());
    }
}
