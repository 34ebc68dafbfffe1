package org.openepro.export.format;

/** What a column holds, so each format can write it natively (an xlsx number, a JSON boolean, a date cell). */
public enum ValueType {
    TEXT,
    NUMBER,
    INTEGER,
    BOOLEAN,
    DATETIME,
    DATE;

    public boolean numeric() {
        return this == NUMBER || this == INTEGER;
    }
}
