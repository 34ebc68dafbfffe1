package org.openepro.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.openepro.runtime.LocalSigningKey;
import org.openepro.runtime.LocalTokens;

/**
 * The load benchmark against a running {@code make run}: many patients submitting at once through
 * the HTTP API, some submissions retried with the same Idempotency-Key (half of them while the first
 * attempt is still in flight, as a phone on a flaky network does), then the study exported through
 * the API and every acknowledged report counted in the file. It fails (exit 1) on any 5xx, on an
 * acknowledged report missing from the export or exported twice, or on a report in the export that
 * was never acknowledged. It samples the emulator's resident memory as reports are stored.
 *
 * <p>Usage (bench/load.sh starts {@code make run} and passes these):
 * {@code SubmitLoad --api URL --key-dir DIR [--submissions 1000] [--clients 16] [--retries 0.10]
 * [--subjects 50] [--emulator-pid PID] [--max-emulator-rss-mib 4096]}
 */
public final class SubmitLoad {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration EXPORT_WAIT = Duration.ofMinutes(15);
    private static final DateTimeFormatter AUTHORED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");

    private final URI api;
    private final LocalTokens tokens;
    private final HttpClient http;
    private final int clients;
    private final long emulatorPid;
    private final long maxRssKib;
    private final String study = "LOAD-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<Long> submitMillis = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> firstAttemptMillis = Collections.synchronizedList(new ArrayList<>());
    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>(); // idempotency key -> report id
    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    private final List<long[]> rssSamples = Collections.synchronizedList(new ArrayList<>()); // {reports, kib}
    private final AtomicBoolean aborted = new AtomicBoolean();
    private final Map<String, String> tokenBySubject = new ConcurrentHashMap<>();

