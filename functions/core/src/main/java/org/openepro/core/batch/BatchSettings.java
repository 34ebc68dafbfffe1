package org.openepro.core.batch;

import java.time.Duration;
import java.util.Map;
import org.openepro.core.config.Env;

/**
 * How an SQS function processes its batches: how many records at once, and how much of the
 * invocation's time to keep in reserve. Read once from the environment; the defaults suit a
 * batch of 10 on a 30 s timeout.
 */
public record BatchSettings(int concurrency, Duration deadlineMargin) {
    public static final String CONCURRENCY = "BATCH_CONCURRENCY";
    public static final String DEADLINE_MARGIN_MS = "BATCH_DEADLINE_MARGIN_MS";
    public static final int DEFAULT_CONCURRENCY = 8;
    public static final int DEFAULT_DEADLINE_MARGIN_MS = 5_000;

    public BatchSettings {
        if (concurrency < 1) {
            throw new IllegalStateException(CONCURRENCY + " must be at least 1");
        }
        if (deadlineMargin.isNegative()) {
            throw new IllegalStateException(DEADLINE_MARGIN_MS + " must not be negative");
        }
    }

    public static BatchSettings fromEnv(Map<String, String> env) {
        return new BatchSettings(
                Env.integer(env, CONCURRENCY, DEFAULT_CONCURRENCY),
                Duration.ofMillis(Env.integer(env, DEADLINE_MARGIN_MS, DEFAULT_DEADLINE_MARGIN_MS)));
    }

    public SqsBatchProcessor processor() {
        return new SqsBatchProcessor(concurrency, deadlineMargin);
    }
}
