package org.openepro.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
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
import java.util.concurrent.CountDownLatch;
import org.openepro.local.aws.AwsEmulator;
import org.openepro.local.aws.EmulatedStack;
import org.openepro.local.aws.ProjectPaths;

/**
 * `make run`: OpenEPRO on one machine without Docker. The real handlers run in this JVM, one warm
 * container per function of template.yaml, against the local AWS emulator: the HTTP API with its
 * JWT authorizer on 127.0.0.1:3000, the SQS event sources polled with partial batch failures,
 * the schedules fired, and nurse alerts printed as they arrive. Everything is wired from the
 * template; no function is named here.
 */
public final class LocalRuntime implements AutoCloseable {
    /** The study, sites and subject the startup tokens and the demo use. */
    public static final String DEMO_STUDY = "STUDY-DEMO";
    /** How long Ctrl-C waits for an invocation in progress before abandoning it, as Lambda may. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(3);

    private final EmulatedStack stack;
    private final RuntimeOptions options;
    private final Console console;
    private final Wiring wiring;
    private final Map<String, FunctionContainer> functions;
    private final HttpApiServer api;
    private final List<QueuePoller> pollers;
    private final List<ScheduledTrigger> schedules;
    private final AlertListener alerts;
    private final LocalTokens tokens;

    private LocalRuntime(EmulatedStack stack, RuntimeOptions options, Console console, Wiring wiring,
                         Map<String, FunctionContainer> functions, HttpApiServer api, List<QueuePoller> pollers,
                         List<ScheduledTrigger> schedules, AlertListener alerts) {
        this.stack = stack;
        this.options = options;
        this.console = console;
        this.wiring = wiring;
        this.functions = functions;
        this.api = api;
        this.pollers = pollers;
        this.schedules = schedules;
        this.alerts = alerts;
        this.tokens = new LocalTokens(options.signingKey(), options.clock());
    }

    /** Builds every function's handler and starts the HTTP API, the queue pollers, the schedules and the alert listener. */
    public static LocalRuntime start(EmulatedStack stack, RuntimeOptions options) throws IOException {
        Console console = new Console(options.out(), options.clock());
        Wiring wiring = Wiring.from(stack);
        Map<String, FunctionContainer> functions = new LinkedHashMap<>();
        new TreeMap<>(stack.functions()).forEach((id, fn) -> functions.put(id,
                FunctionContainer.create(id, fn, LocalSignIn.withStandIns(stack.env(id)), stack.clients(), options.clock(),
                        options.out())));
        functions.values().stream().filter(f -> !f.available())
                .forEach(f -> console.line("%s is unavailable: %s", f.id(), f.unavailableReason()));
        wiring.unsupported().forEach(e -> console.line("event %s is not run locally", e));

        for (RouteTable.Route r : wiring.routes()) {
            FunctionContainer f = functions.get(r.functionId());
            if (f.available() && !f.accepts(APIGatewayV2HTTPEvent.class)) {
                console.line("%s: %s takes %s, not an HTTP API event: the route answers 500", r.routeKey(), f.id(),
                        f.inputType().getSimpleName());
            }
        }
        ConsoleSite site = new ConsoleSite(ProjectPaths.root().resolve("console/dist"),
                new LocalSignIn(new LocalTokens(options.signingKey(), options.clock()), options.clock()));
        HttpApiServer api = HttpApiServer.start(new InetSocketAddress(options.host(), options.port()),
                new RouteTable(wiring.routes()), JwtAuthorizer.local(options.signingKey(), options.clock()),
                functions, options.clock(), console, site);

        List<QueuePoller> pollers = new ArrayList<>();
        for (Wiring.QueueSource q : wiring.queues()) {
            FunctionContainer f = functions.get(q.functionId());
            if (!f.accepts(SQSEvent.class)) {
                console.line("%s is not polled: %s cannot take an SQS event; its messages wait on the queue",
                        q.queueId(), f.id());
                continue;
            }
            pollers.add(new QueuePoller(q, f, stack.clients().sqs(), stack.region(), options.pollWaitSeconds(), console)
                    .start());
        }

        List<ScheduledTrigger> schedules = new ArrayList<>();
        for (Wiring.ScheduleSource s : wiring.schedules()) {
            FunctionContainer f = functions.get(s.functionId());
            Optional<Duration> rate;
            try {
                rate = ScheduleExpressions.rate(s.expression());
            } catch (IllegalArgumentException e) {
                console.line("%s.%s: %s", s.functionId(), s.eventName(), e.getMessage());
                continue;
            }
            if (rate.isEmpty()) {
                console.line("%s.%s: %s is not supported locally (only rate(...)); it will not fire", s.functionId(),
                        s.eventName(), s.expression());
            } else if (f.accepts(Map.class)) {
                schedules.add(ScheduledTrigger.start(s, f, rate.get(), options.scheduleSpeedup(), console));
            } else if (f.available()) {
                console.line("%s.%s: %s does not take a Map event; the schedule will not fire", s.functionId(),
                        s.eventName(), f.inputType().getSimpleName());
            }
        }

        AlertListener alerts = null;
        if (stack.resources().containsKey(options.alertTopic())) {
            alerts = AlertListener.start(stack.ref(options.alertTopic()), stack.stackName() + "-local-alerts",
                    stack.clients().sqs(), stack.clients().sns(), options.pollWaitSeconds(), console);
        }
        return new LocalRuntime(stack, options, console, wiring, functions, api, List.copyOf(pollers),
                List.copyOf(schedules), alerts);
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

    public FunctionContainer function(String id) {
        FunctionContainer f = functions.get(id);
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
     * {@link #SHUTDOWN_GRACE}), and removes the alert subscription. Needs the emulator until it returns.
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
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** What the developer sees after start: where things are, what is wired, tokens and a request to try. */
    void printWelcome(URI emulator, boolean ownEmulator) {
        console.raw("");
        console.raw("OpenEPRO is running locally.");
        console.raw("  HTTP API   " + baseUri());
        console.raw("  console    " + baseUri() + ConsoleSite.PREFIX + "/   (local sign-in: pick a staff id, role and studies)");
        console.raw("  emulator   " + emulator + "  (stack " + stack.stackName() + ", region " + stack.region() + ")");
        console.raw(ownEmulator
                ? "             a fresh in-memory emulator: every `make run` starts empty, and Ctrl-C discards it"
                : "             AWS_ENDPOINT_URL: that emulator keeps its data, but this run created a new stack in it");
        console.raw("");
        console.raw("Routes (JWT authorizer: issuer " + LocalTokens.ISSUER + ", audience " + LocalTokens.AUDIENCE + ")");
        for (RouteTable.Route r : wiring.routes()) {
            console.raw("  %-6s %-36s %-22s %s%s".formatted(r.method(), r.path(), r.functionId(), r.scopes(),
                    functions.get(r.functionId()).available() ? "" : "  (unavailable)"));
        }
        console.raw("Queues");
        for (Wiring.QueueSource q : wiring.queues()) {
            boolean polled = pollers.stream().anyMatch(p -> p.source() == q);
            console.raw("  %-12s -> %-22s batch %d, window %d s%s%s".formatted(q.queueId(), q.functionId(),
                    q.batchSize(), q.batchingWindowSeconds(),
                    q.reportsBatchItemFailures() ? ", partial batch failures" : "", polled ? "" : "  (not polled)"));
        }
        console.raw("Schedules");
        for (Wiring.ScheduleSource s : wiring.schedules()) {
            console.raw("  %-34s %s".formatted(s.functionId(), s.expression()));
        }
        if (alerts != null) {
            console.raw("Alerts: " + options.alertTopic() + " is subscribed; each alert prints an ALERT line here.");
        }
        String patient = tokens.patient(DEMO_STUDY, "SITE-01", "SUBJ-0001");
        String staff = tokens.staff(List.of(DEMO_STUDY), List.of());
        String authored = QuestionnaireResponses.AUTHORED.format(
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
        boolean ownEmulator = System.getenv("AWS_ENDPOINT_URL") == null || System.getenv("AWS_ENDPOINT_URL").isBlank();
        console.line(ownEmulator ? "starting a local AWS emulator (moto server)" : "using the emulator at AWS_ENDPOINT_URL");
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
            console.line(ownEmulator ? "stopping: HTTP API, schedules, pollers, alert listener, then the emulator"
                    : "stopping: HTTP API, schedules, pollers, alert listener");
            runtime.close();
            console.line("stopped");
            stopped.countDown();
        });
        runtime.printWelcome(emulator.endpoint(), ownEmulator);
        stopped.await();
    }
}
