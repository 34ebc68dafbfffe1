package org.openepro.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * `make run` as the developer stops it: the local runtime in a process of its own, with its own
 * moto, interrupted the way a terminal's Ctrl-C does it (SIGINT to the whole foreground process
 * group). It must stop in order: no stack traces from pollers losing the emulator under them,
 * a normal exit, and no emulator left behind.
 */
class LocalRuntimeShutdownIT {
    /** Startup builds the stack from template.yaml and every handler: minutes on a busy machine, never more. */
    private static final Duration STARTUP = Duration.ofMinutes(3);
    /** A liveness bound, far above the runtime's own grace periods: not a performance assertion. */
    private static final Duration STOP = Duration.ofSeconds(30);

    private static final Pattern API = Pattern.compile("^\\s+HTTP API\\s+(http://\\S+)");
    private static final Pattern EMULATOR = Pattern.compile("^\\s+emulator\\s+http://127\\.0\\.0\\.1:(\\d+)");
    /** A stack frame as Console.error or printStackTrace prints it. */
    private static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s+at [\\w$.]+\\(.*\\)$");

    private Process runtime;
    private Thread reader;

    @AfterEach
    void killWhatIsLeft() {
        if (runtime != null && runtime.isAlive()) {
            runtime.descendants().forEach(ProcessHandle::destroyForcibly);
            runtime.destroyForcibly();
        }
    }

    @Test
    void ctrlCStopsTheRuntimeThenItsEmulatorWithoutStackTraces() throws Exception {
        // GIVEN `make run` in its own process group (as in a terminal), serving requests with pollers and alerts
        // running
        List<String> output = new ArrayList<>();
        CountDownLatch ready = new CountDownLatch(1);
        runtime = startRuntime(output, ready);
        assertThat(ready.await(STARTUP.toSeconds(), TimeUnit.SECONDS))
                .as("banner within %s; output:%n%s", STARTUP, joined(output))
                .isTrue();
        URI api = URI.create(find(output, API));
        int emulatorPort = Integer.parseInt(find(output, EMULATOR));
        HttpResponse<String> unauthenticated = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(api.resolve("/v1/questionnaires"))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(unauthenticated.statusCode()).isEqualTo(401);
        assertThat(accepts(emulatorPort)).as("the runtime's moto answers").isTrue();
        List<ProcessHandle> started = runtime.descendants().toList();
        assertThat(started).as("moto runs under the runtime").isNotEmpty();
        // AND moto is out of the terminal's reach: a terminal signals its foreground process group only
        long group = processGroup(runtime.pid());
        assertThat(started)
                .as("processes the runtime started, in process group %d", group)
                .allSatisfy(p -> assertThat(processGroup(p.pid())).isNotEqualTo(group));

        // WHEN Ctrl-C: SIGINT to every process of the terminal's foreground group
        int before = lines(output);
        signalGroup("INT", runtime.pid());

        // THEN the runtime exits, normally or as interrupted, within the bound
        assertThat(runtime.waitFor(STOP.toSeconds(), TimeUnit.SECONDS))
                .as("stopped within %s; output:%n%s", STOP, joined(output))
                .isTrue();
        assertThat(runtime.exitValue()).as(joined(output)).isIn(0, 130);
        // AND it said it stopped, having stopped everything in order: no stack trace, no error
        reader.join(Duration.ofSeconds(5));
        String printed = joined(output);
        assertThat(printed)
                .contains(
                        "stopping: HTTP API, schedules, pollers, alert listener, function instances, then the emulator")
                .contains("stopped");
        assertThat(STACK_FRAME.matcher(printed).find())
                .as("a stack trace in:%n%s", printed)
                .isFalse();
        String afterSignal;
        synchronized (output) {
            afterSignal = String.join("\n", output.subList(before, output.size()));
        }
        assertThat(afterSignal).doesNotContain("Exception").doesNotContain("Error");
        // AND no moto (nor its session wrapper) is left, and its port is closed
        assertThat(started).as("processes the runtime started").noneMatch(ProcessHandle::isAlive);
        assertThat(accepts(emulatorPort))
                .as("moto's port after the runtime stopped")
                .isFalse();
    }

    @Test
    void aRuntimeKilledOutrightStillLeavesNoEmulatorBehind() throws Exception {
        // GIVEN a running `make run`
        List<String> output = new ArrayList<>();
        CountDownLatch ready = new CountDownLatch(1);
        runtime = startRuntime(output, ready);
        assertThat(ready.await(STARTUP.toSeconds(), TimeUnit.SECONDS))
                .as("banner within %s; output:%n%s", STARTUP, joined(output))
                .isTrue();
        int emulatorPort = Integer.parseInt(find(output, EMULATOR));
        List<ProcessHandle> started = runtime.descendants().toList();

        // WHEN its JVM is killed, so no shutdown hook runs
        runtime.destroyForcibly();
        assertThat(runtime.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)).isTrue();

        // THEN moto notices and stops too, within the bound
        long deadline = System.nanoTime() + STOP.toNanos();
        while ((started.stream().anyMatch(ProcessHandle::isAlive) || accepts(emulatorPort))
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(started).as("processes the runtime started").noneMatch(ProcessHandle::isAlive);
        assertThat(accepts(emulatorPort))
                .as("moto's port after the runtime was killed")
                .isFalse();
    }

    /** The runtime's main class on this test's classpath, in a new session (its own process group), with its own moto. */
    private Process startRuntime(List<String> output, CountDownLatch ready) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of("setsid", java, "-cp", System.getProperty("java.class.path")));
        String root = System.getProperty("epro.root");
        if (root != null && !root.isBlank()) {
            command.add("-Depro.root=" + root);
        }
        command.add(LocalRuntime.class.getName());
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE);
        Map<String, String> env = builder.environment();
        env.remove("AWS_ENDPOINT_URL");
        env.put("EPRO_API_PORT", "0");
        Process process = builder.start();
        reader = Thread.ofPlatform().daemon().name("runtime-output").start(() -> {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (output) {
                        output.add(line);
                    }
                    if (line.startsWith("Ctrl-C stops everything")) {
                        ready.countDown();
                    }
                }
            } catch (IOException closed) {
                // the process is gone
            }
        });
        return process;
    }

    /** kill -SIG -- -PGID: what the terminal does on Ctrl-C. */
    private static void signalGroup(String signal, long groupLeader) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + groupLeader)
                .inheritIO()
                .start();
        assertThat(kill.waitFor()).as("kill -%s -- -%d", signal, groupLeader).isZero();
    }

    private static long processGroup(long pid) {
        try {
            Process ps = new ProcessBuilder("ps", "-o", "pgid=", "-p", Long.toString(pid))
                    .redirectErrorStream(true)
                    .start();
            String out = new String(ps.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            assertThat(ps.waitFor()).as("ps -o pgid= -p %d: %s", pid, out).isZero();
            return Long.parseLong(out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run ps", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static String find(List<String> output, Pattern pattern) {
        synchronized (output) {
            for (String line : output) {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    return m.group(1);
                }
            }
        }
        throw new AssertionError("no line matching " + pattern + " in:\n" + joined(output));
    }

    private static int lines(List<String> output) {
        synchronized (output) {
            return output.size();
        }
    }

    private static String joined(List<String> output) {
        synchronized (output) {
            return String.join("\n", output);
        }
    }
}
