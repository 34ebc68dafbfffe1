package org.openepro.core.dynamo;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The writes stores share: a transaction's put of a new item (refused when its key exists) or of an item it
 * replaces, and a single conditional write whose failed condition is an answer (false), not an error.
 */
public final class Writes {
    /** The condition of a put that must not overwrite: every table's partition key is {@code pk}. */
    public static final String NEW_ITEM = "attribute_not_exists(pk)";

    private Writes() {}

    /** A transaction item that puts {@code item} only where no item has its key. */
    public static TransactWriteItem putNew(String table, Map<String, AttributeValue> item) {
        return TransactWriteItem.builder()
                .put(Put.builder()
                        .tableName(table)
                        .item(item)
                        .conditionExpression(NEW_ITEM)
                        .build())
                .build();
    }

    /** A transaction item that puts {@code item} whether or not one has its key. */
    public static TransactWriteItem put(String table, Map<String, AttributeValue> item) {
        return TransactWriteItem.builder()
                .put(Put.builder().tableName(table).item(item).build())
                .build();
    }

    /** Runs one conditional write: true when it was written, false when its condition failed. */
    public static boolean applied(Runnable write) {
        try {
            write.run();
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
