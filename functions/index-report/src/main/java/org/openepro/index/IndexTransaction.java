package org.openepro.index;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The writes that index one report version, applied as ONE DynamoDB transaction: the applied
 * marker first (its condition makes a repeat a no-op), the counter update, the subject's roster
 * entry (counted like the counters, exactly once per version), then the rows (the report row
 * first: its version condition guards every row write of the report).
 */
public record IndexTransaction(
        TransactWriteItem marker, TransactWriteItem counter, TransactWriteItem subject, List<TransactWriteItem> rows) {
    /** Position of the marker in {@link #items(boolean)}. */
    public static final int MARKER = 0;
    /** Position of the report row in {@link #items(boolean)} when rows are included. */
    public static final int REPORT_ROW = 3;

    public IndexTransaction {
        rows = List.copyOf(rows);
    }

    /** The transaction's items, with or without the rows (without: a newer version is already projected). */
    public List<TransactWriteItem> items(boolean withRows) {
        List<TransactWriteItem> items = new ArrayList<>(3 + (withRows ? rows.size() : 0));
        items.add(marker);
        items.add(counter);
        items.add(subject);
        if (withRows) {
            items.addAll(rows);
        }
        return items;
    }
}
