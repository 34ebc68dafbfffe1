package org.openepro.core.message;

/**
 * What the alert queue carries: a stored report whose clinical rules the alert function evaluates
 * ({@link ReportMessage}), or a run of missed windows the scheduler found ({@link MissedPatternMessage}).
 * {@link #CODEC} reads either by its {@code type}.
 */
public sealed interface AlertQueueMessage permits ReportMessage, MissedPatternMessage {
    /** The alert queue's codec: each body decoded by the codec of its own contract. */
    MessageCodec<AlertQueueMessage> CODEC = new AlertQueueCodec();

    /**
     * What records of one consumer run one after the other on: two messages about the same report,
     * or about the same run of misses, must not race for the same conditional write.
     */
    String serialisedBy();
}
