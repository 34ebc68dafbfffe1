package org.openepro.local;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;

/**
 * How the local runtime runs: where the HTTP API listens, the token signing key, the topic whose
 * alerts are printed, the SQS long-poll wait, and a schedule speed-up for tests.
 *
 * @param port             0 picks a free port
 * @param alertTopic       logical id of the topic the alert listener subscribes to (skipped if the stack has none)
 * @param pollWaitSeconds  SQS long-poll wait: also how long Ctrl-C may wait for an idle poller
 * @param scheduleSpeedup  divides every schedule's interval (1 = as the template says)
 */
public record RuntimeOptions(String host, int port, LocalSigningKey signingKey, String alertTopic,
                             int pollWaitSeconds, double scheduleSpeedup, Clock clock, PrintStream out) {
    public static final int DEFAULT_PORT = 3000;
    public static final String DEFAULT_ALERT_TOPIC = "NurseAlertsTopic";

    /** 127.0.0.1:3000, tokens signed with {@code key}, the nurse-alerts topic, 5 s long polls, schedules as written. */
    public static RuntimeOptions defaults(LocalSigningKey key) {
        return new RuntimeOptions("127.0.0.1", DEFAULT_PORT, key, DEFAULT_ALERT_TOPIC, 5, 1.0, Clock.systemUTC(),
                System.out);
    }

    /** `make run`: the defaults with the repository's key, and the port from {@code EPRO_API_PORT} if set. */
    public static RuntimeOptions fromEnvironment(Map<String, String> env) {
        String port = env.get("EPRO_API_PORT");
        RuntimeOptions options = defaults(LocalSigningKey.forRepository());
        return port == null || port.isBlank() ? options : options.withPort(Integer.parseInt(port.strip()));
    }

    public RuntimeOptions withPort(int newPort) {
        return new RuntimeOptions(host, newPort, signingKey, alertTopic, pollWaitSeconds, scheduleSpeedup, clock, out);
    }

    public RuntimeOptions withAlertTopic(String topic) {
        return new RuntimeOptions(host, port, signingKey, topic, pollWaitSeconds, scheduleSpeedup, clock, out);
    }

    public RuntimeOptions withPollWaitSeconds(int seconds) {
        return new RuntimeOptions(host, port, signingKey, alertTopic, seconds, scheduleSpeedup, clock, out);
    }

    public RuntimeOptions withScheduleSpeedup(double speedup) {
        return new RuntimeOptions(host, port, signingKey, alertTopic, pollWaitSeconds, speedup, clock, out);
    }

    public RuntimeOptions withOut(PrintStream stream) {
        return new RuntimeOptions(host, port, signingKey, alertTopic, pollWaitSeconds, scheduleSpeedup, clock, stream);
    }
}
