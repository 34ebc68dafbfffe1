package org.openepro.core.report;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.openepro.core.id.Participant;
import org.openepro.core.schedule.WindowVerdict;

/**
 * One immutable version of a patient's report: validated answers, scores and pseudonymous ids.
 * A correction is a new version with a reason; nothing is overwritten.
 *
 * <p>Made through {@link #builder()} (or {@link #toBuilder()} for another version), so no two
 * components of the same type can be passed in each other's place.
 *
 * @param participant    whose report it is (from the token, never from the body)
 * @param questionnaire  the questionnaire version it answers
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
 * @param taskId         the schedule occurrence it answers ({@code QuestionnaireResponse.basedOn} or
 *                       matched to its window), absent when unscheduled or stored before schedules
 * @param windowVerdict  how it relates to that task's window; absent on reports stored before schedules
 */
public record Report(
        String reportId,
        int version,
        String status,
        Participant participant,
        QuestionnaireRef questionnaire,
        String authored,
        Instant authoredAt,
        Instant receivedAt,
        Instant firstReceivedAt,
        List<Answer> answers,
        List<Score> scores,
        boolean onTime,
        String amendmentReason,
        String submittedBy,
        String language,
        List<String> disabled,
        List<String> textDiffers,
        String taskId,
        WindowVerdict windowVerdict) {
    public Report {
        Objects.requireNonNull(reportId, "reportId");
        Objects.requireNonNull(participant, "participant");
        Objects.requireNonNull(questionnaire, "questionnaire");
        answers = List.copyOf(answers);
        scores = List.copyOf(scores);
        disabled = disabled == null ? List.of() : List.copyOf(disabled);
        textDiffers = textDiffers == null ? List.of() : List.copyOf(textDiffers);
    }

    /** Answers recorded as a conditionally branched skip (CDISC QSCBRFL), not given by the patient. */
    public List<Answer> branchSkipped() {
        return answers.stream().filter(Answer::branchSkipped).toList();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this report's values, to make another version or a variant. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.reportId = reportId;
        b.version = version;
        b.status = status;
        b.participant = participant;
        b.questionnaire = questionnaire;
        b.authored = authored;
        b.authoredAt = authoredAt;
        b.receivedAt = receivedAt;
        b.firstReceivedAt = firstReceivedAt;
        b.answers = answers;
        b.scores = scores;
        b.onTime = onTime;
        b.amendmentReason = amendmentReason;
        b.submittedBy = submittedBy;
        b.language = language;
        b.disabled = disabled;
        b.textDiffers = textDiffers;
        b.taskId = taskId;
        b.windowVerdict = windowVerdict;
        return b;
    }

    public String studyId() {
        return participant.studyId();
    }

    public String siteId() {
        return participant.siteId();
    }

    public String subjectId() {
        return participant.subjectId();
    }

    public String questionnaireId() {
        return questionnaire.id();
    }

    public String questionnaireUrl() {
        return questionnaire.url();
    }

    public String questionnaireVersion() {
        return questionnaire.version();
    }

    public String questionnaireCanonical() {
        return questionnaire.canonical();
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

    /** Names every value of a report; {@link #build()} checks that the ids are there. */
    public static final class Builder {
        private String reportId;
        private int version = 1;
        private String status = "completed";
        private Participant participant;
        private QuestionnaireRef questionnaire;
        private String authored;
        private Instant authoredAt;
        private Instant receivedAt;
        private Instant firstReceivedAt;
        private List<Answer> answers = List.of();
        private List<Score> scores = List.of();
        private boolean onTime = true;
        private String amendmentReason;
        private String submittedBy;
        private String language;
        private List<String> disabled = List.of();
        private List<String> textDiffers = List.of();
        private String taskId;
        private WindowVerdict windowVerdict;

        private Builder() {}

        public Builder reportId(String id) {
            this.reportId = id;
            return this;
        }

        public Builder version(int v) {
            this.version = v;
            return this;
        }

        public Builder status(String s) {
            this.status = s;
            return this;
        }

        public Builder participant(Participant p) {
            this.participant = p;
            return this;
        }

        public Builder questionnaire(QuestionnaireRef q) {
            this.questionnaire = q;
            return this;
        }

        /** The device time as sent (with its offset) and the instant it denotes. */
        public Builder authored(String asSent, Instant at) {
            this.authored = asSent;
            this.authoredAt = at;
            return this;
        }

        public Builder receivedAt(Instant at) {
            this.receivedAt = at;
            return this;
        }

        public Builder firstReceivedAt(Instant at) {
            this.firstReceivedAt = at;
            return this;
        }

        public Builder answers(List<Answer> list) {
            this.answers = list;
            return this;
        }

        public Builder scores(List<Score> list) {
            this.scores = list;
            return this;
        }

        public Builder onTime(boolean value) {
            this.onTime = value;
            return this;
        }

        public Builder amendmentReason(String reason) {
            this.amendmentReason = reason;
            return this;
        }

        public Builder submittedBy(String tokenSubject) {
            this.submittedBy = tokenSubject;
            return this;
        }

        /** The language answered in; null when neither the response nor the questionnaire names one. */
        public Builder language(String tag) {
            this.language = tag;
            return this;
        }

        /** Questions their enableWhen disabled and nothing stands for. */
        public Builder disabled(List<String> linkIds) {
            this.disabled = linkIds;
            return this;
        }

        /** Questions whose text or display as sent differed from the definition's. */
        public Builder textDiffers(List<String> linkIds) {
            this.textDiffers = linkIds;
            return this;
        }

        /** The schedule's part: the task answered (null when none) and the window verdict. */
        public Builder schedule(String task, WindowVerdict verdict) {
            this.taskId = task;
            this.windowVerdict = verdict;
            return this;
        }

        public Report build() {
            return new Report(
                    reportId,
                    version,
                    status,
                    participant,
                    questionnaire,
                    authored,
                    authoredAt,
                    receivedAt,
                    firstReceivedAt,
                    answers,
                    scores,
                    onTime,
                    amendmentReason,
                    submittedBy,
                    language,
                    disabled,
                    textDiffers,
                    taskId,
                    windowVerdict);
        }
    }
}
