package org.openepro.core.report;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One immutable version of a patient's report: validated answers, scores and pseudonymous ids.
 * A correction is a new version with a reason; nothing is overwritten.
 *
 * @param authored       device time as sent, with its UTC offset
 * @param authoredAt     the same instant, for ordering
 * @param receivedAt     server time this version was received
 * @param firstReceivedAt server time version 1 was received (the projections' key)
 * @param onTime         received within the questionnaire's submission window after it was authored
 * @param submittedBy    the token subject ({@code sub}) that submitted it, for the audit trail
 */
public record Report(String reportId, int version, String status, String studyId, String siteId, String subjectId,
                     String questionnaireId, String questionnaireUrl, String questionnaireVersion,
                     String authored, Instant authoredAt, Instant receivedAt, Instant firstReceivedAt,
                     List<Answer> answers, List<Score> scores, boolean onTime,
                     String amendmentReason, String submittedBy) {
    public Report {
        answers = List.copyOf(answers);
        scores = List.copyOf(scores);
    }

    public String questionnaireCanonical() {
        return questionnaireUrl + "|" + questionnaireVersion;
    }

    public Optional<Answer> answer(String linkId) {
        for (Answer a : answers) {
            if (a.linkId().equals(linkId)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    public Optional<Score> score(String id) {
        for (Score s : scores) {
            if (s.id().equals(id)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    public boolean amendment() {
        return version > 1;
    }

    public boolean hasFreeText() {
        return answers.stream().anyMatch(Answer::possiblyIdentifying);
    }
}
