package org.openepro.schedule.scheduler;

import org.openepro.core.schedule.ReminderMessage;

/** Where reminders go: the {@code participant-reminders} topic ({@link SnsReminderSender}), or a test's list. */
@FunctionalInterface
public interface ReminderSender {
    /** @return the message id the topic gave it */
    String send(ReminderMessage message);
}