    private SubmitLoad(URI api, LocalTokens tokens, int clients, long emulatorPid, long maxRssKib) {
        this.api = api;
        this.tokens = tokens;
        this.clients = clients;
        this.emulatorPid = emulatorPid;
        this.maxRssKib = maxRssKib;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** One submission: who sends what, under which key, and whether (and how) it is sent again. */
    record Submission(int index, String site, String subject, String body, String key, Retry retry) {}

    enum Retry {
        NONE,
        WHILE_IN_FLIGHT,
        AFTER_ANSWER
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int submissions = Integer.parseInt(a.getOrDefault("submissions", "1000"));
        int clients = Integer.parseInt(a.getOrDefault("clients", "16"));
        double retries = Double.parseDouble(a.getOrDefault("retries", "0.10"));
        int subjects = Integer.parseInt(a.getOrDefault("subjects", "50"));
        LocalTokens tokens =
                new LocalTokens(LocalSigningKey.loadOrCreate(Path.of(a.get("key-dir"))), Clock.systemUTC());
        SubmitLoad load = new SubmitLoad(
                URI.create(a.getOrDefault("api", "http://127.0.0.1:3109")),
                tokens,
                clients,
                Long.parseLong(a.getOrDefault("emulator-pid", "0")),
                Long.parseLong(a.getOrDefault("max-emulator-rss-mib", "4096")) * 1024);
        boolean ok = load.run(submissions, retries, subjects);
        System.exit(ok ? 0 : 1);
    }

    private boolean run(int count, double retryShare, int subjects) throws Exception {
        List<Submission> plan = plan(count, retryShare, subjects);
        System.out.printf(
                "load: %d submissions by %d subjects of %s, %d clients, %d retried (%d while in flight), "
                        + "load average %s%n",
                count,
                subjects,
                study,
                clients,
                plan.stream().filter(s -> s.retry() != Retry.NONE).count(),
                plan.stream().filter(s -> s.retry() == Retry.WHILE_IN_FLIGHT).count(),
                loadAverage());
        sampleRss(0);
        Thread sampler = Thread.ofVirtual().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    return;
                }
                sampleRss(acknowledged.size());
            }
        });
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<?>> running = new ArrayList<>();
            for (Submission s : plan) {
                running.add(pool.submit(() -> send(s)));
            }
            for (Future<?> f : running) {
                f.get();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        sampler.interrupt();
        sampleRss(acknowledged.size());
        int reports = (int) acknowledged.values().stream().distinct().count();

        System.out.printf(
                Locale.ROOT,
                "submitted in %.1f s: %d acknowledged reports, %.1f reports/s%n",
                seconds,
                reports,
                reports / seconds);
        System.out.printf("HTTP statuses of POST /v1/reports: %s%n", new TreeMap<>(statuses));
        System.out.printf("submit latency, every POST (%d): %s%n", submitMillis.size(), percentiles(submitMillis));
        System.out.printf(
                "submit latency, first attempts (%d): %s%n",
                firstAttemptMillis.size(), percentiles(firstAttemptMillis));
        if (!rssSamples.isEmpty()) {
            long[] startRss = rssSamples.getFirst();
            long[] endRss = rssSamples.getLast();
            long peak = rssSamples.stream().mapToLong(r -> r[1]).max().orElse(0);
            System.out.printf(
                    Locale.ROOT,
                    "emulator RSS: %d MiB at start, %d MiB after %d reports (%.2fx), peak %d MiB%n",
                    startRss[1] / 1024,
                    endRss[1] / 1024,
                    endRss[0],
                    (double) endRss[1] / startRss[1],
                    peak / 1024);
            int step = Math.max(1, rssSamples.size() / 12);
            List<String> series = new ArrayList<>();
            for (int i = 0; i < rssSamples.size(); i += step) {
                series.add(rssSamples.get(i)[0] + ":" + rssSamples.get(i)[1] / 1024);
            }
            System.out.printf("emulator RSS over the run (reports:MiB): %s%n", series);
        }
        boolean fiveHundreds = statuses.keySet().stream().anyMatch(s -> s >= 500);
        if (fiveHundreds) {
            problems.add("answers of 5xx: " + new TreeMap<>(statuses));
        }
        if (aborted.get()) {
            problems.add("stopped early: the emulator's memory passed " + maxRssKib / 1024 + " MiB");
        } else {
            exportedExactlyOnce(Set.copyOf(acknowledged.values()));
        }
        System.out.printf("load average %s%n", loadAverage());
        problems.forEach(p -> System.out.println("PROBLEM " + p));
        System.out.println(problems.isEmpty() ? "load: PASSED" : "load: FAILED");
        return problems.isEmpty();
    }

    /** Who submits what: PHQ-9, GAD-7 and pain scores in turn, a share of them sent twice with the same key. */
    private List<Submission> plan(int count, double retryShare, int subjects) throws IOException {
        Random random = new Random(42);
        List<String> templates =
                List.of(body("submit-phq9.json"), body("submit-gad7.json"), body("submit-pain-nrs.json"));
        List<Submission> plan = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String subject = "SUBJ-L%04d".formatted(i % subjects);
            String site = (i % subjects) % 2 == 0 ? "SITE-01" : "SITE-02";
            String body = templates.get(i % templates.size());
            if (body.contains("pain-nrs")) {
                body = body.replace("{\"valueInteger\":4}", "{\"valueInteger\":" + random.nextInt(11) + "}");
            }
            Retry retry = random.nextDouble() >= retryShare
                    ? Retry.NONE
                    : random.nextBoolean() ? Retry.WHILE_IN_FLIGHT : Retry.AFTER_ANSWER;
            plan.add(new Submission(
                    i,
                    site,
                    subject,
                    body.replaceAll("Patient/SUBJ-\\d+", "Patient/" + subject),
                    UUID.randomUUID().toString(),
                    retry));
        }
        return plan;
    }

    private void send(Submission s) {
        if (aborted.get()) {
            return;
        }
        try {
            if (s.retry() == Retry.WHILE_IN_FLIGHT) {
                // the phone gave up waiting and sends again while the first request is still being served
                Thread first = Thread.ofVirtual().start(() -> attemptUntilAnswered(s, true));
                Thread.sleep(20 + s.index() % 180);
                attemptUntilAnswered(s, false);
                first.join();
            } else {
                attemptUntilAnswered(s, true);
                if (s.retry() == Retry.AFTER_ANSWER) {
                    attemptUntilAnswered(s, false);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends until the API answers for good (a 409 "in progress" is asked again after its Retry-After). */
    private void attemptUntilAnswered(Submission s, boolean first) {
        String authored =
                OffsetDateTime.now(ZoneOffset.ofHours(1)).minusMinutes(2).format(AUTHORED);
        String body = s.body().replaceFirst("\"authored\":\"[^\"]+\"", "\"authored\":\"" + authored + "\"");
        for (int attempt = 0; attempt < 30; attempt++) {
            HttpRequest request = HttpRequest.newBuilder(api.resolve("/v1/reports"))
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + token(s))
                    .header("Content-Type", "application/fhir+json")
                    .header("Idempotency-Key", s.key())
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            long t0 = System.nanoTime();
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                problems.add("submission " + s.index() + ": " + e);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            submitMillis.add(ms);
            if (first && attempt == 0) {
                firstAttemptMillis.add(ms);
            }
            statuses.computeIfAbsent(response.statusCode(), k -> new AtomicInteger())
                    .incrementAndGet();
            switch (response.statusCode()) {
                case 201 -> {
                    String reportId = field(response.body(), "reportId");
                    String earlier = acknowledged.putIfAbsent(s.key(), reportId);
                    if (earlier != null && !earlier.equals(reportId)) {
                        problems.add(
                                "key " + s.key() + " acknowledged as two reports: " + earlier + " and " + reportId);
                    }
                    return;
                }
                case 409, 503 ->
                    sleep(response.headers()
                            .firstValue("retry-after")
                            .map(Long::parseLong)
                            .orElse(1L));
                default -> {
                    problems.add("submission " + s.index() + " answered " + response.statusCode() + ": "
                            + response.body()
                                    .substring(0, Math.min(300, response.body().length())));
                    return;
                }
            }
        }
        problems.add("submission " + s.index() + " never answered for good");
    }

    private String token(Submission s) {
        return tokenBySubject.computeIfAbsent(s.subject(), subject -> tokens.patient(study, s.site(), subject));
    }

    /**
     * Exports the study (ndjson, through the API) until the export holds as many reports as were
     * acknowledged (the projections fill behind the index queue), then checks every acknowledged
     * report is in it exactly once and nothing else is.
     */
    private void exportedExactlyOnce(Set<String> reports) throws Exception {
        String staff = tokens.staff(List.of(study), List.of());
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
        long start = System.nanoTime();
        Map<String, Integer> rows = Map.of();
        int exports = 0;
        while (System.nanoTime() < deadline) {
            String request = "{\"format\":\"ndjson\",\"from\":\"" + today.minusDays(1) + "\",\"to\":\""
                    + today.plusDays(1) + "\",\"profile\":\"limited\"}";
            HttpResponse<String> accepted = http.send(
                    HttpRequest.newBuilder(api.resolve("/v1/studies/" + study + "/exports"))
                            .header("Authorization", "Bearer " + staff)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(request))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            exports++;
            if (accepted.statusCode() != 202) {
                problems.add("export request answered " + accepted.statusCode() + ": " + accepted.body());
                return;
            }
            String exportId = field(accepted.body(), "exportId");
            JsonNode job = awaitExport(exportId, staff);
            if (job == null) {
                problems.add("the exactly-once check did not run: no export finished");
                return;
            }
            rows = exportedRows(job.at("/download/url").asText());
            if (rows.size() >= reports.size()) {
                break;
            }
            Thread.sleep(3000);
        }
        Map<String, Integer> seen = rows;
        long duplicated = seen.values().stream().filter(n -> n > 1).count();
        long missing = reports.stream().filter(r -> !seen.containsKey(r)).count();
        long unknown = seen.keySet().stream().filter(r -> !reports.contains(r)).count();
        System.out.printf(
                Locale.ROOT,
                "export: %d reports in the file after %d export(s), %.1f s after the last "
                        + "submission: %d missing, %d exported twice or more, %d never acknowledged%n",
                rows.size(),
                exports,
                (System.nanoTime() - start) / 1e9,
                missing,
                duplicated,
                unknown);
        if (missing > 0 || duplicated > 0 || unknown > 0) {
            problems.add("export does not hold every acknowledged report exactly once");
        }
    }

    /**
     * Polls the job until it ends. Long enough for the worker's slowest recovery: a segment that failed with its
     * lease unreleased is woken again after the lease (the worker's 300 s Timeout and 30 s), then runs again.
     */
    private JsonNode awaitExport(String exportId, String staff) throws Exception {
        long deadline = System.nanoTime() + EXPORT_WAIT.toNanos();
        String status = "none";
        Map<Integer, Integer> answers = new TreeMap<>();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(api.resolve("/v1/exports/" + exportId))
                            .header("Authorization", "Bearer " + staff)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            answers.merge(r.statusCode(), 1, Integer::sum);
            if (r.statusCode() == 200) {
                JsonNode job = JSON.readTree(r.body());
                status = job.path("status").asText();
                if (status.equals("SUCCEEDED")) {
                    System.out.printf("export %s: GET /v1/exports/{id} answered %s%n", exportId, answers);
                    return job;
                }
                if (status.equals("FAILED")) {
                    problems.add("export " + exportId + " failed: " + r.body());
                    return null;
                }
            }
            Thread.sleep(1000);
        }
        problems.add("export " + exportId + " did not finish within " + EXPORT_WAIT.toMinutes() + " min (last status "
                + status + "; GET answered " + answers + ")");
        return null;
    }

    /** Report id -> rows of it in the ndjson file (one row a report in the wide layout). */
    private Map<String, Integer> exportedRows(String url) throws Exception {
        HttpResponse<java.io.InputStream> file = http.send(
                HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        Map<String, Integer> rows = new LinkedHashMap<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(file.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (!line.isBlank()) {
                    rows.merge(JSON.readTree(line).path("reportId").asText(), 1, Integer::sum);
                }
            }
        }
        return rows;
    }

    private void sampleRss(int reports) {
        if (emulatorPid <= 0) {
            return;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(emulatorPid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    long kib = Long.parseLong(line.replaceAll("\\D", ""));
                    rssSamples.add(new long[] {reports, kib});
                    if (kib > maxRssKib && aborted.compareAndSet(false, true)) {
                        System.out.printf(
                                "emulator at %d MiB after %d reports: stopping (limit %d MiB)%n",
                                kib / 1024, reports, maxRssKib / 1024);
                    }
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the emulator has ended
        }
    }

    private static String body(String sample) throws IOException {
        Path file = Path.of("events", sample);
        return JSON.readTree(file.toFile()).get("body").asText();
    }

    private static String field(String json, String name) {
        try {
            return JSON.readTree(json).path(name).asText();
        } catch (IOException e) {
            return "";
        }
    }

    private static void sleep(long seconds) {
        try {
            Thread.sleep(Math.min(1000, seconds * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String percentiles(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        if (sorted.isEmpty()) {
            return "none";
        }
        Collections.sort(sorted);
        return "p50 %d ms, p95 %d ms, p99 %d ms, max %d ms"
                .formatted(at(sorted, 0.50), at(sorted, 0.95), at(sorted, 0.99), sorted.getLast());
    }

    private static long at(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    private static String loadAverage() {
        try {
            String[] p = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return p[0] + " " + p[1] + " " + p[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
