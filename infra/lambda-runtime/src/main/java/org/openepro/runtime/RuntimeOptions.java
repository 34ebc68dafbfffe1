package org.openepro.runtime;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.openepro.core.config.Clocks;
import org.openepro.core.config.Env;
import org.openepro.emulator.ProjectPaths;

/**
 * How the local runtime runs: where the HTTP API listens, the token signing key, the topic whose
 * alerts are printed, the SQS long-poll wait, a schedule speed-up for tests, where the functions'
 * artifacts are, and whether every function is started before the runtime reports ready.
 *
 * @param port             0 picks a free port
 * @param alertTopic       logical id of the topic the alert listener subscribes to (skipped if the stack has none)
 * @param pollWaitSeconds  SQS long-poll wait: also how long Ctrl-C may wait for an idle poller
 * @param scheduleSpeedup  divides every schedule's interval (1 = as the template says)
 * @param artifacts        the folder with one {@code <LogicalId>/lib/*.jar} per function, as {@code sam build} makes it
 * @param prewarm          start one instance of every function (and wait for its init) before serving
 * @param functionEnvironment local-only variables every function instance gets on top of the template's
 *                         (the demo clock: {@code EPRO_CLOCK}, {@code EPRO_CLOCK_RATE}, {@code EPRO_CLOCK_ANCHOR})
 */
public record RuntimeOptions(
        String host,
        int port,
        LocalSigningKey signingKey,
        String alertTopic,
        int pollWaitSeconds,
        double scheduleSpeedup,
        Clock clock,
        PrintStream out,
        Path artifacts,
        boolean prewarm,
        Map<String, String> functionEnvironment) {
    public static final int DEFAULT_PORT = 3000;
    public static final String DEFAULT_ALERT_TOPIC = "NurseAlertsTopic";

    /**
     * 127.0.0.1:3000, tokens signed with {@code key}, the nurse-alerts topic, 5 s long polls,
     * schedules as written, the artifacts of the last {@code sam build} (or {@code -Depro.artifacts}),
     * functions started on first use.
     */
    public static RuntimeOptions defaults(LocalSigningKey key) {
        String configured = System.getProperty("epro.artifacts");
        Path artifacts = configured != null && !configured.isBlank()
                ? Path.of(configured)
                : ProjectPaths.root().resolve(".aws-sam/build");
        return new RuntimeOptions(
                "127.0.0.1",
                DEFAULT_PORT,
                key,
                DEFAULT_ALERT_TOPIC,
                5,
                1.0,
                Clock.systemUTC(),
                System.out,
                artifacts,
                false,
                Map.of());
    }

    /**
     * `make run`: the defaults with the repository's key, the port from {@code EPRO_API_PORT}, the
     * artifacts from {@code EPRO_ARTIFACTS} if set, and every function warm before it says ready.
     */
    public static RuntimeOptions fromEnvironment(Map<String, String> env) {
        String port = env.get("EPRO_API_PORT");
        String artifacts = env.get("EPRO_ARTIFACTS");
        RuntimeOptions options = defaults(LocalSigningKey.forRepository()).withPrewarm(true);
        if (artifacts != null && !artifacts.isBlank()) {
            options = options.withArtifacts(Path.of(artifacts.strip()));
        }
        String clockStart = env.get(Clocks.CLOCK);
        if (clockStart != null && !clockStart.isBlank()) {
            options = options.withFunctionClock(
                    clockStart.strip(), Env.optional(env, Clocks.RATE, "1").strip(), System.currentTimeMillis());
        }
        return port == null || port.isBlank() ? options : options.withPort(Integer.parseInt(port.strip()));
    }

    public RuntimeOptions withPort(int newPort) {
        return new RuntimeOptions(
                host,
                newPort,
                signingKey,
                alertTopic,
                pollWaitSeconds,
                scheduleSpeedup,
                clock,
                out,
                artifacts,
                prewarm,
                functionEnvironment);
    }

    public RuntimeOptions withAlertTopic(String topic) {
        return new RuntimeOptions(
                host,
                port,
                signingKey,
                topic,
                pollWaitSeconds,
                scheduleSpeedup,
                clock,
                out,
                artifacts,
                prewarm,
                functionEnvironment);
    }

    public RuntimeOptions withPollWaitSeconds(int seconds) {
        return new RuntimeOptions(
                host,
                port,
                signingKey,
                alertTopic,
                seconds,
                scheduleSpeedup,
                clock,
                out,
                artifacts,
                prewarm,
                functionEnvironment);
    }

    public RuntimeOptions withScheduleSpeedup(double speedup) {
        return new RuntimeOptions(
                host,
                port,
                signingKey,
                alertTopic,
                pollWaitSeconds,
                speedup,
                clock,
                out,
                artifacts,
                prewarm,
                functionEnvironment);
    }

    public RuntimeOptions withOut(PrintStream stream) {
        return new RuntimeOptions(
                host,
                port,
                signingKey,
                alertTopic,
                pollWaitSeconds,
                scheduleSpeedup,
                clock,
                stream,
                artifacts,
                prewarm,
                functionEnvironment);
    }

    public RuntimeOptions withArtifacts(Path folder) {
        return new RuntimeOptions(
                host,
                port,
                signingKey,
                alertTopic,
                pollWaitSeconds,
                scheduleSpeedup,
                clock,
                out,
                folder,
                prewarm,
                functionEnvironment);
    }

    /**
     * Every function instance's clock shows {@code start} at {@code anchorMillis} (real epoch ms, the same
     * for every process) and runs {@code rate} times faster; the schedules fire {@code rate} times as
     * often, so each still fires once per interval of that clock. The authorizer and tokens keep real
     * time (a 12-hour token would otherwise expire in 72 s at 600x).
     */
    public RuntimeOptions withFunctionClock(String start, String rate, long anchorMillis) {
        Map<String, String> clock =
                Map.of(Clocks.CLOCK, start, Clocks.RATE, rate, Clocks.ANCHOR, Long.toString(anchorMillis));
        Clocks.Accelerated accelerated =
                (Clocks.Accelerated) Clocks.fromEnv(clock); // refuses a bad setting here, not in every function
        Map<String, String> environment = new java.util.TreeMap<>(functionEnvironment);
        environment.putAll(clock);
        return new RuntimeOptions(
                host,
                port,
                signingKey,
                alertTopic,
                pollWaitSeconds,
                accelerated.rate(),
                this.clock,
                out,
                artifacts,
                prewarm,
                Map.copyOf(environment));
    }

    public RuntimeOptions withPrewarm(boolean startEveryFunction) {
        return new RuntimeOptions(
                host,
                port,
                signingKey,
                alertTopic,
                pollWaitSeconds,
                scheduleSpeedup,
                clock,
                out,
                artifacts,
                startEveryFunction,
                functionEnvironment);
    }
}
