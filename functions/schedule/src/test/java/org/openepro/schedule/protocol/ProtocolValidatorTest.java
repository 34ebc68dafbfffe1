package org.openepro.schedule.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openepro.core.http.Problem.FieldError;
import org.openepro.core.json.Json;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.questionnaire.Severity;

class ProtocolValidatorTest {
    private final ProtocolValidator validator =
            new ProtocolValidator(QuestionnaireLookup.builtIn(QuestionnaireRegistry.load()));

    static JsonNode json(String s) throws Exception {
        return Json.mapper().readTree(s.replace('\'', '"'));
    }

    static final String DEMO = """
            {'effectiveFrom': '2026-03-01',
             'sites': [{'siteId': 'SITE-01', 'timeZone': 'Europe/Berlin'}, {'siteId': 'SITE-02', 'timeZone': 'America/New_York'}],
             'entries': [
               {'id': 'pain-daily', 'questionnaire': 'https://openepro.dev/fhir/Questionnaire/pain-nrs|1.0.0',
                'recurrence': {'type': 'daily', 'at': '20:00'},
                'window': {'opens': 'PT0S', 'closes': 'PT4H'}, 'reminders': ['PT0S', 'PT2H'],
                'missedAlert': {'consecutive': 3, 'severity': 'MEDIUM'}},
               {'id': 'phq9-weekly', 'questionnaire': 'https://openepro.dev/fhir/Questionnaire/phq-9|1.1.0',
                'recurrence': {'type': 'weekly', 'dayOfWeek': 'MONDAY', 'at': '09:00'},
                'window': {'opens': 'PT0S', 'closes': 'P2D'}, 'reminders': ['PT1H'], 'end': {'afterOccurrences': 12}},
               {'id': 'visits', 'questionnaire': 'https://openepro.dev/fhir/Questionnaire/eq-5d-5l|1.0.0',
                'recurrence': {'type': 'enrollment', 'days': [0, 28, 84], 'at': '10:00'},
                'window': {'opens': '-PT2H', 'closes': 'PT6H'}},
               {'id': 'gad7', 'questionnaire': 'https://openepro.dev/fhir/Questionnaire/gad-7|1.1.0',
                'recurrence': {'type': 'every-n-days', 'intervalDays': 14, 'at': '18:30', 'startDay': 1},
                'window': {'opens': 'PT0S', 'closes': 'PT12H'}, 'end': {'lastDay': 180}}]}
            """;

    @Test
    void readsEveryRecurrenceKindOfAValidProtocol() throws Exception {
        var result = validator.validate("STUDY-T", json(DEMO), Optional.empty());

        assertThat(result.errors()).isEmpty();
        Protocol p = result.protocol();
        assertThat(p.effectiveFrom()).isEqualTo(LocalDate.parse("2026-03-01"));
        assertThat(p.sites()).extracting(Site::siteId).containsExactly("SITE-01", "SITE-02");
        assertThat(p.entries().get(0).recurrence()).isInstanceOf(Recurrence.Daily.class);
        assertThat(p.entries().get(0).reminders()).containsExactly(Duration.ZERO, Duration.ofHours(2));
        assertThat(p.entries().get(0).missedAlert().severity()).isEqualTo(Severity.MEDIUM);
        assertThat(((Recurrence.Weekly) p.entries().get(1).recurrence()).dayOfWeek())
                .isEqualTo(DayOfWeek.MONDAY);
        assertThat(p.entries().get(1).end().afterOccurrences()).hasValue(12);
        assertThat(((Recurrence.EnrollmentDays) p.entries().get(2).recurrence()).days())
                .containsExactly(0, 28, 84);
        assertThat(p.entries().get(2).opens()).isEqualTo(Duration.ofHours(-2));
        assertThat(((Recurrence.EveryNDays) p.entries().get(3).recurrence()).intervalDays())
                .isEqualTo(14);
        assertThat(p.entries().get(3).end().lastDay()).hasValue(180);
    }

