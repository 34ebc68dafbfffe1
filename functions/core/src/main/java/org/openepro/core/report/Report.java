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
 * @param language       the language the patient answered in (QuestionnaireResponse.language, or the
 *                       questionnaire's base language); null when neither names one
 * @param disabled       questions their enableWhen disabled and nothing stands for (exports leave them empty)
 * @param textDiffers    questions whose text or answer display as sent differed from the definition's
 *                       (recorded, never trusted: the stored answers carry the definition's texts)
 */
public record Report(String reportId, int version, String status, String studyId, String siteId, String subjectId,
                     String questionnaireId, String questionnaireUrl, String questionnaireVersion,
                     String authored, Instant authoredAt, Instant receivedAt, Instant firstReceivedAt,
                     List<Answer> answers, List<Score> scores, boolean onTime,
                     String amendmentReason, String submittedBy, String language, List<String> disabled,
                     List<String> textDiffers) {
    public Report {
        answers = List.copyOf(answers);
        scores = List.copyOf(scores);
        disabled = disabled == null ? List.of() : List.copyOf(disabled);
        textDiffers = textDiffers == null ? List.of() : List.copyOf(textDiffers);
    }

    /** A report without language, disabled items or text differences (reports stored before the engine recorded them). */
    public Report(String reportId, int version, String status, String studyId, String siteId, String subjectId,
                  String questionnaireId, String questionnaireUrl, String questionnaireVersion,
                  String authored, Instant authoredAt, Instant receivedAt, Instant firstReceivedAt,
                  List<Answer> answers, List<Score> scores, boolean onTime,
                  String amendmentReason, String submittedBy) {
        this(reportId, version, status, studyId, siteId, subjectId, questionnaireId, questionnaireUrl,
                questionnaireVersion, authored, authoredAt, receivedAt, firstReceivedAt, answers, scores, onTime,
                amendmentReason, submittedBy, null, List.of(), List.of());
    }

    /** Answers recorded as a conditionally branched skip (CDISC QSCBRFL), not given by the patient. */
    public List<Answer> branchSkipped() {
        return answers.stream().filter(Answer::branchSkipped).toList();
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
