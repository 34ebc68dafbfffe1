package org.openepro.runtime;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.openepro.core.config.Clocks;
import org.openepro.core.questionnaire.SampleResponses;
import org.openepro.emulator.AwsEmulator;
import org.openepro.emulator.EmulatedStack;
import org.openepro.emulator.ProjectPaths;
import org.openepro.runtime.lambda.FunctionInstance;
import org.openepro.runtime.lambda.FunctionPool;
import org.openepro.runtime.lambda.FunctionSpec;
import org.openepro.runtime.lambda.InitResult;
import org.openepro.runtime.lambda.ManagedJavaRuntime;

/**
 * `make run`: OpenEPRO on one machine without Docker. Every function of template.yaml runs as
 * Lambda runs it: from its {@code sam build} artifact, in JVMs of its own (one per instance, started
 * through AWS's Lambda Runtime Interface Client against a local Runtime API), scaled per function,
 * against the local AWS emulator. In front of them: the HTTP API with its JWT authorizer on
 * 127.0.0.1:3000, the SQS event sources polled with partial batch failures, the schedules fired,
 * and nurse alerts printed as they arrive. Everything is wired from the template; no function is
 * named here.
 */
public final class LocalRuntime implements AutoCloseable {
    /** The study, sites and subject the startup tokens and the demo use. */
    public static final String DEMO_STUDY = "STUDY-DEMO";
    /** How long Ctrl-C waits for an invocation in progress before abandoning it, as Lambda may. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(3);
    /** The topic whose participant reminders (what the app's push service would deliver) are printed. */
    static final String REMINDERS_TOPIC = "ParticipantRemindersTopic";

    private final EmulatedStack stack;
    private final RuntimeOptions options;
    private final Console console;
    private final Wiring wiring;
    private final Map<String, FunctionPool> functions;
    private final Map<String, InitResult> warm;
    private final HttpApiServer api;
    private final List<QueuePoller> pollers;
    private final List<ScheduledTrigger> schedules;
    private final AlertListener alerts;
    private final AlertListener reminders;
    private final LocalTokens tokens;

    private LocalRuntime(
            EmulatedStack stack,
            RuntimeOptions options,
            Console console,
            Wiring wiring,
            Map<String, FunctionPool> functions,
            Map<String, InitResult> warm,
            HttpApiServer api,
            List<QueuePoller> pollers,
            List<ScheduledTrigger> schedules,
            AlertListener alerts,
            AlertListener reminders) {
        this.stack = stack;
        this.options = options;
        this.console = console;
        this.wiring = wiring;
        this.functions = functions;
        this.warm = warm;
        this.api = api;
        this.pollers = pollers;
        this.schedules = schedules;
        this.alerts = alerts;
        this.reminders = reminders;
        this.tokens = new LocalTokens(options.signingKey(), options.clock());
    }

