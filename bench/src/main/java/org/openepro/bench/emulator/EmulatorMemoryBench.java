package org.openepro.bench.emulator;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openepro.core.aws.AwsClients;
import org.openepro.core.json.Json;
import org.openepro.emulator.EmulatedStack;
import org.openepro.emulator.ProjectPaths;
import org.openepro.emulator.SampleEvents;
import org.openepro.emulator.StackDeployer;
import org.openepro.submit.SubmitConfig;
import org.openepro.submit.SubmitReportHandler;
import org.openepro.submit.SubmitWiring;

/**
 * The emulator's resident memory and the submit time as reports accumulate, through the real
 * submit path: submit-report's handler (in this JVM) stores each of the five sample questionnaires
 * in turn (its transaction, the audit event, both queue messages, the completion transaction) in a
 * fresh emulator of each kind, one after the other in the same run: moto's plain {@code moto_server}
 * (the baseline, stopped early when it reaches its memory cap or its per-submit time cap) and the
 * project's {@code moto_launcher.py}. The queues are emptied every sample, as the pollers of
 * {@code make run} would; what stays in the emulator is what DynamoDB stores. The baseline stops
 * at its report cap, or once its resident memory passes {@code baselineCapMiB} or one submit takes
 * more than {@code baselineCapMs} on average over a sample window (it only gets slower).
 * Usage: {@code EmulatorMemoryBench [reports=10000] [sample=500] [baselineMaxReports=400] [baselineCapMiB=2048]
 * [baselineCapMs=2000]}.
 */
public final class EmulatorMemoryBench {
    private static final List<String> SAMPLES = List.of(
            "submit-phq9.json",
            "submit-gad7.json",
            "submit-pain-nrs.json",
            "submit-pro-ctcae.json",
            "submit-eq-5d-5l.json");

    // the handler writes its metrics (EMF lines) to stdout; this program's own lines go here
    private static final java.io.PrintStream OUT = System.out;

    private EmulatorMemoryBench() {}

    public static void main(String[] args) throws Exception {
        int reports = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int sample = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int baselineMaxReports = args.length > 2 ? Integer.parseInt(args[2]) : 400;
        long baselineCapMiB = args.length > 3 ? Long.parseLong(args[3]) : 2048;
        long baselineCapMs = args.length > 4 ? Long.parseLong(args[4]) : 2000;
        // the SDK's default chain reads these; the emulator accepts any key
        System.setProperty("aws.accessKeyId", System.getProperty("aws.accessKeyId", "testing"));
        System.setProperty("aws.secretAccessKey", System.getProperty("aws.secretAccessKey", "testing"));
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        OUT.printf("load average at start: %s%n", loadAverage());
        int early = Math.min(sample, 50);
        Result plain =
                run("moto_server", Math.min(reports, baselineMaxReports), early, 0, baselineCapMiB, baselineCapMs);
        // sampled as often as the baseline while it ran, so the two compare at the same count
        Result patched = run("moto_launcher", reports, sample, plain.reports, Long.MAX_VALUE, Long.MAX_VALUE);
        OUT.printf("%nsummary%n");
        for (Result r : List.of(plain, patched)) {
            OUT.printf(
                    "  %-13s start %5.0f MiB, after %5d reports %6.0f MiB (x%.2f), last window %6.1f ms/submit%s%n",
                    r.kind,
                    r.startMiB,
                    r.reports,
                    r.endMiB,
                    r.endMiB / r.startMiB,
                    r.lastMsPerSubmit,
                    r.stoppedBy == null ? "" : "  (stopped: " + r.stoppedBy + ")");
        }
        int common = Math.min(plain.reports, patched.reports);
        OUT.printf(
                "  at %d reports: patched/plain RSS %.3f, ms/submit %.3f%n",
                common, patched.miBAt(common) / plain.miBAt(common), patched.msAt(common) / plain.msAt(common));
        OUT.printf("load average at end: %s%n", loadAverage());
        System.exit(0);
    }

    private record Sample(int reports, double miB, double msPerSubmit) {}

    private static final class Result {
        final String kind;
        final List<Sample> samples = new ArrayList<>();
        double startMiB;
        double endMiB;
        int reports;
        double lastMsPerSubmit;
        String stoppedBy;

        Result(String kind) {
            this.kind = kind;
        }

        double miBAt(int n) {
            return samples.stream()
                    .filter(s -> s.reports() <= n)
                    .reduce((a, b) -> b)
                    .map(Sample::miB)
                    .orElse(startMiB);
        }

        double msAt(int n) {
            return samples.stream()
                    .filter(s -> s.reports() <= n)
                    .reduce((a, b) -> b)
                    .map(Sample::msPerSubmit)
                    .orElse(Double.NaN);
        }
    }

