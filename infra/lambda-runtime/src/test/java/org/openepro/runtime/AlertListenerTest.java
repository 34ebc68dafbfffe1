package org.openepro.runtime;

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

    @Test
    void aParticipantReminderPrintsItsIdsAndTheWindowEnd() {
        String envelope = """
                {"Type":"Notification","Message":"{\\"type\\":\\"schedule.reminder\\",\\"studyId\\":\\"STUDY-DEMO\\",\\"siteId\\":\\"SITE-01\\",\\"subjectId\\":\\"SUBJ-0101\\",\\"taskId\\":\\"pain-daily.2026-03-28.v1\\",\\"reminder\\":1,\\"of\\":2,\\"windowEnd\\":\\"2026-03-28T23:00:00.000Z\\"}"}
                """;

        assertThat(AlertListener.reminderLine(envelope))
                .isEqualTo(
                        "REMINDER  study=STUDY-DEMO site=SITE-01 "
                                + "subject=SUBJ-0101 task=pain-daily.2026-03-28.v1 (1 of 2) window ends 2026-03-28T23:00:00.000Z");
    }
}