    /**
     * Makes every function's pool (instances from {@code options.artifacts()}), starts one instance
     * of each when {@code options.prewarm()}, then the HTTP API, the queue pollers, the schedules
     * and the alert listener.
     */
    public static LocalRuntime start(EmulatedStack stack, RuntimeOptions options) throws IOException {
        Console console = new Console(options.out(), options.clock());
        Wiring wiring = Wiring.from(stack);
        Map<String, FunctionPool> functions = functionPools(
                stack,
                options.artifacts(),
                ManagedJavaRuntime.locate(),
                new FunctionLogPrinter(console),
                console,
                options.functionEnvironment());
        wiring.unsupported().forEach(e -> console.line("event %s is not run locally", e));
        Map<String, InitResult> warm = options.prewarm() ? prewarm(functions, console) : Map.of();

        ConsoleSite site = new ConsoleSite(
                ProjectPaths.root().resolve("console/dist"),
                new LocalSignIn(new LocalTokens(options.signingKey(), options.clock()), options.clock()));
        HttpApiServer api;
        try {
            api = HttpApiServer.start(
                    new InetSocketAddress(options.host(), options.port()),
                    new RouteTable(wiring.routes()),
                    JwtAuthorizer.local(options.signingKey(), options.clock()),
                    functions,
                    options.clock(),
                    console,
                    site);
        } catch (IOException e) {
            functions.values().forEach(FunctionPool::close);
            throw e;
        }

        List<QueuePoller> pollers = new ArrayList<>();
        for (Wiring.QueueSource q : wiring.queues()) {
            pollers.add(QueuePoller.forFunctionRole(
                            q, functions.get(q.functionId()), stack, options.pollWaitSeconds(), console)
                    .start());
        }

        List<ScheduledTrigger> schedules = new ArrayList<>();
        for (Wiring.ScheduleSource s : wiring.schedules()) {
            Optional<Duration> rate;
            try {
                rate = ScheduleExpressions.rate(s.expression());
            } catch (IllegalArgumentException e) {
                console.line("%s.%s: %s", s.functionId(), s.eventName(), e.getMessage());
                continue;
            }
            if (rate.isEmpty()) {
                console.line(
                        "%s.%s: %s is not supported locally (only rate(...)); it will not fire",
                        s.functionId(), s.eventName(), s.expression());
            } else {
                schedules.add(ScheduledTrigger.start(
                        s, functions.get(s.functionId()), rate.get(), options.scheduleSpeedup(), console));
            }
        }

        AlertListener alerts = null;
        if (stack.resources().containsKey(options.alertTopic())) {
            alerts = AlertListener.start(
                    stack.ref(options.alertTopic()),
                    stack.stackName() + "-local-alerts",
                    stack.clients().sqs(),
                    stack.clients().sns(),
                    options.pollWaitSeconds(),
                    console);
        }
        AlertListener reminders = null;
        if (stack.resources().containsKey(REMINDERS_TOPIC)) {
            reminders = AlertListener.start(
                    stack.ref(REMINDERS_TOPIC),
                    stack.stackName() + "-local-reminders",
                    stack.clients().sqs(),
                    stack.clients().sns(),
                    options.pollWaitSeconds(),
                    console,
                    AlertListener::reminderLine);
        }
        return new LocalRuntime(
                stack,
                options,
                console,
                wiring,
                functions,
                warm,
                api,
                List.copyOf(pollers),
                List.copyOf(schedules),
                alerts,
                reminders);
    }

    /**
     * A pool for every function of the stack, its instances started from {@code artifacts/<LogicalId>}
     * with the template's memory, Timeout, environment (resolved against the stack), LoggingConfig and
     * ReservedConcurrentExecutions (else {@link FunctionPool#DEFAULT_MAX_INSTANCES}). A function without
     * an artifact is reported; its invocations fail as a failed init would.
     */
    public static Map<String, FunctionPool> functionPools(
            EmulatedStack stack,
            Path artifacts,
            ManagedJavaRuntime lambda,
            FunctionInstance.FunctionOutput output,
            Console console) {
        return functionPools(stack, artifacts, lambda, output, console, Map.of());
    }

    /** The same, every instance also given {@code localEnvironment} (local-only settings such as the demo clock). */
    public static Map<String, FunctionPool> functionPools(
            EmulatedStack stack,
            Path artifacts,
            ManagedJavaRuntime lambda,
            FunctionInstance.FunctionOutput output,
            Console console,
            Map<String, String> localEnvironment) {
        Map<String, FunctionPool> functions = new LinkedHashMap<>();
        new TreeMap<>(stack.functions()).forEach((id, fn) -> {
            Map<String, String> env = new LinkedHashMap<>(LocalSignIn.withStandIns(stack.env(id)));
            env.putAll(localEnvironment);
            FunctionSpec spec = new FunctionSpec(
                    id,
                    fn.handler(),
                    artifacts.resolve(id),
                    fn.memorySize(),
                    Duration.ofSeconds(fn.timeout()),
                    env,
                    stack.region(),
                    fn.logFormat(),
                    fn.applicationLogLevel());
            if (!Files.isDirectory(spec.taskRoot().resolve("lib"))) {
                console.line(
                        "%s has no artifact at %s: build it (`sam build`, or `make run`, which builds them)",
                        id, spec.taskRoot());
            }
            int max = fn.reservedConcurrency() == null
                    ? FunctionPool.DEFAULT_MAX_INSTANCES
                    : Math.max(1, fn.reservedConcurrency());
            functions.put(id, new FunctionPool(spec, lambda, max, output));
        });
        return functions;
    }

    /** One instance of every function at once, each waited for: how its init ended, by function. */
    private static Map<String, InitResult> prewarm(Map<String, FunctionPool> functions, Console console) {
        console.line("starting every function (%d), one instance each", functions.size());
        Map<String, InitResult> results = new ConcurrentHashMap<>();
        List<Thread> starting = new ArrayList<>();
        functions.forEach((id, pool) ->
                starting.add(Thread.ofVirtual().name("prewarm-" + id).start(() -> {
                    InitResult init = pool.prewarm();
                    results.put(id, init);
                    if (init.ready()) {
                        console.line(
                                "%s  warm (init %d ms)", id, init.duration().toMillis());
                    }
                })));
        for (Thread t : starting) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return Map.copyOf(results);
    }

