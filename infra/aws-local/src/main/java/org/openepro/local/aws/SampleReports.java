package org.openepro.local.aws;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.openepro.core.id.Participant;
import org.openepro.core.id.SiteId;
import org.openepro.core.id.StudyId;
import org.openepro.core.id.SubjectId;
import org.openepro.core.questionnaire.AnswerOption;
import org.openepro.core.questionnaire.ItemDefinition;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.questionnaire.ScoreDefinition;
import org.openepro.core.report.Answer;
import org.openepro.core.report.QuestionnaireRef;
import org.openepro.core.report.Report;
import org.openepro.core.report.Score;

/**
 * Builds {@link Report} versions of the packaged questionnaires for tests and benchmarks, as a
 * validated submission stores them: every answerable item answered (by its score: the option's
 * ordinal, or the number), and the questionnaire's scores computed by its published method
 * (sum of the items, the single item's value, or the levels' profile) with the published band.
 */
public final class SampleReports {
    private static final QuestionnaireRegistry REGISTRY = QuestionnaireRegistry.load();

    private SampleReports() {
    }

    public static QuestionnaireRegistry registry() {
        return REGISTRY;
    }

    /** A report of the newest packaged version of the questionnaire, every item at its lowest score. */
    public static Builder of(String questionnaireId) {
        return new Builder(REGISTRY.latest(questionnaireId)
                .orElseThrow(() -> new IllegalArgumentException("no packaged questionnaire " + questionnaireId)));
    }

    /** A mutable description of one report version; {@link #build()} gives the immutable record. */
    public static final class Builder {
        private final QuestionnaireDefinition definition;
        private final Map<String, BigDecimal> values = new LinkedHashMap<>();
        private String reportId = UUID.randomUUID().toString();
        private int version = 1;
        private String studyId = "STUDY-001";
        private String siteId = "SITE-01";
        private String subjectId = "SUBJ-" + UUID.randomUUID().toString().substring(0, 8);
        private Instant receivedAt = Instant.parse("2026-11-27T09:30:00.000Z");
        private Instant firstReceivedAt;
        private Instant authoredAt;
        private boolean onTime = true;
        private String amendmentReason;

        private Builder(QuestionnaireDefinition definition) {
            this.definition = definition;
            for (ItemDefinition item : definition.answerableItems().values()) {
                values.put(item.linkId(), lowest(item));
            }
        }

        public QuestionnaireDefinition definition() {
            return definition;
        }

        /** Answers one item with this score (a choice option's ordinal, or the number). */
        public Builder answer(String linkId, int score) {
            ItemDefinition item = definition.item(linkId)
                    .orElseThrow(() -> new IllegalArgumentException(definition.id() + " has no item " + linkId));
            BigDecimal value = BigDecimal.valueOf(score);
            if (!item.options().isEmpty() && option(item, value) == null) {
                throw new IllegalArgumentException(linkId + " has no option scored " + score);
            }
            values.put(linkId, value);
            return this;
        }

        /** Answers every listed item with the same score. */
        public Builder answerAll(List<String> linkIds, int score) {
            linkIds.forEach(l -> answer(l, score));
            return this;
        }

        public Builder reportId(String id) {
            this.reportId = id;
            return this;
        }

        public Builder version(int v) {
            this.version = v;
            return this;
        }

        public Builder study(String id) {
            this.studyId = id;
            return this;
        }

        public Builder site(String id) {
            this.siteId = id;
            return this;
        }

        public Builder subject(String id) {
            this.subjectId = id;
            return this;
        }

        public Builder receivedAt(Instant at) {
            this.receivedAt = at;
            return this;
        }

        /** When version 1 was received (defaults to this version's receivedAt). */
        public Builder firstReceivedAt(Instant at) {
            this.firstReceivedAt = at;
            return this;
        }

        /** Device time (defaults to ten minutes before receipt). */
        public Builder authoredAt(Instant at) {
            this.authoredAt = at;
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

        public Report build() {
            List<Answer> answers = new ArrayList<>();
            for (Map.Entry<String, BigDecimal> e : values.entrySet()) {
                ItemDefinition item = definition.answerableItems().get(e.getKey());
                if (item.options().isEmpty()) {
                    answers.add(Answer.number(item.linkId(), item.type(), e.getValue()));
                } else {
                    AnswerOption o = option(item, e.getValue());
                    answers.add(Answer.choice(item.linkId(), o.system(), o.code(), o.display(), o.ordinal()));
                }
            }
            List<Score> scores = new ArrayList<>();
            for (ScoreDefinition s : definition.scores()) {
                scores.add(score(s));
            }
            Instant authored = authoredAt != null ? authoredAt : receivedAt.minus(Duration.ofMinutes(10));
            Instant first = firstReceivedAt != null ? firstReceivedAt : receivedAt;
            return Report.builder().reportId(reportId).version(version).status(version == 1 ? "completed" : "amended")
                    .participant(Participant.of(StudyId.of(studyId), SiteId.of(siteId), SubjectId.of(subjectId)))
                    .questionnaire(QuestionnaireRef.of(definition))
                    .authored(authored.atOffset(ZoneOffset.ofHours(1)).toString(), authored)
                    .receivedAt(receivedAt).firstReceivedAt(first).answers(answers).scores(scores).onTime(onTime)
                    .amendmentReason(version == 1 ? null : (amendmentReason == null ? "corrected entry" : amendmentReason))
                    .submittedBy("sub-" + subjectId).build();
        }

        private Score score(ScoreDefinition s) {
            return switch (s.method()) {
                case SUM -> banded(s, s.linkIds().stream().map(values::get).reduce(BigDecimal.ZERO, BigDecimal::add));
                case VALUE -> banded(s, values.get(s.linkIds().get(0)));
                case PROFILE -> {
                    StringBuilder profile = new StringBuilder();
                    s.linkIds().forEach(l -> profile.append(values.get(l).toBigInteger()));
                    yield Score.profile(s.id(), profile.toString());
                }
            };
        }

        private static Score banded(ScoreDefinition s, BigDecimal value) {
            return s.band(value)
                    .map(b -> Score.numeric(s.id(), value, b.code(), b.display()))
                    .orElseGet(() -> Score.numeric(s.id(), value, null, null));
        }

        private static BigDecimal lowest(ItemDefinition item) {
            if (!item.options().isEmpty()) {
                return item.options().stream().map(AnswerOption::ordinal).min(BigDecimal::compareTo).orElseThrow();
            }
            return item.minValue() != null ? item.minValue() : BigDecimal.ZERO;
        }

        private static AnswerOption option(ItemDefinition item, BigDecimal ordinal) {
            for (AnswerOption o : item.options()) {
                if (o.ordinal() != null && o.ordinal().compareTo(ordinal) == 0) {
                    return o;
                }
            }
            return null;
        }
    }
}
