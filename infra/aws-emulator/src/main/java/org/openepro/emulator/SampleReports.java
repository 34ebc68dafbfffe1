package org.openepro.emulator;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.openepro.core.fhir.QuestionnaireResponseBody;
import org.openepro.core.id.Participant;
import org.openepro.core.id.SiteId;
import org.openepro.core.id.StudyId;
import org.openepro.core.id.SubjectId;
import org.openepro.core.questionnaire.AnswerOption;
import org.openepro.core.questionnaire.ItemDefinition;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.QuestionnaireEngine;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.questionnaire.SampleResponses;
import org.openepro.core.questionnaire.Scorer;
import org.openepro.core.report.Answer;
import org.openepro.core.report.QuestionnaireRef;
import org.openepro.core.report.Report;
import org.openepro.core.report.Score;

/**
 * Builds {@link Report} versions of the packaged questionnaires for tests and benchmarks, exactly as
 * a validated submission stores them: the response comes from core's {@link SampleResponses}, its
 * answers go through core's {@link QuestionnaireEngine}
 * (so enableWhen, branch-skipped items and required items follow the instrument) and the scores
 * through core's {@link Scorer}, the one used in production. Every scored item is answered at its
 * lowest score unless told otherwise; an item its enableWhen disables is left to the engine.
 */
public final class SampleReports {
    private static final QuestionnaireRegistry REGISTRY = QuestionnaireRegistry.load();

    private SampleReports() {}

    public static QuestionnaireRegistry registry() {
        return REGISTRY;
    }

    /** A report of the newest packaged version of the questionnaire, every item at its lowest score. */
    public static Builder of(String questionnaireId) {
        return new Builder(REGISTRY.latest(questionnaireId)
                .orElseThrow(() -> new IllegalArgumentException("no packaged questionnaire " + questionnaireId)));
    }

    /** A report of this definition (a study-published one, or a particular packaged version). */
    public static Builder of(QuestionnaireDefinition definition) {
        return new Builder(definition);
    }

    /** A mutable description of one report version; {@link #build()} gives the immutable record. */
    public static final class Builder {
        private final QuestionnaireDefinition definition;
        private final Map<String, BigDecimal> values = new LinkedHashMap<>();
        private final Set<String> explicit = new HashSet<>();
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
                BigDecimal lowest = lowest(item);
                if (lowest != null) {
                    values.put(item.linkId(), lowest);
                }
            }
        }

        public QuestionnaireDefinition definition() {
            return definition;
        }

        /** Answers one item with this score (a choice option's ordinal, or the number). */
        public Builder answer(String linkId, int score) {
            ItemDefinition item = definition
                    .item(linkId)
                    .orElseThrow(() -> new IllegalArgumentException(definition.id() + " has no item " + linkId));
            BigDecimal value = BigDecimal.valueOf(score);
            if (!item.options().isEmpty()
                    && item.options().stream()
                            .noneMatch(o -> o.ordinal() != null && o.ordinal().compareTo(value) == 0)) {
                throw new IllegalArgumentException(linkId + " has no option scored " + score);
            }
            values.put(linkId, value);
            explicit.add(linkId);
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

        /**
         * @throws IllegalStateException when the engine refuses the answers (e.g. an item answered
         *         while its enableWhen disables it): a fixture must be a report production could store
         */
        public Report build() {
            Instant authored = authoredAt != null ? authoredAt : receivedAt.minus(Duration.ofMinutes(10));
            List<QuestionnaireResponseBody.Item> items = SampleResponses.of(
                            definition, authored.atOffset(ZoneOffset.ofHours(1)))
                    .scores(values)
                    .scoredItemsOnly()
                    .evenIfDisabled(explicit)
                    .items();
            QuestionnaireEngine.Checked checked = QuestionnaireEngine.check(definition, items, null);
            if (!checked.errors().isEmpty()) {
                throw new IllegalStateException("the engine refuses this sample of " + definition.canonical() + ": "
                        + checked.errors().stream()
                                .map(e -> e.code() + " " + e.linkId())
                                .toList());
            }
            List<Answer> answers = checked.answers();
            List<Score> scores = Scorer.score(definition, answers);
            Instant first = firstReceivedAt != null ? firstReceivedAt : receivedAt;
            return Report.builder()
                    .reportId(reportId)
                    .version(version)
                    .status(version == 1 ? "completed" : "amended")
                    .participant(Participant.of(StudyId.of(studyId), SiteId.of(siteId), SubjectId.of(subjectId)))
                    .questionnaire(QuestionnaireRef.of(definition))
                    .authored(
                            authored.atOffset(ZoneOffset.ofHours(1)).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                            authored)
                    .receivedAt(receivedAt)
                    .firstReceivedAt(first)
                    .answers(answers)
                    .scores(scores)
                    .onTime(onTime)
                    .amendmentReason(
                            version == 1 ? null : (amendmentReason == null ? "corrected entry" : amendmentReason))
                    .submittedBy("sub-" + subjectId)
                    .language(definition.language())
                    .disabled(checked.disabled())
                    .build();
        }

        /** The lowest score an item can be answered with; null for an item without scores (left unanswered). */
        private static BigDecimal lowest(ItemDefinition item) {
            if (!item.options().isEmpty()) {
                if (item.options().stream().anyMatch(o -> o.ordinal() == null)) {
                    return null;
                }
                return item.options().stream()
                        .map(AnswerOption::ordinal)
                        .min(BigDecimal::compareTo)
                        .orElseThrow();
            }
            if (!item.type().numeric()) {
                return null;
            }
            return item.minValue() != null ? item.minValue() : BigDecimal.ZERO;
        }
    }
}