    public URI baseUri() {
        return api.baseUri();
    }

    public int port() {
        return api.port();
    }

    public EmulatedStack stack() {
        return stack;
    }

    public Wiring wiring() {
        return wiring;
    }

    /** Tokens signed with the key this runtime's authorizer trusts. */
    public LocalTokens tokens() {
        return tokens;
    }

    public FunctionPool function(String id) {
        FunctionPool f = functions.get(id);
        if (f == null) {
            throw new IllegalArgumentException("no function " + id);
        }
        return f;
    }

    /** The alerts published to the nurse-alerts topic since start (empty if the stack has no such topic). */
    public List<AlertListener.ReceivedAlert> alerts() {
        return alerts == null ? List.of() : alerts.received();
    }

    /**
     * Stops taking requests and messages, lets work in progress finish (each for at most
     * {@link #SHUTDOWN_GRACE}), removes the alert subscription, then stops every function instance.
     * Needs the emulator until it returns.
     */
    @Override
    public void close() {
        api.close();
        schedules.forEach(ScheduledTrigger::close);
        // stop all pollers at once: each may be in a long poll
        List<Thread> stopping = new ArrayList<>();
        pollers.forEach(p -> stopping.add(Thread.ofVirtual().start(p::close)));
        if (alerts != null) {
            stopping.add(Thread.ofVirtual().start(alerts::close));
        }
        if (reminders != null) {
            stopping.add(Thread.ofVirtual().start(reminders::close));
        }
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        functions.values().parallelStream().forEach(FunctionPool::close);
    }

    /** A function's mark in the banner: nothing when it is warm (or not started yet), why not when its init failed. */
    private String status(String functionId) {
        InitResult init = warm.get(functionId);
        return init == null || init.ready() ? "" : "  (init failed: " + init.errorType() + ")";
    }