    @Test
    void reportsEveryFieldErrorAtOnce() throws Exception {
        // GIVEN an unknown questionnaire, an unknown zone, a reminder after the close, and a daily window
        // of 25 hours that overlaps the next day's
        String doc = """
                {'effectiveFrom': '2026-03-01',
                 'sites': [{'siteId': 'SITE-01', 'timeZone': 'Europe/Berlinn'}, {'siteId': 'SITE-02', 'timeZone': 'Asia/Kolkata'}],
                 'entries': [
                   {'id': 'a', 'questionnaire': 'https://example.org/Questionnaire/nope|9',
                    'recurrence': {'type': 'daily', 'at': '20:00'}, 'window': {'opens': 'PT0S', 'closes': 'PT4H'},
                    'reminders': ['PT5H']},
                   {'id': 'b', 'questionnaire': 'https://openepro.dev/fhir/Questionnaire/pain-nrs|1.0.0',
                    'recurrence': {'type': 'daily', 'at': '08:00'}, 'window': {'opens': 'PT0S', 'closes': 'PT25H'}}]}
                """;

        var result = validator.validate("STUDY-T", json(doc), Optional.empty());

        // THEN each is a field error with its pointer and code
        assertThat(result.valid()).isFalse();
        assertThat(result.errors())
                .extracting(FieldError::pointer, FieldError::code)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("/sites/0/timeZone", "unknown-time-zone"),
                        org.assertj.core.groups.Tuple.tuple("/entries/0/questionnaire", "unknown-questionnaire"),
                        org.assertj.core.groups.Tuple.tuple("/entries/0/reminders/0", "reminder-outside-window"),
                        org.assertj.core.groups.Tuple.tuple("/entries/1/window", "overlapping-windows"));
    }

    @Test
    void twoEntriesOfOneQuestionnaireWhoseWindowsOverlapAreRefused() throws Exception {
        // GIVEN a weekly Monday 09:00 window of two days and visits on days 0 and 7 at 10:00: for a
        // subject enrolled on a Monday or Tuesday they overlap
        String doc = """
                {'effectiveFrom': '2026-03-04',
                 'sites': [{'siteId': 'SITE-01', 'timeZone': 'Europe/Berlin'}],
                 'entries': [
                   {'id': 'weekly', 'questionnaire': 'https://openepro.dev/fhir/Questionnaire/phq-9|1.1.0',
                    'recurrence': {'type': 'weekly', 'dayOfWeek': 'MONDAY', 'at': '09:00'},
                    'window': {'opens': 'PT0S', 'closes': 'P2D'}},
                   {'id': 'visit', 'questionnaire': 'https://openepro.dev/fhir/Questionnaire/phq-9|1.1.0',
                    'recurrence': {'type': 'enrollment', 'days': [0, 7], 'at': '10:00'},
                    'window': {'opens': 'PT0S', 'closes': 'PT8H'}}]}
                """;

        var result = validator.validate("STUDY-T", json(doc), Optional.empty());

        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.pointer()).isEqualTo("/entries/1/window");
            assertThat(e.code()).isEqualTo("overlapping-windows");
            assertThat(e.detail()).contains("weekly").contains("visit");
        });
    }

    @Test
    void aDailyWindowOfTwentyFourHoursOverlapsOnlyOnTheSpringForwardDayAndIsRefused() throws Exception {
        // 20:00 to 20:00 the next day is 23 elapsed hours on the day the clock goes forward: a 24 h window overlaps
        String doc = """
                {'effectiveFrom': '2026-03-01', 'sites': [{'siteId': 'S', 'timeZone': 'Europe/Berlin'}],
                 'entries': [{'id': 'a', 'questionnaire': 'https://openepro.dev/fhir/Questionnaire/pain-nrs|1.0.0',
                   'recurrence': {'type': 'daily', 'at': '01:00'}, 'window': {'opens': 'PT0S', 'closes': 'PT24H'}}]}
                """;
        var berlin = validator.validate("STUDY-T", json(doc), Optional.empty());
        var kolkata =
                validator.validate("STUDY-T", json(doc.replace("Europe/Berlin", "Asia/Kolkata")), Optional.empty());

        assertThat(berlin.errors()).extracting(FieldError::code).containsExactly("overlapping-windows");
        assertThat(kolkata.errors()).isEmpty();
    }

    @Test
    void shapeErrorsArePointedAt() throws Exception {
        String doc = """
                {'sites': [], 'entries': [{'id': 'bad id', 'questionnaire': 'x',
                  'recurrence': {'type': 'hourly', 'at': '25:00'}, 'window': {'opens': 'PT4H', 'closes': 'PT1H'},
                  'reminders': ['PT2H', 'PT1H'], 'end': {'afterOccurrences': 0},
                  'missedAlert': {'consecutive': 0, 'severity': 'SEVERE'}}]}
                """;

        var result = validator.validate("STUDY-T", json(doc), Optional.empty());

        assertThat(result.errors())
                .extracting(FieldError::pointer)
                .contains(
                        "/effectiveFrom",
                        "/sites",
                        "/entries/0/id",
                        "/entries/0/questionnaire",
                        "/entries/0/recurrence/at",
                        "/entries/0/recurrence/type",
                        "/entries/0/window/closes",
                        "/entries/0/end/afterOccurrences",
                        "/entries/0/missedAlert/consecutive",
                        "/entries/0/missedAlert/severity");
        assertThat(validator.validate("STUDY-T", json("[1]"), Optional.empty()).errors())
                .extracting(FieldError::code)
                .containsExactly("not-an-object");
    }

    @Test
    void aNewVersionMayNotTakeEffectBeforeThePreviousOne() throws Exception {
        Protocol previous = validator
                .validate("STUDY-T", json(DEMO), Optional.empty())
                .protocol()
                .withVersion(1)
                .withEffectiveFrom(LocalDate.parse("2026-04-01"));

        var result = validator.validate("STUDY-T", json(DEMO), Optional.of(previous));

        assertThat(result.errors())
                .extracting(FieldError::pointer, FieldError::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/effectiveFrom", "before-previous-version"));
    }

    @Test
    void aRetiredBuiltInVersionIsRefusedAndItsSuccessorAccepted() throws Exception {
        // phq-9 1.0.0 is retired in the registry (1.1.0 replaced it): its tasks could never be answered
        String retired = DEMO.replace("phq-9|1.1.0", "phq-9|1.0.0");

        assertThat(validator
                        .validate("STUDY-T", json(retired), Optional.empty())
                        .errors())
                .extracting(FieldError::pointer, FieldError::code)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("/entries/1/questionnaire", "retired-questionnaire"));
        assertThat(validator.validate("STUDY-T", json(DEMO), Optional.empty()).errors())
                .isEmpty();
    }
}
