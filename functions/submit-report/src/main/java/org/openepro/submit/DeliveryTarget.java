package org.openepro.submit;

import java.util.Locale;

/** The queues a stored report must reach. */
public enum DeliveryTarget {
    INDEX,
    ALERT;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeliveryTarget fromCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
