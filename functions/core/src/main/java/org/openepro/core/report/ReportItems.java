package org.openepro.core.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openepro.core.questionnaire.ItemType;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The DynamoDB form of a report. The same content attributes are used in the reports table and
 * in the projections, so every reader decodes a report with {@link #fromItem(Map)}.
 */
public final class ReportItems {
    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String TIMELINE_PK = "timelinePk";
    public static final String TIMELINE_SK = "timelineSk";
    public static final String TIMELINE_INDEX = "subject-timeline";

    private ReportItems() {
    }

    public static String pk(String reportId) {
        return "R#" + reportId;
    }

    public static String sk(int version) {
        String digits = Integer.toString(version);
        return "V#" + "000000".substring(Math.min(6, digits.length())) + digits;
    }

    /** A subject's reports of one questionnaire, in authored order. */
    public static String timelinePk(String studyId, String subjectId, String questionnaireUrl) {
        return "T#" + studyId + "#" + subjectId + "#" + questionnaireUrl;
    }

    public static String timelineSk(Report r) {
        return Times.sortable(r.authoredAt()) + "#" + r.reportId() + "#" + sk(r.version());
    }

    /** The item for the reports table: content plus its keys. */
    public static Map<String, AttributeValue> toItem(Report r) {
        Map<String, AttributeValue> item = content(r);
        item.put(PK, s(pk(r.reportId())));
        item.put(SK, s(sk(r.version())));
        item.put(TIMELINE_PK, s(timelinePk(r.studyId(), r.subjectId(), r.questionnaireUrl())));
        item.put(TIMELINE_SK, s(timelineSk(r)));
        return item;
    }

    /** The report's content attributes, without keys (mutable, for callers to add their keys). */
    public static Map<String, AttributeValue> content(Report r) {
        Map<String, AttributeValue> item = new HashMap<>(32);
        item.put("reportId", s(r.reportId()));
        item.put("version", n(r.version()));
        item.put("status", s(r.status()));
        item.put("studyId", s(r.studyId()));
        item.put("siteId", s(r.siteId()));
        item.put("subjectId", s(r.subjectId()));
        item.put("questionnaireId", s(r.questionnaireId()));
        item.put("questionnaireUrl", s(r.questionnaireUrl()));
        item.put("questionnaireVersion", s(r.questionnaireVersion()));
        item.put("authored", s(r.authored()));
        item.put("authoredAt", s(Times.sortable(r.authoredAt())));
        item.put("receivedAt", s(Times.sortable(r.receivedAt())));
        item.put("firstReceivedAt", s(Times.sortable(r.firstReceivedAt())));
        item.put("onTime", AttributeValue.fromBool(r.onTime()));
        item.put("freeText", AttributeValue.fromBool(r.hasFreeText()));
        item.put("submittedBy", s(r.submittedBy()));
        if (r.amendmentReason() != null) {
            item.put("amendmentReason", s(r.amendmentReason()));
        }
        if (r.language() != null) {
            item.put("language", s(r.language()));
        }
        if (!r.disabled().isEmpty()) {
            item.put("disabled", strings(r.disabled()));
        }
        if (!r.textDiffers().isEmpty()) {
            item.put("textDiffers", strings(r.textDiffers()));
        }
        List<AttributeValue> answers = new ArrayList<>(r.answers().size());
        for (Answer a : r.answers()) {
            answers.add(AttributeValue.fromM(answer(a)));
        }
        item.put("answers", AttributeValue.fromL(answers));
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
        item.put("scores", AttributeValue.fromL(scores));
        return item;
    }

    public static Report fromItem(Map<String, AttributeValue> item) {
        List<Answer> answers = new ArrayList<>();
        for (AttributeValue v : item.get("answers").l()) {
            Map<String, AttributeValue> m = v.m();
            answers.add(new Answer(str(m, "l"), ItemType.fromFhir(str(m, "t")), num(m, "n"), str(m, "c"),
                    str(m, "s"), str(m, "d"), str(m, "x"), m.containsKey("b") ? m.get("b").bool() : null,
                    m.containsKey("k") && Boolean.TRUE.equals(m.get("k").bool())));
        }
        List<Score> scores = new ArrayList<>();
        for (AttributeValue v : item.get("scores").l()) {
            Map<String, AttributeValue> m = v.m();
            scores.add(new Score(str(m, "id"), num(m, "v"), str(m, "p"), str(m, "band"), str(m, "bandDisplay")));
        }
        return new Report(str(item, "reportId"), Integer.parseInt(item.get("version").n()), str(item, "status"),
                str(item, "studyId"), str(item, "siteId"), str(item, "subjectId"), str(item, "questionnaireId"),
                str(item, "questionnaireUrl"), str(item, "questionnaireVersion"), str(item, "authored"),
                Times.parse(str(item, "authoredAt")), Times.parse(str(item, "receivedAt")),
                Times.parse(str(item, "firstReceivedAt")), answers, scores, item.get("onTime").bool(),
                str(item, "amendmentReason"), str(item, "submittedBy"), str(item, "language"),
                stringList(item, "disabled"), stringList(item, "textDiffers"));
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

    private static AttributeValue strings(List<String> values) {
        List<AttributeValue> l = new ArrayList<>(values.size());
        for (String v : values) {
            l.add(s(v));
        }
        return AttributeValue.fromL(l);
    }

    private static List<String> stringList(Map<String, AttributeValue> m, String key) {
        AttributeValue v = m.get(key);
        if (v == null || !v.hasL()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(v.l().size());
        for (AttributeValue e : v.l()) {
            out.add(e.s());
        }
        return out;
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static String str(Map<String, AttributeValue> m, String key) {
        AttributeValue v = m.get(key);
        return v == null ? null : v.s();
    }

    private static BigDecimal num(Map<String, AttributeValue> m, String key) {
        AttributeValue v = m.get(key);
        return v == null || v.n() == null ? null : new BigDecimal(v.n());
    }
}
