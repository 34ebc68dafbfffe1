package org.openepro.core.report;

import static org.openepro.core.dynamo.Item.n;
import static org.openepro.core.dynamo.Item.s;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openepro.core.dynamo.Item;
import org.openepro.core.id.Participant;
import org.openepro.core.id.SiteId;
import org.openepro.core.id.StudyId;
import org.openepro.core.id.SubjectId;
import org.openepro.core.questionnaire.ItemType;
import org.openepro.core.schedule.WindowVerdict;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The DynamoDB form of a report. The same content attributes are used in the reports table and
 * in the projections, so every reader decodes a report with {@link #fromItem(Map)}.
 */
public final class ReportItems {
    public static final String PK = "pk";
    public static final String SK = "sk";
    // a subject's history of one questionnaire (the stored names predate the code names: data in tables keeps them)
    public static final String QUESTIONNAIRE_HISTORY_PK = "timelinePk";
    public static final String QUESTIONNAIRE_HISTORY_SK = "timelineSk";
    public static final String QUESTIONNAIRE_HISTORY_INDEX = "subject-timeline";
    // the content attributes, the same in the reports table and in the projections
    public static final String REPORT_ID = "reportId";
    public static final String VERSION = "version";
    public static final String STATUS = "status";
    public static final String STUDY_ID = "studyId";
    public static final String SITE_ID = "siteId";
    public static final String SUBJECT_ID = "subjectId";
    public static final String QUESTIONNAIRE_ID = "questionnaireId";
    public static final String QUESTIONNAIRE_URL = "questionnaireUrl";
    public static final String QUESTIONNAIRE_VERSION = "questionnaireVersion";
    public static final String AUTHORED = "authored";
    public static final String AUTHORED_AT = "authoredAt";
    public static final String RECEIVED_AT = "receivedAt";
    public static final String FIRST_RECEIVED_AT = "firstReceivedAt";
    public static final String ON_TIME = "onTime";
    public static final String TASK_ID = "taskId";
    public static final String WINDOW_VERDICT = "windowVerdict";
    public static final String FREE_TEXT = "freeText";
    public static final String SUBMITTED_BY = "submittedBy";
    public static final String AMENDMENT_REASON = "amendmentReason";
    public static final String ANSWERS = "answers";
    public static final String SCORES = "scores";
    /** The language answered in. */
    public static final String LANGUAGE = "language";
    /** Questions their enableWhen disabled (a list, in definition order). */
    public static final String DISABLED = "disabled";
    /** Questions whose text or display as sent differed from the definition's. */
    public static final String TEXT_DIFFERS = "textDiffers";

    private ReportItems() {}

    public static String pk(String reportId) {
        return "R#" + reportId;
    }

    public static String sk(int version) {
        String digits = Integer.toString(version);
        return "V#" + "000000".substring(Math.min(6, digits.length())) + digits;
    }

    /** A subject's reports of one questionnaire, in authored order. */
    public static String questionnaireHistoryPk(String studyId, String subjectId, String questionnaireUrl) {
        return "T#" + studyId + "#" + subjectId + "#" + questionnaireUrl;
    }

    public static String questionnaireHistorySk(Report r) {
        return Times.sortable(r.authoredAt()) + "#" + r.reportId() + "#" + sk(r.version());
    }

    /** The item for the reports table: content plus its keys. */
    public static Map<String, AttributeValue> toItem(Report r) {
        Map<String, AttributeValue> item = content(r);
        item.put(PK, s(pk(r.reportId())));
        item.put(SK, s(sk(r.version())));
        item.put(QUESTIONNAIRE_HISTORY_PK, s(questionnaireHistoryPk(r.studyId(), r.subjectId(), r.questionnaireUrl())));
        item.put(QUESTIONNAIRE_HISTORY_SK, s(questionnaireHistorySk(r)));
        return item;
    }

    /** The report's content attributes, without keys (mutable, for callers to add their keys). */
    public static Map<String, AttributeValue> content(Report r) {
        Map<String, AttributeValue> item = new HashMap<>(32);
        item.put(REPORT_ID, s(r.reportId()));
        item.put(VERSION, n(r.version()));
        item.put(STATUS, s(r.status()));
        item.put(STUDY_ID, s(r.studyId()));
        item.put(SITE_ID, s(r.siteId()));
        item.put(SUBJECT_ID, s(r.subjectId()));
        item.put(QUESTIONNAIRE_ID, s(r.questionnaireId()));
        item.put(QUESTIONNAIRE_URL, s(r.questionnaireUrl()));
        item.put(QUESTIONNAIRE_VERSION, s(r.questionnaireVersion()));
        item.put(AUTHORED, s(r.authored()));
        item.put(AUTHORED_AT, s(Times.sortable(r.authoredAt())));
        item.put(RECEIVED_AT, s(Times.sortable(r.receivedAt())));
        item.put(FIRST_RECEIVED_AT, s(Times.sortable(r.firstReceivedAt())));
        item.put(ON_TIME, AttributeValue.fromBool(r.onTime()));
        item.put(FREE_TEXT, AttributeValue.fromBool(r.hasFreeText()));
        item.put(SUBMITTED_BY, s(r.submittedBy()));
        if (r.amendmentReason() != null) {
            item.put(AMENDMENT_REASON, s(r.amendmentReason()));
        }
        if (r.language() != null) {
            item.put(LANGUAGE, s(r.language()));
        }
        if (!r.disabled().isEmpty()) {
            item.put(DISABLED, strings(r.disabled()));
        }
        if (!r.textDiffers().isEmpty()) {
            item.put(TEXT_DIFFERS, strings(r.textDiffers()));
        }
        if (r.taskId() != null) {
            item.put(TASK_ID, s(r.taskId()));
        }
        if (r.windowVerdict() != null) {
            item.put(WINDOW_VERDICT, s(r.windowVerdict().code()));
        }
        List<AttributeValue> answers = new ArrayList<>(r.answers().size());
        for (Answer a : r.answers()) {
            answers.add(AttributeValue.fromM(answer(a)));
        }
        item.put(ANSWERS, AttributeValue.fromL(answers));
        List<AttributeValue> scores = new ArrayList<>(r.scores().size());
        for (Score sc : r.scores()) {
            Map<String, AttributeValue> m = new HashMap<>(8);
            m.put("id", s(sc.id()));
            if (sc.value() != null) {
                m.put("v", AttributeValue.fromN(sc.value().toPlainString()));
            }
            if (sc.profile() != null) {
                m.put("p", s(sc.profile()));
            }
            if (sc.band() != null) {
                m.put("band", s(sc.band()));
                m.put("bandDisplay", s(sc.bandDisplay()));
            }
            scores.add(AttributeValue.fromM(m));
        }
        item.put(SCORES, AttributeValue.fromL(scores));
        return item;
    }

    public static Report fromItem(Map<String, AttributeValue> item) {
        Item i = Item.of(item);
        List<Answer> answers = new ArrayList<>();
        for (Item m : i.items(ANSWERS)) {
            answers.add(new Answer(
                    m.string("l"),
                    ItemType.fromFhir(m.string("t")),
                    m.decimal("n"),
                    m.string("c"),
                    m.string("s"),
                    m.string("d"),
                    m.string("x"),
                    m.bool("b"),
                    Boolean.TRUE.equals(m.bool("k"))));
        }
        List<Score> scores = new ArrayList<>();
        for (Item m : i.items(SCORES)) {
            scores.add(new Score(
                    m.string("id"), m.decimal("v"), m.string("p"), m.string("band"), m.string("bandDisplay")));
        }
        return Report.builder()
                .reportId(i.string(REPORT_ID))
                .version(i.integer(VERSION))
                .status(i.string(STATUS))
                .participant(Participant.of(
                        StudyId.of(i.string(STUDY_ID)),
                        SiteId.of(i.string(SITE_ID)),
                        SubjectId.of(i.string(SUBJECT_ID))))
                .questionnaire(new QuestionnaireRef(
                        i.string(QUESTIONNAIRE_ID), i.string(QUESTIONNAIRE_URL), i.string(QUESTIONNAIRE_VERSION)))
                .authored(i.string(AUTHORED), Times.parse(i.string(AUTHORED_AT)))
                .receivedAt(Times.parse(i.string(RECEIVED_AT)))
                .firstReceivedAt(Times.parse(i.string(FIRST_RECEIVED_AT)))
                .answers(answers)
                .scores(scores)
                .onTime(i.bool(ON_TIME))
                .amendmentReason(i.string(AMENDMENT_REASON))
                .submittedBy(i.string(SUBMITTED_BY))
                .language(i.string(LANGUAGE))
                .disabled(i.strings(DISABLED))
                .textDiffers(i.strings(TEXT_DIFFERS))
                .schedule(
                        i.string(TASK_ID),
                        i.string(WINDOW_VERDICT) == null ? null : WindowVerdict.fromCode(i.string(WINDOW_VERDICT)))
                .build();
    }

    private static Map<String, AttributeValue> answer(Answer a) {
        Map<String, AttributeValue> m = new HashMap<>(8);
        m.put("l", s(a.linkId()));
        m.put("t", s(a.type().fhirCode()));
        if (a.number() != null) {
            m.put("n", AttributeValue.fromN(a.number().toPlainString()));
        }
        if (a.code() != null) {
            m.put("c", s(a.code()));
        }
        if (a.system() != null) {
            m.put("s", s(a.system()));
        }
        if (a.display() != null) {
            m.put("d", s(a.display()));
        }
        if (a.text() != null) {
            m.put("x", s(a.text()));
        }
        if (a.bool() != null) {
            m.put("b", AttributeValue.fromBool(a.bool()));
        }
        if (a.branchSkipped()) {
            m.put("k", AttributeValue.fromBool(true));
        }
        return m;
    }

    // a list, not a string set: the definition's order is kept
    private static AttributeValue strings(List<String> values) {
        List<AttributeValue> l = new ArrayList<>(values.size());
        for (String v : values) {
            l.add(s(v));
        }
        return AttributeValue.fromL(l);
    }
}
