package org.openepro.schedule.protocol;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * One immutable version of a study's protocol: its sites and schedule entries, applying to the
 * occurrences whose local date is on or after {@code effectiveFrom}. A change is a new version;
 * occurrences already generated keep the version they came from.
 */
public record Protocol(
        String studyId, int version, LocalDate effectiveFrom, List<Site> sites, List<ScheduleEntry> entries) {
    public Protocol {
        sites = List.copyOf(sites);
        entries = List.copyOf(entries);
    }

    public Protocol withVersion(int v) {
        return new Protocol(studyId, v, effectiveFrom, sites, entries);
    }

    public Protocol withEffectiveFrom(LocalDate date) {
        return new Protocol(studyId, version, date, sites, entries);
    }

    public Optional<Site> site(String siteId) {
        return sites.stream().filter(s -> s.siteId().equals(siteId)).findFirst();
    }
}
