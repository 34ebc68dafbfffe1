package org.openepro.index;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.openepro.core.message.ReportMessage;
import org.openepro.core.report.Report;
import org.openepro.core.report.ReportStore;

/** Indexes one report version named by a queue message: reads it, then applies its projections once. */
public final class ReportIndexer {
    private final ReportStore reports;
    private final ProjectionItems items;
    private final ProjectionWriter writer;
    private final Clock clock;

    public ReportIndexer(ReportStore reports, ProjectionItems items, ProjectionWriter writer, Clock clock) {
        this.reports = reports;
        this.items = items;
        this.writer = writer;
        this.clock = clock;
    }

    /** Fails (so the message comes back, and ends in the DLQ) when the report version does not exist. */
    public ProjectionWriter.Outcome index(ReportMessage message) {
        Report report = reports.get(message.reportId(), message.version())
                .orElseThrow(() -> new IllegalStateException("report version not found"));
        if (message.studyId() != null && !message.studyId().equals(report.studyId())) {
            throw new IllegalStateException("message study does not match the stored report");
        }
        return writer.apply(items.transaction(report, earlierVersions(report), clock.instant()));
    }

    /** Amendments only (rare, and few versions each): one consistent read per earlier version. */
    private List<Report> earlierVersions(Report report) {
        List<Report> earlier = new ArrayList<>(report.version() - 1);
        for (int v = 1; v < report.version(); v++) {
            reports.get(report.reportId(), v).ifPresent(earlier::add);
        }
        return earlier;
    }
}