    /** What the developer sees after start: where things are, what is wired, tokens and a request to try. */
    void printWelcome(URI emulator, boolean ownEmulator) {
        console.raw("");
        console.raw("OpenEPRO is running locally.");
        console.raw("  HTTP API   " + baseUri());
        console.raw("  console    " + baseUri() + ConsoleSite.PREFIX
                + "/   (local sign-in: pick a staff id, role and studies)");
        console.raw("  emulator   " + emulator + "  (stack " + stack.stackName() + ", region " + stack.region() + ")");
        console.raw(
                ownEmulator
                        ? "             a fresh in-memory emulator: every `make run` starts empty, and Ctrl-C discards it"
                        : "             AWS_ENDPOINT_URL: that emulator keeps its data, but this run created a new stack in it");
        console.raw("");
        console.raw("Functions (each instance a JVM of its own: the Lambda runtime client, " + options.artifacts()
                + "/<Function>/lib/*.jar)");
        functions.forEach((id, pool) -> {
            InitResult init = warm.get(id);
            String state = init == null
                    ? "starts on first use"
                    : init.ready()
                            ? "warm, init " + init.duration().toMillis() + " ms"
                            : "init failed: " + init.errorType();
            console.raw("  %-24s %5d MB  %3d s  up to %d instance(s)  %s"
                    .formatted(id, pool.spec().memoryMb(), pool.timeout().toSeconds(), pool.maxInstances(), state));
        });
        console.raw(
                "Routes (JWT authorizer: issuer " + LocalTokens.ISSUER + ", audience " + LocalTokens.AUDIENCE + ")");
        for (RouteTable.Route r : wiring.routes()) {
            console.raw("  %-6s %-36s %-22s %s%s"
                    .formatted(r.method(), r.path(), r.functionId(), r.scopes(), status(r.functionId())));
        }
        console.raw("Queues");
        for (Wiring.QueueSource q : wiring.queues()) {
            boolean polled = pollers.stream().anyMatch(p -> p.source() == q);
            console.raw("  %-12s -> %-22s batch %d, window %d s%s%s%s"
                    .formatted(
                            q.queueId(),
                            q.functionId(),
                            q.batchSize(),
                            q.batchingWindowSeconds(),
                            q.reportsBatchItemFailures() ? ", partial batch failures" : "",
                            polled ? "" : "  (not polled)",
                            status(q.functionId())));
        }
        console.raw("Schedules");
        for (Wiring.ScheduleSource s : wiring.schedules()) {
            console.raw("  %-34s %s%s".formatted(s.functionId(), s.expression(), status(s.functionId())));
        }
        if (alerts != null) {
            console.raw("Alerts: " + options.alertTopic() + " is subscribed; each alert prints an ALERT line here.");
        }
        if (reminders != null) {
            console.raw("Reminders: " + REMINDERS_TOPIC + " is subscribed; each reminder prints a REMINDER line here.");
        }
        String clockStart = options.functionEnvironment().get(Clocks.CLOCK);
        if (clockStart != null) {
            console.raw(
                    "Clock: every function's clock started at %s and runs %sx real time (EPRO_CLOCK, EPRO_CLOCK_RATE);"
                            .formatted(clockStart, options.functionEnvironment().get(Clocks.RATE)));
            console.raw("       schedules fire as often, so a rate(5 minutes) runs every 5 minutes of that clock.");
        }
        String patient = tokens.patient(DEMO_STUDY, "SITE-01", "SUBJ-0001");
        String staff = tokens.staff(List.of(DEMO_STUDY), List.of());
        String authored = SampleResponses.AUTHORED.format(
                OffsetDateTime.now(options.clock().withZone(ZoneOffset.ofHours(1))));
        console.raw("");
        console.raw("Tokens, valid " + LocalTokens.LIFETIME.toHours() + " h (`make token ...` makes others):");
        console.raw("  export PATIENT_TOKEN=" + patient + "   # " + DEMO_STUDY + " / SITE-01 / SUBJ-0001");
        console.raw("  export STAFF_TOKEN=" + staff + "   # staff of " + DEMO_STUDY);
        console.raw("");
        console.raw("Submit a pain score of 8 (raises a HIGH alert):");
        console.raw("  curl -si " + baseUri() + "/v1/reports -H \"Authorization: Bearer $PATIENT_TOKEN\" \\");
        console.raw("    -H 'Content-Type: application/fhir+json' -H 'Idempotency-Key: " + UUID.randomUUID() + "' \\");
        console.raw("    -d '{\"resourceType\":\"QuestionnaireResponse\",\"status\":\"completed\","
                + "\"questionnaire\":\"https://openepro.dev/fhir/Questionnaire/pain-nrs|1.0.0\",\"authored\":\""
                + authored + "\",\"item\":[{\"linkId\":\"72514-3\",\"answer\":[{\"valueInteger\":8}]}]}'");
        console.raw("A whole day of a small study, then an export link: `make demo` in another terminal.");
        console.raw("Ctrl-C stops everything.");
        console.raw("");
    }

    public static void main(String[] args) throws Exception {
        RuntimeOptions options = RuntimeOptions.fromEnvironment(System.getenv());
        Console console = new Console(options.out(), options.clock());
        boolean ownEmulator = System.getenv("AWS_ENDPOINT_URL") == null
                || System.getenv("AWS_ENDPOINT_URL").isBlank();
        console.line(
                ownEmulator ? "starting a local AWS emulator (moto server)" : "using the emulator at AWS_ENDPOINT_URL");
        AwsEmulator emulator = AwsEmulator.shared();
        console.line("creating the stack's tables, queues, topics and bucket from template.yaml");
        long t0 = System.nanoTime();
        EmulatedStack stack = emulator.deployStack("openepro-local");
        console.line("stack %s ready in %d ms", stack.stackName(), (System.nanoTime() - t0) / 1_000_000);
        LocalRuntime runtime;
        try {
            runtime = start(stack, options);
        } catch (BindException e) {
            console.line("%s:%d is in use: stop what runs there, or set EPRO_API_PORT", options.host(), options.port());
            System.exit(1);
            return;
        }

        // Ctrl-C: the emulator's one shutdown hook stops the runtime first (waiting, bounded, for
        // invocations in progress), then the emulator, which runs in a session of its own and so
        // does not get the terminal's SIGINT itself
        CountDownLatch stopped = new CountDownLatch(1);
        emulator.beforeStop(() -> {
            console.line(
                    ownEmulator
                            ? "stopping: HTTP API, schedules, pollers, alert listener, function instances, then the emulator"
                            : "stopping: HTTP API, schedules, pollers, alert listener, function instances");
            runtime.close();
            console.line("stopped");
            stopped.countDown();
        });
        runtime.printWelcome(emulator.endpoint(), ownEmulator);
        stopped.await();
    }
}
