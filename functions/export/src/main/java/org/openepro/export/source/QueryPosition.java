package org.openepro.export.source;

import java.time.LocalDate;
import java.util.Map;

/**
 * Where an export's read stands: the day being read and the exclusive start key of the next
 * Query on it (the key of the last row written, or a page's LastEvaluatedKey); null to start
 * the day. Key values are all strings in the projection key scheme.
 */
public record QueryPosition(LocalDate day, Map<String, String> startKey) {
    public QueryPosition {
        startKey = startKey == null ? null : Map.copyOf(startKey);
    }

    public static QueryPosition startOf(LocalDate day) {
        return new QueryPosition(day, null);
    }
}
