package org.openepro.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AlertListenerTest {
    @Test
    void readsSeverityStudyAndSiteFromTheMessageAttributesAndRuleAndIdFromTheMessage() {
        String envelope = """
                {"Type":"Notification","MessageId":"m-1","TopicArn":"arn:aws:sns:eu-west-1:123456789012:alerts",
                 "Message":"{\\"alertId\\":\\"A-1\\",\\"ruleId\\":\\"phq9-item9-self-harm\\",\\"severity\\":\\"URGENT\\"}",
                 "MessageAttributes":{"severity":{"Type":"String","Value":"URGENT"},
                                      "studyId":{"Type":"String","Value":"S1"},
                                      "siteId":{"Type":"String","Value":"SITE-01"}}}
                """;

        AlertListener.ReceivedAlert alert = AlertListener.parse(envelope);

        assertThat(alert.line()).isEqualTo("ALERT  URGENT  study=S1 site=SITE-01 rule=phq9-item9-self-harm alert=A-1");
        assertThat(alert.attributes()).containsEntry("studyId", "S1");
    }

    @Test
    void fallsBackToTheMessageAndMarksWhatIsMissing() {
        String envelope = """
                {"Type":"Notification","Message":"{\\"id\\":\\"A-2\\",\\"rule\\":{\\"id\\":\\"pain-nrs-severe\\"},\\"studyId\\":\\"S2\\"}"}
                """;

        AlertListener.ReceivedAlert alert = AlertListener.parse(envelope);

        assertThat(alert.line()).isEqualTo("ALERT  -       study=S2 site=- rule=pain-nrs-severe alert=A-2");
    }

    @Test
    void aMessageThatIsNotJsonStillPrintsALine() {
        assertThat(AlertListener.parse("plain text").line()).isEqualTo("ALERT  -       study=- site=- rule=- alert=-");
    }
}
