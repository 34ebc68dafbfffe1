package org.openepro.runtime.lambda;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One execution environment of a function: its own JVM, started as Lambda's managed java25 runtime
 * starts it (the runtime client on the classpath, the artifact's {@code lib/*.jar} loaded by the
 * client from the task root, the function's no-arg constructor run during init), talking to its own
 * {@link RuntimeApi}. Serves one invocation at a time. A timeout or a crash ends it; its stdout and
 * stderr lines (the function's log) go to {@link FunctionOutput} as they come.
 */
public final class FunctionInstance implements AutoCloseable {
    /** Where an instance's log lines go: the function's name and one line. */
    @FunctionalInterface
    public interface FunctionOutput {
        void line(String function, String line);
    }

    private final FunctionSpec spec;
    private final Process process;
    private final RuntimeApi api;
    private final long spawnedNanos;
    private final FunctionOutput output;
    private volatile boolean dead;

    private FunctionInstance(
            FunctionSpec spec, Process process, RuntimeApi api, long spawnedNanos, FunctionOutput output) {
        this.spec = spec;
        this.process = process;
        this.api = api;
        this.spawnedNanos = spawnedNanos;
        this.output = output;
    }

    /** Starts a new instance of {@code spec}: its Runtime API, then its JVM (init begins at once). */
    public static FunctionInstance start(FunctionSpec spec, ManagedJavaRuntime runtime, FunctionOutput output)
            throws IOException {
        if (!Files.isDirectory(spec.taskRoot().resolve("lib"))) {
            throw new IOException(spec.name() + ": no artifact at " + spec.taskRoot() + " (expected lib/*.jar)");
        }
        RuntimeApi api = RuntimeApi.start(spec.arn());
        String javaToolOptions = spec.environment().get("JAVA_TOOL_OPTIONS");
        ProcessBuilder builder = new ProcessBuilder(runtime.command(spec.memoryMb(), javaToolOptions, spec.handler()))
                .directory(spec.taskRoot().toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(LambdaEnvironment.of(
                spec,
                api.address(),
                runtime.classpath().getFirst().getParent(),
                runtime.java().getParent().getParent()));
        long spawned = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            api.close();
            throw e;
        }
        FunctionInstance instance = new FunctionInstance(spec, process, api, spawned, output);
        instance.pump(process.getInputStream(), "stdout");
        instance.pump(process.getErrorStream(), "stderr");
        process.onExit().thenAccept(p -> {
            instance.dead = true;
            api.processExited(p.exitValue());
        });
        return instance;
    }

    public FunctionSpec spec() {
        return spec;
    }

    public long pid() {
        return process.pid();
    }

    /** False once the process has ended (or was stopped). */
    public boolean alive() {
        return !dead && process.isAlive();
    }

    /**
     * Waits for the init phase to end, at most {@code limit}: ready when the runtime first asks
     * for an event. An instance that failed or timed out is stopped.
     */
    public InitResult awaitInit(Duration limit) {
        RuntimeApi.InitOutcome outcome;
        try {
            outcome = api.init().get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            close();
            return new InitResult(InitResult.Status.TIMED_OUT, since(spawnedNanos), "Runtime.InitTimeout", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            return new InitResult(InitResult.Status.FAILED, since(spawnedNanos), "Runtime.Interrupted", null);
        } catch (ExecutionException e) {
            close();
            return new InitResult(InitResult.Status.FAILED, since(spawnedNanos), "Runtime.Unknown", null);
        }
        return switch (outcome) {
            case RuntimeApi.Ready ready ->
                new InitResult(InitResult.Status.READY, Duration.ofNanos(ready.atNanos() - spawnedNanos), null, null);
            case RuntimeApi.InitError error -> {
                // the runtime exits after reporting; Lambda does not wait for it either
                Duration took = since(spawnedNanos);
                close();
                yield new InitResult(
                        InitResult.Status.FAILED,
                        took,
                        error.errorType() == null ? "Runtime.Unknown" : error.errorType(),
                        error.body());
            }
            case RuntimeApi.Exited exited ->
                new InitResult(
                        InitResult.Status.FAILED,
                        since(spawnedNanos),
                        "Runtime.ExitError",
                        exitError(exited.exitCode()));
        };
    }

    /**
     * Hands {@code event} to the function and waits for its answer until the function's Timeout.
     * Past it the instance is stopped, as Lambda stops it: the result is {@code TIMED_OUT} and this
     * instance is gone. {@code initDuration} is this instance's init when this is its first event.
     */
    public InvokeResult invoke(byte[] event, Duration initDuration) {
        String requestId = UUID.randomUUID().toString();
        long timeoutMillis = spec.timeout().toMillis();
        long deadline = System.currentTimeMillis() + timeoutMillis;
        RuntimeApi.Invocation invocation = new RuntimeApi.Invocation(requestId, event, deadline, traceId());
        long submitted = System.nanoTime();
        api.submit(invocation);
        RuntimeApi.Outcome outcome;
        try {
            outcome = invocation.outcome().get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            Duration ran = since(started(invocation, submitted));
            close();
            output.line(
                    spec.name(),
                    "%s %s Task timed out after %.2f seconds".formatted(Instant.now(), requestId, ran.toNanos() / 1e9));
            return result(
                    InvokeResult.Status.TIMED_OUT,
                    requestId,
                    errorJson("Task timed out after %.2f seconds".formatted(ran.toNanos() / 1e9), "Sandbox.Timedout"),
                    "Sandbox.Timedout",
                    ran,
                    initDuration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            return result(
                    InvokeResult.Status.CRASHED,
                    requestId,
                    errorJson("Invocation abandoned", "Runtime.Stopped"),
                    "Runtime.Stopped",
                    since(started(invocation, submitted)),
                    initDuration);
        } catch (ExecutionException e) {
            close();
            return result(
                    InvokeResult.Status.CRASHED,
                    requestId,
                    errorJson("Runtime API failure", "Runtime.Unknown"),
                    "Runtime.Unknown",
                    since(started(invocation, submitted)),
                    initDuration);
        }
        Duration took = since(started(invocation, submitted));
        return switch (outcome) {
            case RuntimeApi.Response r ->
                result(InvokeResult.Status.SUCCEEDED, requestId, r.payload(), null, took, initDuration);
            case RuntimeApi.FunctionError f ->
                result(InvokeResult.Status.FUNCTION_ERROR, requestId, f.body(), errorType(f), took, initDuration);
            case RuntimeApi.Exited x -> {
                output.line(
                        spec.name(),
                        "RequestId: %s Error: Runtime exited with error: exit status %d"
                                .formatted(requestId, x.exitCode()));
                yield result(
                        InvokeResult.Status.CRASHED,
                        requestId,
                        exitError(x.exitCode()).getBytes(StandardCharsets.UTF_8),
                        "Runtime.ExitError",
                        took,
                        initDuration);
            }
        };
    }

    private InvokeResult result(
            InvokeResult.Status status,
            String requestId,
            byte[] payload,
            String errorType,
            Duration took,
            Duration initDuration) {
        return new InvokeResult(
                status, requestId, payload, errorType, took, initDuration, spec.memoryMb(), maxMemoryUsedMb());
    }

    /** The error's own type (the exception's class) when the body names one, else the runtime's header. */
    private static String errorType(RuntimeApi.FunctionError error) {
        String type = LambdaErrors.type(error.body());
        return type != null ? type : error.errorType() == null ? "Unhandled" : error.errorType();
    }

    private static long started(RuntimeApi.Invocation invocation, long submitted) {
        long delivered = invocation.deliveredNanos();
        return delivered == 0 ? submitted : delivered;
    }

    /** The process's peak resident memory, from /proc (0 where there is none). */
    long maxMemoryUsedMb() {
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process has ended, or this is not Linux
        }
        return 0;
    }

    private static String exitError(int exitCode) {
        return "{\"errorType\":\"Runtime.ExitError\",\"errorMessage\":\"RequestId: Error: Runtime exited with error: "
                + "exit status " + exitCode + "\"}";
    }

    private static byte[] errorJson(String message, String type) {
        return ("{\"errorMessage\":\"" + message + "\",\"errorType\":\"" + type + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** An X-Ray trace header as Lambda passes one (the template's Tracing is Active). */
    private static String traceId() {
        byte[] id = new byte[12];
        ThreadLocalRandom.current().nextBytes(id);
        return "Root=1-%08x-%s;Parent=%016x;Sampled=0"
                .formatted(
                        System.currentTimeMillis() / 1000,
                        HexFormat.of().formatHex(id),
                        ThreadLocalRandom.current().nextLong());
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }

    private void pump(InputStream stream, String name) {
        Thread.ofVirtual().name(spec.name() + "-" + name).start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    output.line(spec.name(), line);
                }
            } catch (IOException closed) {
                // the process ended
            }
        });
    }

    /** Stops the instance (its JVM at once, as Lambda does at a timeout) and its Runtime API. */
    @Override
    public void close() {
        dead = true;
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        api.close();
    }

    /** The OS command line this instance runs (for the docs' and tests' eyes). */
    public List<String> command() {
        return process.info().arguments().map(List::of).orElse(List.of());
    }
}
