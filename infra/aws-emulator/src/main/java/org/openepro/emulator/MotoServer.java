package org.openepro.emulator;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The project's moto server process on 127.0.0.1 and a free port: {@code infra/aws-emulator/moto_launcher.py}
 * (moto's own server with the project's patches: DynamoDB transactions that cost what they touch,
 * concurrent requests made safe; see infra/aws-emulator/README.md), started through
 * {@code infra/aws-emulator/moto_session.py}: in a session of its own, so a terminal's Ctrl-C (which
 * signals the whole foreground process group) does not stop it before this JVM has stopped what
 * uses it; and stopped by that wrapper when this JVM's end of its stdin closes, so even a JVM killed
 * outright leaves no moto behind holding the port. No shell is involved: the PIDs stopped are the
 * ones started.
 */
public final class MotoServer implements AutoCloseable {
    private final Process process;
    private final URI endpoint;
    private final Path log;

    private MotoServer(Process process, URI endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
    }

    public static MotoServer start() {
        int port = freePort();
        Path python = ProjectPaths.venvBin("python");
        Path aws = ProjectPaths.root().resolve("infra/aws-emulator");
        List<String> command = List.of(
                python.toString(),
                aws.resolve("moto_session.py").toString(),
                python.toString(),
                aws.resolve("moto_launcher.py").toString(),
                "-H",
                "127.0.0.1",
                "-p",
                Integer.toString(port));
        try {
            Path log = Files.createTempFile("moto-server-", ".log");
            // stdin stays a pipe from this JVM, open until it exits: the wrapper's signal that the JVM is gone
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            MotoServer server = new MotoServer(process, URI.create("http://127.0.0.1:" + port), log);
            server.awaitReady(Duration.ofSeconds(30));
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command, e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** The moto server's own process id (not its session wrapper's). */
    public long pid() {
        return process.descendants().findFirst().map(ProcessHandle::pid).orElse(process.pid());
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                // the launcher's own reasons (e.g. another moto version) are its last lines
                throw new IllegalStateException(
                        "moto server exited with " + process.exitValue() + ": " + tail(log) + " (log: " + log + ")");
            }
            try {
                HttpURLConnection c = (HttpURLConnection)
                        endpoint.resolve("/moto-api/").toURL().openConnection();
                c.setConnectTimeout(200);
                c.setReadTimeout(1000);
                int status = c.getResponseCode();
                c.disconnect();
                if (status > 0) {
                    return;
                }
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        close();
        throw new IllegalStateException("moto server did not answer within " + timeout + "; see " + log);
    }

    /** Stops moto (SIGTERM through its wrapper), then, after 5 s, forcibly, wrapper and moto alike. */
    @Override
    public void close() {
        List<ProcessHandle> started = new ArrayList<>(process.descendants().toList());
        started.add(process.toHandle());
        if (process.isAlive()) {
            process.destroy();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try {
            for (ProcessHandle p : started) {
                long left = deadline - System.nanoTime();
                if (p.isAlive() && left > 0) {
                    try {
                        p.onExit().get(left, TimeUnit.NANOSECONDS);
                    } catch (ExecutionException | TimeoutException stillRunning) {
                        // forced below
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        started.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()))
                    .strip();
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on 127.0.0.1", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for moto", e);
        }
    }
}
