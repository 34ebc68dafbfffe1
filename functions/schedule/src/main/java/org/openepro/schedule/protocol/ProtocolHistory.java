package org.openepro.schedule.protocol;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Every version of a study's protocol, oldest first; answers which one applies on a local date. */
public record ProtocolHistory(List<Protocol> versions) {
    public ProtocolHistory {
        versions = versions.stream()
                .sorted(Comparator.comparingInt(Protocol::version))
                .toList();
    }

    /**
     * The version for occurrences on {@code date}: the highest version whose effective date is on
     * or before it (a later version with an earlier effective date wins: it was decided later).
     */
    public Optional<Protocol> applicableOn(LocalDate date) {
        Protocol found = null;
        for (Protocol p : versions) {
            if (!p.effectiveFrom().isAfter(date)) {
                found = p;
            }
        }
        return Optional.ofNullable(found);
    }

    public Optional<Protocol> version(int version) {
        return versions.stream().filter(p -> p.version() == version).findFirst();
    }

    public Optional<Protocol> latest() {
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.getLast());
    }
}
