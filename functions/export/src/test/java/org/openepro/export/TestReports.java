package org.openepro.export;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.openepro.core.id.Participant;
import org.openepro.core.id.SiteId;
import org.openepro.core.id.StudyId;
import org.openepro.core.id.SubjectId;
import org.openepro.core.projection.ProjectionKeys;
import org.openepro.core.questionnaire.AnswerOption;
import org.openepro.core.questionnaire.ItemDefinition;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.questionnaire.ScoreDefinition;
import org.openepro.core.questionnaire.ScoreMethod;
import org.openepro.core.report.Answer;
import org.openepro.core.report.QuestionnaireRef;
import org.openepro.core.report.Report;
import org.openepro.core.report.ReportItems;
import org.openepro.core.report.Score;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Realistic reports for tests and benchmarks: the packaged questionnaires (plus a diary with free text and a date). */
public final class TestReports {
    public static final String FREE_TEXT = "my neighbour Jane Roe visited";

    private final Random random;
    private final QuestionnaireRegistry registry;

    public TestReports(long seed) {
        this(seed, registryWithDiary());
    }

    public TestReports(long seed, QuestionnaireRegistry registry) {
        this.random = new Random(seed);
        this.registry = registry;
    }

    /** The packaged questionnaires plus the test diary (free text and a date item). */
    public static QuestionnaireRegistry registryWithDiary() {
        List<QuestionnaireDefinition> all =
                new ArrayList<>(QuestionnaireRegistry.load().all());
        try (InputStream in = TestReports.class.getResourceAsStream("/diary-questionnaire.json")) {
            all.add(QuestionnaireRegistry.parse(in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return QuestionnaireRegistry.of(all);
    }

    public QuestionnaireRegistry registry() {
        return registry;
    }

    /**
     * The first version of a questionnaire: the reports here answer it (a retired version's reports
     * are exported like any other), so the reviewed golden files stay those of 1.0.0.
     */
    public QuestionnaireDefinition first(String questionnaireId) {
        return registry.all().stream()
                .filter(d -> d.id().equals(questionnaireId))
                .min(java.util.Comparator.comparing(QuestionnaireDefinition::version))
                .orElseThrow();
    }

    /**
     * {@code count} reports received {@code stepSeconds} apart from {@code first}, in turn: report i from site
     * {@code site(i)}, subject {@code SUBJ-(i % subjects)}, of {@code questionnaires[i % size]}.
     */
    public List<Report> series(
            String studyId,
            int count,
            IntFunction<String> site,
            int subjects,
            List<String> questionnaires,
            Instant first,
            long stepSeconds) {
        List<Report> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(report(
                    studyId,
                    site.apply(i),
                    "SUBJ-" + (i % subjects),
                    questionnaires.get(i % questionnaires.size()),
                    first.plusSeconds(stepSeconds * i)));
        }
        return out;
    }

    /** A zip's entries by name, in the zip's order. */
    public static Map<String, byte[]> unzip(byte[] zip) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.put(e.getName(), in.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** A file's SHA-256 in lower-case hex, as a manifest lists it. */
    public static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A completed report of questionnaire {@code questionnaireId}, first received at {@code receivedAt}. */
    public Report report(String studyId, String siteId, String subjectId, String questionnaireId, Instant receivedAt) {
        QuestionnaireDefinition q = first(questionnaireId);
        List<Answer> answers = new ArrayList<>();
        Map<String, BigDecimal> values = new HashMap<>();
        for (ItemDefinition item : q.answerableItems().values()) {
            Answer a = switch (item.type()) {
                case CHOICE -> {
                    AnswerOption o =
                            item.options().get(random.nextInt(item.options().size()));
                    yield Answer.choice(item.linkId(), o.system(), o.code(), o.display(), o.ordinal());
                }
                case INTEGER ->
                    Answer.number(
                            item.linkId(),
                            item.type(),
                            BigDecimal.valueOf(bound(item.minValue(), 0)
                                    + random.nextInt(bound(item.maxValue(), 10) - bound(item.minValue(), 0) + 1)));
                case DECIMAL ->
                    Answer.number(item.linkId(), item.type(), BigDecimal.valueOf(400 + random.nextInt(800), 1));
                case BOOLEAN -> Answer.bool(item.linkId(), random.nextBoolean());
                case DATE ->
                    Answer.text(
                            item.linkId(),
                            item.type(),
                            LocalDate.ofInstant(receivedAt, ZoneOffset.UTC)
                                    .minusDays(1 + random.nextInt(20))
                                    .toString());
                case DATETIME ->
                    Answer.text(
                            item.linkId(),
                            item.type(),
                            receivedAt.minusSeconds(7200).toString());
                case STRING, TEXT -> Answer.text(item.linkId(), item.type(), FREE_TEXT);
                default -> null;
            };
            if (a != null) {
                answers.add(a);
                if (a.number() != null) {
                    values.put(a.linkId(), a.number());
                }
            }
        }
        List<Score> scores = new ArrayList<>();
        for (ScoreDefinition s : q.scores()) {
            if (s.method() == ScoreMethod.PROFILE) {
                StringBuilder p = new StringBuilder();
                s.linkIds()
                        .forEach(l ->
                                p.append(values.getOrDefault(l, BigDecimal.ZERO).intValue()));
                scores.add(Score.profile(s.id(), p.toString()));
            } else {
                BigDecimal sum = BigDecimal.ZERO;
                for (String l : s.linkIds()) {
                    sum = sum.add(values.getOrDefault(l, BigDecimal.ZERO));
                }
                scores.add(Score.numeric(s.id(), sum, null, null));
            }
        }
        Instant authoredAt = receivedAt.minusSeconds(60 + random.nextInt(3600));
        return Report.builder()
                .reportId(UUID.randomUUID().toString())
                .participant(Participant.of(StudyId.of(studyId), SiteId.of(siteId), SubjectId.of(subjectId)))
                .questionnaire(QuestionnaireRef.of(q))
                .authored(
                        authoredAt.atOffset(ZoneOffset.ofHours(1)).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                        authoredAt)
                .receivedAt(receivedAt)
                .firstReceivedAt(receivedAt)
                .answers(answers)
                .scores(scores)
                .submittedBy("sub-" + subjectId)
                .build();
    }

    private static int bound(BigDecimal v, int fallback) {
        return v == null ? fallback : v.intValue();
    }

    /** The projection row index-report writes for a report (the export's input contract). */
    public static Map<String, AttributeValue> projectionItem(Report r) {
        Map<String, AttributeValue> item = ReportItems.content(r);
        item.put("pk", AttributeValue.fromS(ProjectionKeys.studyDayPk(r.studyId(), ProjectionKeys.rowDay(r))));
        item.put("sk", AttributeValue.fromS(ProjectionKeys.rowSk(r)));
        item.put(
                ProjectionKeys.SITE_PK,
                AttributeValue.fromS(ProjectionKeys.siteDayPk(r.studyId(), r.siteId(), ProjectionKeys.rowDay(r))));
        return item;
    }

    /** The subject timeline row index-report writes with it (what the study-day anchor is read from). */
    public static Map<String, AttributeValue> timelineItem(Report r) {
        Map<String, AttributeValue> content = ReportItems.content(r);
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS(ProjectionKeys.subjectTimelinePk(r.studyId(), r.subjectId())));
        item.put("sk", AttributeValue.fromS(ProjectionKeys.subjectTimelineSk(r)));
        for (String attribute : List.of(
                "reportId",
                "version",
                "studyId",
                "siteId",
                "subjectId",
                "questionnaireId",
                "questionnaireUrl",
                "questionnaireVersion",
                "authoredAt",
                "receivedAt",
                "scores")) {
            if (content.containsKey(attribute)) {
                item.put(attribute, content.get(attribute));
            }
        }
        return item;
    }

    public Random random() {
        return random;
    }
}
