package org.openepro.export.job;

import java.time.LocalDate;
import java.util.List;
import org.openepro.core.schedule.ComplianceReader;
import org.openepro.export.format.TableLayout;
import org.openepro.export.profile.Profile;

/**
 * What was asked for: a study's reports received from {@code from} to {@code to} (UTC days,
 * inclusive), optionally one site and some questionnaires, in a format and a profile.
 *
 * @param labels write answer labels instead of codes (tabular formats)
 * @param layout how a tabular format arranges rows and columns; {@link TableLayout#WIDE} when not asked
 * @param entity the one entity an {@code audit-csv} export is about ({@code report:<id>}), or null for all
 * @param by     what a {@code compliance-csv} row counts (day, site or subject; day when not asked), null for
 *               every other format
 */
public record ExportSpec(
        String studyId,
        String format,
        Profile profile,
        LocalDate from,
        LocalDate to,
        String siteId,
        List<String> questionnaires,
        boolean labels,
        TableLayout layout,
        String entity,
        ComplianceReader.Grouping by) {
    public ExportSpec {
        questionnaires = questionnaires == null ? List.of() : List.copyOf(questionnaires);
        layout = layout == null ? TableLayout.WIDE : layout;
    }
}
