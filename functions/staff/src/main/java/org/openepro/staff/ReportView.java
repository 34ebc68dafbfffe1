package org.openepro.staff;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.util.List;
import org.openepro.core.audit.AuditReader;

/**
 * A report as the console shows it: every version with the questionnaire's item texts beside the
 * answers, the scores with their bands, the window verdict, both clocks, who amended what and why,
 * and the report's audit history.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReportView(
        String reportId,
        String studyId,
        String siteId,
        String subjectId,
        QuestionnaireRef questionnaire,
        List<Version> versions,
        List<ScoreScale> scoreScales,
        List<AuditReader.Event> history) {

    /** Which questionnaire, by canonical and title. */
    public record QuestionnaireRef(String id, String url, String version, String title) {}

    /**
     * One immutable version. {@code changedItems}: the linkIds whose answer differs from the previous
     * version's (empty for version 1).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Version(
            int version,
            String status,
            String authored,
            String authoredAt,
            String receivedAt,
            boolean onTime,
            String submittedBy,
            String amendmentReason,
            List<String> changedItems,
            List<AnswerView> answers,
            List<ScoreView> scores) {}

    /** An answer beside the item's text as the patient saw it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AnswerView(
            String linkId,
            String prefix,
            String text,
            String type,
            BigDecimal value,
            String code,
            String display,
            String valueText,
            Boolean valueBoolean,
            boolean possiblyIdentifying) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ScoreView(
            String id, String title, BigDecimal value, String profile, String band, String bandDisplay) {}

    /** A score's published scale and bands, for drawing them behind a chart. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ScoreScale(
            String questionnaireId, String id, String title, Integer min, Integer max, List<Band> bands) {}

    public record Band(int min, int max, String code, String display) {}
}
