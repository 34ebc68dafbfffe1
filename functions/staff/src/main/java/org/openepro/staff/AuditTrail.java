package org.openepro.staff;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.openepro.core.audit.AuditEntity;
import org.openepro.core.audit.AuditReader;
import org.openepro.core.http.Caller;
import org.openepro.core.report.Times;

/**
 * The audit trail of a study for monitors (21 CFR Part 11 §11.10(e): available for review and
 * copying): events in a time range, optionally of one entity, oldest first, page by page.
 */
final class AuditTrail {
    /** Without {@code from}, the week before {@code to}. */
    static final Duration DEFAULT_RANGE = Duration.ofDays(7);

    private final AuditReader reader;
    private final Clock clock;

    AuditTrail(AuditReader reader, Clock clock) {
        this.reader = reader;
        this.clock = clock;
    }

    /** What a page was asked for: {@code [from, to)}, an entity, a page size and where to go on. */
    record Query(
            Optional<Instant> from,
            Optional<Instant> to,
            Optional<AuditEntity> entityType,
            Optional<String> entityId,
            int limit,
            Optional<String> after) {}

    record Page(String studyId, String from, String to, String entity, List<AuditReader.Event> events, String next) {}

    Page page(Caller caller, String studyId, Query query) {
        StudyAccess.require(caller, studyId, "No such study.");
        Instant to = query.to().orElseGet(clock::instant);
        Instant from = query.from().orElse(to.minus(DEFAULT_RANGE));
        Optional<String> entityPk =
                query.entityType().map(t -> t.entityPk(query.entityId().orElseThrow()));
        AuditReader.Page page =
                reader.page(studyId, Times.sortable(from), Times.sortable(to), entityPk, query.limit(), query.after());
        return new Page(
                studyId,
                Times.sortable(from),
                Times.sortable(to),
                query.entityType()
                        .map(t -> t.name().toLowerCase(Locale.ROOT) + ":"
                                + query.entityId().orElseThrow())
                        .orElse(null),
                page.events(),
                page.nextSk().map(PageCursor::encode).orElse(null));
    }
}