    private static Result run(String kind, int reports, int sample, int sampleEarlyUntil, long capMiB, long capMs)
            throws Exception {
        Result result = new Result(kind);
        int port = freePort();
        Path python = ProjectPaths.venvBin("python");
        List<String> command = kind.equals("moto_server")
                ? List.of(
                        ProjectPaths.venvBin("moto_server").toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
                : List.of(
                        python.toString(),
                        ProjectPaths.root()
                                .resolve("infra/aws-emulator/moto_launcher.py")
                                .toString(),
                        "-H",
                        "127.0.0.1",
                        "-p",
                        Integer.toString(port));
        Path log = Files.createTempFile("emulator-memory-", ".log");
        Process emulator = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        try {
            awaitReady(endpoint, emulator);
            EmulatedStack stack = StackDeployer.deploy(
                    endpoint, "epro-memory-" + UUID.randomUUID().toString().substring(0, 8), "eu-west-1");
            Map<String, String> env = new HashMap<>(stack.env("SubmitReportFunction"));
            AwsClients clients = stack.clients();
            SubmitReportHandler handler = new SubmitReportHandler(
                    SubmitWiring.builder(SubmitConfig.fromEnv(env), clients).build());
            List<APIGatewayV2HTTPEvent> templates = new ArrayList<>();
            for (String name : SAMPLES) {
                templates.add(SampleEvents.httpApi(name));
            }
            result.startMiB = residentMiB(emulator.pid());
            OUT.printf("%n%s (pid %d): %.0f MiB after the stack was created%n", kind, emulator.pid(), result.startMiB);
            OUT.printf("  %8s %10s %14s%n", "reports", "RSS MiB", "ms/submit");
            long windowStart = System.nanoTime();
            int inWindow = 0;
            for (int n = 1; n <= reports; n++) {
                APIGatewayV2HTTPEvent event = submission(templates.get(n % templates.size()), n);
                APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
                if (response.getStatusCode() != 201 && capMs != Long.MAX_VALUE) {
                    // the baseline's commit outgrew the function's SDK call timeout (SDK_API_CALL_TIMEOUT_MS)
                    result.stoppedBy = "submission " + n + " answered " + response.getStatusCode();
                    result.reports = n - 1;
                    result.endMiB = residentMiB(emulator.pid());
                    OUT.printf(
                            "  %8d %10.0f %14s  submission %d answered %d%n",
                            n - 1, result.endMiB, "-", n, response.getStatusCode());
                    break;
                }
                if (response.getStatusCode() != 201) {
                    throw new IllegalStateException(kind + ": submission " + n + " answered " + response.getStatusCode()
                            + " " + response.getBody());
                }
                inWindow++;
                if (n % sample == 0 || n == reports || (n <= sampleEarlyUntil && n % 50 == 0)) {
                    double ms = (System.nanoTime() - windowStart) / 1e6 / inWindow;
                    double miB = residentMiB(emulator.pid());
                    result.samples.add(new Sample(n, miB, ms));
                    result.reports = n;
                    result.endMiB = miB;
                    result.lastMsPerSubmit = ms;
                    OUT.printf("  %8d %10.0f %14.1f%n", n, miB, ms);
                    stack.purgeQueues();
                    if (miB > capMiB) {
                        result.stoppedBy = "RSS above " + capMiB + " MiB";
                        break;
                    }
                    if (ms > capMs) {
                        result.stoppedBy = "above " + capMs + " ms per submit";
                        break;
                    }
                    windowStart = System.nanoTime();
                    inWindow = 0;
                }
            }
            clients.close();
            return result;
        } finally {
            emulator.destroy();
            if (!emulator.waitFor(30, TimeUnit.SECONDS)) {
                emulator.destroyForcibly();
            }
            Files.deleteIfExists(log);
        }
    }

    /** One submission of the sample, from one of 200 subjects, with its own idempotency key. */
    private static APIGatewayV2HTTPEvent submission(APIGatewayV2HTTPEvent template, int n) throws IOException {
        String json = Json.mapper().writeValueAsString(template);
        APIGatewayV2HTTPEvent event = Json.mapper().readValue(json, APIGatewayV2HTTPEvent.class);
        String subject = String.format("SUBJ-%04d", n % 200);
        Map<String, String> claims =
                new HashMap<>(event.getRequestContext().getAuthorizer().getJwt().getClaims());
        claims.put("subject_id", subject);
        event.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.put("idempotency-key", UUID.randomUUID().toString());
        event.setHeaders(headers);
        ObjectNode body = (ObjectNode) Json.mapper().readTree(event.getBody());
        body.putObject("subject").put("reference", "Patient/" + subject);
        event.setBody(body.toString());
        return event;
    }

    private static double residentMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the emulator's memory (Linux /proc only)", e);
        }
        return Double.NaN;
    }

    private static void awaitReady(URI endpoint, Process emulator) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            if (!emulator.isAlive()) {
                throw new IllegalStateException("emulator exited with " + emulator.exitValue());
            }
            try {
                HttpURLConnection c = (HttpURLConnection)
                        endpoint.resolve("/moto-api/").toURL().openConnection();
                c.setConnectTimeout(200);
                if (c.getResponseCode() > 0) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("emulator did not start");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
