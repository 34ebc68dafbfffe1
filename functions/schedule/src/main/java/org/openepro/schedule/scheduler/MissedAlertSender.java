package org.openepro.schedule.scheduler;

import org.openepro.core.message.MissedPatternMessage;

/** Where a missed-window pattern goes: the alert queue ({@link SqsMissedAlertSender}), where the alert function raises it. */
@FunctionalInterface
public interface MissedAlertSender {
    void send(MissedPatternMessage message);
}
