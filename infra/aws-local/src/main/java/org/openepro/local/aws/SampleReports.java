package org.openepro.local.aws;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.openepro.core.fhir.QuestionnaireResponseBody;
import org.openepro.core.id.Participant;
import org.openepro.core.id.SiteId;
import org.openepro.core.id.StudyId;
import org.openepro.core.id.SubjectId;
import org.openepro.core.questionnaire.AnswerOption;
import org.openepro.core.questionnaire.Enablement;
import org.openepro.core.questionnaire.ItemDefinition;
import org.openepro.core.questionnaire.ItemType;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.QuestionnaireEngine;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.questionnaire.Scorer;
import org.openepro.core.questionnaire.Value;
import org.openepro.core.report.Answer;
import org.openepro.core.report.QuestionnaireRef;
import org.openepro.core.report.Report;
import org.openepro.core.report.Score;

/**
 * Builds {@link Report} versions of the packaged questionnaires for tests and benchmarks, exactly as
 * a validated submission stores them: the answers go through core's {@link QuestionnaireEngine}
 * (so enableWhen, branch-skipped items and required items follow the instrument) and the scores
 * through core's {@link Scorer}, the one used in production. Every scored item is answered at its
 * lowest score unless told otherwise; an item its enableWhen disables is left to the engine.
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

    /** A report of this definition (a study-published one, or a particular packaged version). */
    public static Builder of(QuestionnaireDefinition definition) {
        return new Builder(definition);
    }

    /** A mutable description of one report version; {@link #build()} gives the immutable record. */
    public static final class Builder {
        private final QuestionnaireDefinition definition;
        private final Map<String, BigDecimal> values = new LinkedHashMap<>();
        private final java.util.Set<String> explicit = new java.util.HashSet<>();
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
            ItemDefinition item = definition.item(linkId)
                    .orElseThrow(() -> new IllegalArgumentException(definition.id() + " has no item " + linkId));
            BigDecimal value = BigDecimal.valueOf(score);
            if (!item.options().isEmpty() && option(item, value) == null) {
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
            Map<String, List<Value>> given = new LinkedHashMap<>();
            List<QuestionnaireResponseBody.Item> items = items(definition.items(), given);
            QuestionnaireEngine.Checked checked = QuestionnaireEngine.check(definition, items, null);
            if (!checked.errors().isEmpty()) {
                throw new IllegalStateException("the engine refuses this sample of " + definition.canonical() + ": "
                        + checked.errors().stream().map(e -> e.code() + " " + e.linkId()).toList());
            }
            List<Answer> answers = checked.answers();
            List<Score> scores = Scorer.score(definition, answers);
            Instant authored = authoredAt != null ? authoredAt : receivedAt.minus(Duration.ofMinutes(10));
            Instant first = firstReceivedAt != null ? firstReceivedAt : receivedAt;
            return Report.builder().reportId(reportId).version(version).status(version == 1 ? "completed" : "amended")
                    .participant(Participant.of(StudyId.of(studyId), SiteId.of(siteId), SubjectId.of(subjectId)))
                    .questionnaire(QuestionnaireRef.of(definition))
                    .authored(authored.atOffset(ZoneOffset.ofHours(1)).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), authored)
                    .receivedAt(receivedAt).firstReceivedAt(first).answers(answers).scores(scores).onTime(onTime)
                    .amendmentReason(version == 1 ? null : (amendmentReason == null ? "corrected entry" : amendmentReason))
                    .submittedBy("sub-" + subjectId)
                    .language(definition.language()).disabled(checked.disabled()).build();
        }

        /** The response's items for one level of the definition, groups nested as the definition nests them. */
        private List<QuestionnaireResponseBody.Item> items(List<ItemDefinition> level, Map<String, List<Value>> given) {
            List<QuestionnaireResponseBody.Item> items = new ArrayList<>();
            for (ItemDefinition item : level) {
                if (item.type() == ItemType.GROUP) {
                    List<QuestionnaireResponseBody.Item> children = items(item.children(), given);
                    if (!children.isEmpty()) {
                        items.add(new QuestionnaireResponseBody.Item(item.linkId(), null, null, children));
                    }
                    continue;
                }
                BigDecimal v = values.get(item.linkId());
                if (v == null || (!explicit.contains(item.linkId()) && !Enablement.of(definition, given).enabled(item.linkId()))) {
                    continue;
                }
                QuestionnaireResponseBody.AnswerValue answer;
                if (item.options().isEmpty()) {
                    answer = new QuestionnaireResponseBody.AnswerValue(item.type() == ItemType.INTEGER ? v : null,
                            item.type() == ItemType.DECIMAL ? v : null, null, null, null, null, null, null, null, null);
                    given.put(item.linkId(), List.of(new Value.Number(v, item.type() == ItemType.INTEGER)));
                } else {
                    AnswerOption o = option(item, v);
                    answer = new QuestionnaireResponseBody.AnswerValue(null, null, null, null, null, null, null,
                            new QuestionnaireResponseBody.Coding(o.system(), o.code(), o.display()), null, null);
                    given.put(item.linkId(), List.of(o.coding()));
                }
                items.add(new QuestionnaireResponseBody.Item(item.linkId(), null, List.of(answer), null));
            }
            return items;
        }

        /** The lowest score an item can be answered with; null for an item without scores (left unanswered). */
        private static BigDecimal lowest(ItemDefinition item) {
            if (!item.options().isEmpty()) {
                if (item.options().stream().anyMatch(o -> o.ordinal() == null)) {
                    return null;
                }
                return item.options().stream().map(AnswerOption::ordinal).min(BigDecimal::compareTo).orElseThrow();
            }
            if (!item.type().numeric()) {
                return null;
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
