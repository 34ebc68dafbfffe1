package org.openepro.core.dynamo;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The one place DynamoDB attribute values are made and read, by attribute name and Java type: a
 * store builds its items with {@link #builder}, its keys and expression values with {@link #s} and
 * {@link #n}, and reads what comes back through {@link #of}. The attribute names themselves are
 * constants of each item type's mapper (e.g. {@code ReportItems}, {@code AuditLog}).
 */
public final class Item {
    private final Map<String, AttributeValue> values;

    private Item(Map<String, AttributeValue> values) {
        this.values = values == null ? Map.of() : values;
    }

    /** An item as DynamoDB returned it (null or empty for none). */
    public static Item of(Map<String, AttributeValue> values) {
        return new Item(values);
    }

    public static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    public static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    public static AttributeValue n(BigDecimal value) {
        return AttributeValue.fromN(value.toPlainString());
    }

    public static AttributeValue bool(boolean value) {
        return AttributeValue.fromBool(value);
    }

    /** A string set; DynamoDB has no empty set, so callers leave an empty one out. */
    public static AttributeValue ss(Collection<String> values) {
        return AttributeValue.fromSs(List.copyOf(values));
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The string attribute, or null when the item has none. */
    public String string(String name) {
        AttributeValue v = values.get(name);
        return v == null ? null : v.s();
    }

    /** The number attribute, or null when the item has none. */
    public BigDecimal decimal(String name) {
        AttributeValue v = values.get(name);
        return v == null || v.n() == null ? null : new BigDecimal(v.n());
    }

    /** A number attribute the item must have. */
    public long number(String name) {
        AttributeValue v = values.get(name);
        if (v == null || v.n() == null) {
            // names the attribute, never a value: items hold study data
            throw new IllegalStateException("item has no number attribute " + name);
        }
        return Long.parseLong(v.n());
    }

    public int integer(String name) {
        return Math.toIntExact(number(name));
    }

    /** The boolean attribute, or null when the item has none. */
    public Boolean bool(String name) {
        AttributeValue v = values.get(name);
        return v == null ? null : v.bool();
    }

    /** A string set (or list of strings) attribute; empty when the item has none. */
    public List<String> strings(String name) {
        AttributeValue v = values.get(name);
        if (v == null) {
            return List.of();
        }
        if (v.hasSs()) {
            return v.ss();
        }
        return v.hasL() ? v.l().stream().map(AttributeValue::s).toList() : List.of();
    }

    /** A list-of-maps attribute, each entry read as an item; empty when the item has none. */
    public List<Item> items(String name) {
        AttributeValue v = values.get(name);
        return v == null || !v.hasL()
                ? List.of()
                : v.l().stream().map(e -> Item.of(e.m())).toList();
    }

    public static Builder builder(int expectedSize) {
        return new Builder(expectedSize);
    }

    /** Builds an item; a null value leaves its attribute out (DynamoDB stores no nulls here). */
    public static final class Builder {
        private final Map<String, AttributeValue> values;

        private Builder(int expectedSize) {
            this.values = new HashMap<>(Math.max(4, expectedSize * 4 / 3 + 1));
        }

        public Builder put(String name, String value) {
            if (value != null) {
                values.put(name, s(value));
            }
            return this;
        }

        public Builder put(String name, long value) {
            values.put(name, n(value));
            return this;
        }

        public Builder put(String name, BigDecimal value) {
            if (value != null) {
                values.put(name, n(value));
            }
            return this;
        }

        public Builder put(String name, Boolean value) {
            if (value != null) {
                values.put(name, bool(value));
            }
            return this;
        }

        public Builder put(String name, AttributeValue value) {
            if (value != null) {
                values.put(name, value);
            }
            return this;
        }

        public Builder putAll(Map<String, AttributeValue> more) {
            values.putAll(more);
            return this;
        }

        /** A mutable map, for callers that add keys after the content. */
        public Map<String, AttributeValue> build() {
            return values;
        }
    }
}
