package org.openepro.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.openepro.core.json.Json;
import org.openepro.core.questionnaire.ItemDefinition;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.questionnaire.SampleResponses;

/**
 * `make demo`: a day of a small study against a running `make run`. Six subjects at two sites
 * answer every packaged questionnaire; three answers raise alerts (watch the runtime's ALERT
 * lines); a few invalid submissions show the API's problem responses; then a staff member asks
 * for a csv export and gets a presigned link that downloads with curl. The API is at
 * {@code EPRO_API_URL} (default http://127.0.0.1:3000) or the first argument.
 */
public final class Demo {
    /** How often the demo, as a patient app, sends a submission again after a 5xx. */
    private static final int SUBMIT_RETRIES = 2;

    static final String STUDY = LocalRuntime.DEMO_STUDY;
    private static final String FHIR_JSON = "application/fhir+json";
    private static final Duration EXPORT_WAIT = Duration.ofMinutes(2);

    /** A study participant: pseudonymous ids and where the phone's clock is. */
    record Subject(String siteId, String subjectId, ZoneId zone) {}

    /** An answer chosen to raise an alert, so the demo shows one. */
    record PlannedAlert(String subjectId, String questionnaireId, String linkId, BigDecimal score, String expected) {}

    static final List<Subject> SUBJECTS = List.of(
            new Subject("SITE-01", "SUBJ-0101", ZoneId.of("Europe/Berlin")),
            new Subject("SITE-01", "SUBJ-0102", ZoneId.of("Europe/Berlin")),
            new Subject("SITE-01", "SUBJ-0103", ZoneId.of("Europe/Berlin")),
            new Subject("SITE-02", "SUBJ-0201", ZoneId.of("America/New_York")),
            new Subject("SITE-02", "SUBJ-0202", ZoneId.of("America/New_York")),
            new Subject("SITE-02", "SUBJ-0203", ZoneId.of("America/New_York")));

    static final List<PlannedAlert> ALERTS = List.of(
            new PlannedAlert(
                    "SUBJ-0102", "phq-9", "44260-8", BigDecimal.ONE, "URGENT: PHQ-9 item 9 above 'Not at all'"),
            new PlannedAlert("SUBJ-0201", "pain-nrs", "72514-3", BigDecimal.valueOf(8), "HIGH: pain 8 of 10"),
            new PlannedAlert(
                    "SUBJ-0203",
                    "pro-ctcae",
                    "pain-interference",
                    BigDecimal.valueOf(3),
                    "HIGH: PRO-CTCAE pain interference 'quite a bit'"));

    private final LocalApiClient api;
    private final LocalTokens tokens;
    private final QuestionnaireRegistry registry;
    private final PrintStream out;
    // the demo's own time: once the schedule API has answered, the time the functions run on (the
    // demo clock of `make run`, EPRO_CLOCK), so that authored times and export days agree with it
    private Clock clock;
    private final Random random = new Random(20_260_101L);
    private int unexpected;

    Demo(LocalApiClient api, LocalTokens tokens, QuestionnaireRegistry registry, PrintStream out, Clock clock) {
        this.api = api;
        this.tokens = tokens;
        this.registry = registry;
        this.out = out;
        this.clock = clock;
    }

    public static void main(String[] args) throws Exception {
        String configured = args.length > 0 && !args[0].isBlank() ? args[0] : System.getenv("EPRO_API_URL");
        URI base = URI.create(
                configured == null || configured.isBlank()
                        ? "http://127.0.0.1:" + RuntimeOptions.DEFAULT_PORT
                        : configured.strip());
        Demo demo = new Demo(
                new LocalApiClient(base),
                new LocalTokens(LocalSigningKey.forRepository(), Clock.systemUTC()),
                QuestionnaireRegistry.load(),
                System.out,
                Clock.systemUTC());
        System.exit(demo.run());
    }

    /** Runs the whole day; 0 when every step answered as expected. */
    int run() throws IOException, InterruptedException {
        out.printf(
                "OpenEPRO demo against %s: study %s, %d subjects at 2 sites, %d questionnaires%n%n",
                api.base(), STUDY, SUBJECTS.size(), active().size());
        try {
            api.get("/v1/questionnaires", patientToken(SUBJECTS.get(0)));
        } catch (ConnectException e) {
            out.println("Nothing answers at " + api.base() + ": start `make run` first (or set EPRO_API_URL).");
            return 1;
        }
        startTheProtocol();
        submitTheDay();
        showInvalidSubmissions();
        out.println();
        out.println(
                "index-report and alert work through their queues now; `make run` prints an ALERT line for each of:");
        ALERTS.forEach(a -> out.println("  " + a.expected() + "  (" + a.subjectId() + ")"));
        Thread.sleep(3000);
        showAlerts();
        showCompliance();
        export();
        out.println();
        out.println(
                unexpected == 0
                        ? "Demo complete."
                        : "Demo complete, but " + unexpected + " step(s) did not answer as expected (see above).");
        return unexpected == 0 ? 0 : 1;
    }

    /**
     * The study's protocol (a daily pain NRS at 20:00 local, a weekly PHQ-9 on Mondays at 09:00), every
     * subject enrolled today in their site's zone, and one subject's tasks as the app sees them. With the
     * demo clock (EPRO_CLOCK, EPRO_CLOCK_RATE on `make run`) the runtime then shows windows open,
     * reminders and missed windows as that clock passes them.
     */
    private void startTheProtocol() throws IOException {
        out.println("Protocol");
        // the versions that take new responses (a retired one's reports stay, new ones go to its successor)
        LocalApiClient.Response stored = api.put(
                "/v1/studies/" + STUDY + "/protocol",
                designerToken(),
                protocol(
                        registry.latest("pain-nrs").orElseThrow().canonical(),
                        registry.latest("phq-9").orElseThrow().canonical()));
        expect(stored, stored.status() == 200 ? 200 : 201);
        out.printf(
                "  PUT /v1/studies/%s/protocol (study-designer): %d  %s%n",
                STUDY,
                stored.status(),
                stored.status() < 300
                        ? "version " + stored.json().path("version").asText("?")
                        : problem(stored));
        Subject first = SUBJECTS.getFirst();
        LocalApiClient.Response listed = api.get("/v1/tasks", patientToken(first));
        String stamp = listed.json().path("timestamp").asText("");
        if (!stamp.isEmpty()) {
            // the functions' "now": the demo follows it (it lags a demo clock that runs faster, which only
            // makes authored times earlier than the server's, as a phone's are)
            clock = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), Instant.parse(stamp)));
        }
        for (Subject s : SUBJECTS) {
            ObjectNode body = Json.mapper()
                    .createObjectNode()
                    .put("siteId", s.siteId())
                    .put("enrolledOn", LocalDate.now(clock.withZone(s.zone())).toString())
                    .put("timeZone", s.zone().getId())
                    .put("status", "active");
            LocalApiClient.Response r =
                    api.put("/v1/studies/" + STUDY + "/subjects/" + s.subjectId(), designerToken(), body.toString());
            expect(r, r.status() == 200 ? 200 : 201);
            out.printf(
                    "  PUT /v1/studies/%s/subjects/%s (%s, %s): %d%s%n",
                    STUDY,
                    s.subjectId(),
                    s.siteId(),
                    s.zone().getId(),
                    r.status(),
                    r.status() < 300 ? "" : "  " + problem(r));
        }
        listed = api.get("/v1/tasks", patientToken(first));
        expect(listed, 200);
        JsonNode bundle = listed.json();
        out.printf(
                "  GET /v1/tasks (patient %s, %s, now %s there): %d, %d task(s)%n",
                first.subjectId(),
                first.zone().getId(),
                OffsetDateTime.now(clock.withZone(first.zone())).truncatedTo(ChronoUnit.MINUTES),
                listed.status(),
                bundle.path("total").asInt());
        int shown = 0;
        for (JsonNode e : bundle.path("entry")) {
            JsonNode task = e.path("resource");
            if (shown++ == 4) {
                out.println("    ...");
                break;
            }
            out.printf(
                    "    %-12s %-58s %s .. %s%n",
                    task.path("status").asText(),
                    task.at("/focus/reference").asText(),
                    task.at("/executionPeriod/start").asText(),
                    task.at("/executionPeriod/end").asText());
        }
        out.println();
    }

    /** The protocol `make demo` puts: the schedule README's example, with the instruments' current versions. */
    static String protocol(String painCanonical, String phq9Canonical) {
        ObjectNode p = Json.mapper().createObjectNode().put("effectiveFrom", "2026-01-01");
        ArrayNode sites = p.putArray("sites");
        sites.addObject().put("siteId", "SITE-01").put("timeZone", "Europe/Berlin");
        sites.addObject().put("siteId", "SITE-02").put("timeZone", "America/New_York");
        ArrayNode entries = p.putArray("entries");
        ObjectNode pain = entries.addObject().put("id", "pain-daily").put("questionnaire", painCanonical);
        pain.putObject("recurrence").put("type", "daily").put("at", "20:00");
        pain.putObject("window").put("opens", "PT0S").put("closes", "PT4H");
        pain.putArray("reminders").add("PT0S").add("PT2H");
        pain.putObject("missedAlert").put("consecutive", 3).put("severity", "MEDIUM");
        ObjectNode phq9 = entries.addObject().put("id", "phq9-weekly").put("questionnaire", phq9Canonical);
        phq9.putObject("recurrence")
                .put("type", "weekly")
                .put("dayOfWeek", "MONDAY")
                .put("at", "09:00");
        phq9.putObject("window").put("opens", "PT0S").put("closes", "P2D");
        phq9.putArray("reminders").add("PT1H").add("P1D");
        return p.toString();
    }

    /** Compliance by site over the last week of the functions' clock: what staff see move as windows pass. */
    private void showCompliance() throws IOException {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        String path = "/v1/studies/" + STUDY + "/compliance?from=" + today.minusDays(7) + "&to=" + today.plusDays(1)
                + "&by=site";
        LocalApiClient.Response r = api.get(path, staffToken());
        expect(r, 200);
        out.println();
        out.printf("GET %s (staff): %d%n", path, r.status());
        if (r.status() != 200) {
            out.println("  " + problem(r));
            return;
        }
        JsonNode rows = r.json().path("rows");
        if (rows.isEmpty()) {
            out.println(
                    "  no window has closed or been answered yet (with EPRO_CLOCK the runtime's clock runs on: ask again later)");
        }
        for (JsonNode row : rows) {
            out.printf(
                    "  %-8s expected %s, on time %s, late %s, missed %s, adherence %s%%%n",
                    row.path("siteId").asText("-"),
                    row.path("expected").asText(),
                    row.path("onTime").asText(),
                    row.path("late").asText(),
                    row.path("missed").asText(),
                    row.path("adherencePercent").asText());
        }
    }

    private void submitTheDay() throws IOException {
        out.println("Submissions");
        int minutesAgo = 9 * 60;
        for (QuestionnaireDefinition q : active()) {
            for (Subject s : SUBJECTS) {
                minutesAgo -= 7;
                OffsetDateTime authored = OffsetDateTime.now(clock.withZone(s.zone()))
                        .minusMinutes(Math.max(1, minutesAgo))
                        .truncatedTo(ChronoUnit.SECONDS);
                Map<String, BigDecimal> chosen = new HashMap<>();
                Optional<PlannedAlert> alert = ALERTS.stream()
                        .filter(a -> a.subjectId().equals(s.subjectId())
                                && a.questionnaireId().equals(q.id()))
                        .findFirst();
                alert.ifPresent(a -> chosen.put(a.linkId(), a.score()));
                ObjectNode body = SampleResponses.of(q, authored)
                        .scores(chosen)
                        .unremarkable(random)
                        .json();
                LocalApiClient.Response r = submit(s, body.toString(), FHIR_JSON);
                expect(r, 201);
                out.printf(
                        "  %d  %s %s  %-52s %s%s%n",
                        r.status(),
                        s.siteId(),
                        s.subjectId(),
                        q.canonical(),
                        r.status() == 201
                                ? "report " + r.json().path("reportId").asText("?")
                                : problem(r),
                        alert.map(a -> "   <- " + a.expected()).orElse(""));
            }
        }
    }

    /** The questionnaires that take new responses (a retired version's reports stay, new ones go to its successor). */
    private java.util.List<QuestionnaireDefinition> active() {
        return registry.all().stream().filter(q -> !q.retired()).toList();
    }

    private void showInvalidSubmissions() throws IOException {
        out.println();
        out.println("Invalid submissions (nothing is stored for any of them)");
        Subject s = SUBJECTS.get(0);
        QuestionnaireDefinition phq9 =
                registry.latest("phq-9").orElse(registry.all().get(0));
        QuestionnaireDefinition pain =
                registry.latest("pain-nrs").orElse(registry.all().get(0));
        OffsetDateTime now = OffsetDateTime.now(clock.withZone(s.zone())).truncatedTo(ChronoUnit.SECONDS);

        String required = phq9.answerableItems().values().stream()
                .filter(ItemDefinition::required)
                .map(ItemDefinition::linkId)
                .findFirst()
                .orElseThrow();
        invalid(
                "a required item left out",
                422,
                submit(
                        s,
                        edited(phq9, now, qr -> {
                            ArrayNode items = (ArrayNode) qr.get("item");
                            for (int i = 0; i < items.size(); i++) {
                                if (items.get(i).path("linkId").asText().equals(required)) {
                                    items.remove(i);
                                    break;
                                }
                            }
                            return qr;
                        }),
                        FHIR_JSON));
        invalid(
                "pain 11 on a 0-10 scale",
                422,
                submit(
                        s,
                        edited(pain, now, qr -> {
                            ((ObjectNode) qr.get("item").get(0).get("answer").get(0)).put("valueInteger", 11);
                            return qr;
                        }),
                        FHIR_JSON));
        invalid(
                "authored tomorrow",
                422,
                submit(
                        s,
                        edited(pain, now, qr -> qr.put("authored", SampleResponses.AUTHORED.format(now.plusDays(1)))),
                        FHIR_JSON));
        invalid(
                "a questionnaire version nobody knows",
                422,
                submit(s, edited(pain, now, qr -> qr.put("questionnaire", pain.url() + "|99.0.0")), FHIR_JSON));
        invalid("sent as text/plain", 415, submit(s, edited(pain, now, qr -> qr), "text/plain"));
        invalid("broken JSON", 400, submit(s, "{\"resourceType\":\"QuestionnaireResponse\",", FHIR_JSON));
        invalid(
                "no token",
                401,
                api.post(
                        "/v1/reports",
                        null,
                        FHIR_JSON,
                        edited(pain, now, qr -> qr),
                        "Idempotency-Key",
                        UUID.randomUUID().toString()));
        invalid(
                "a patient asking for an export",
                403,
                api.post("/v1/studies/" + STUDY + "/exports", patientToken(s), "application/json", exportRequest()));
    }

    private void showAlerts() throws IOException {
        LocalApiClient.Response r = api.get("/v1/studies/" + STUDY + "/alerts", staffToken());
        JsonNode json = r.json();
        JsonNode list =
                json.isArray() ? json : json.path("alerts").isArray() ? json.path("alerts") : json.path("items");
        out.println();
        out.printf(
                "GET /v1/studies/%s/alerts (staff): %d%s%n",
                STUDY,
                r.status(),
                r.status() == 200 && list.isArray() ? ", " + list.size() + " alert(s)" : "  " + problem(r));
    }

    private void export() throws IOException, InterruptedException {
        out.println();
        LocalApiClient.Response created =
                api.post("/v1/studies/" + STUDY + "/exports", staffToken(), "application/json", exportRequest());
        out.printf("POST /v1/studies/%s/exports (csv, limited, today): %d%n", STUDY, created.status());
        if (!expect(created, 202)) {
            out.println("  " + problem(created));
            return;
        }
        String exportId = created.json().path("exportId").asText(null);
        if (exportId == null) {
            exportId = created.header("location")
                    .map(l -> l.substring(l.lastIndexOf('/') + 1))
                    .orElse(null);
        }
        if (exportId == null) {
            out.println("  the answer names no export id");
            unexpected++;
            return;
        }
        long deadline = System.nanoTime() + EXPORT_WAIT.toNanos();
        JsonNode job = null;
        String status = "";
        while (System.nanoTime() < deadline) {
            LocalApiClient.Response r = api.get("/v1/exports/" + exportId, staffToken());
            job = r.json();
            String now = r.status() == 200 ? job.path("status").asText("?") : "HTTP " + r.status();
            if (!now.equals(status)) {
                out.printf("  export %s: %s%n", exportId, now);
                status = now;
            }
            if (status.equals("SUCCEEDED") || status.equals("FAILED") || r.status() >= 400) {
                break;
            }
            Thread.sleep(1000);
        }
        if (!status.equals("SUCCEEDED")) {
            out.println("  the export did not succeed within " + EXPORT_WAIT.toSeconds() + " s");
            unexpected++;
            return;
        }
        Optional<String> link = presignedLink(job);
        if (link.isEmpty()) {
            out.println("  SUCCEEDED, but the answer holds no link");
            unexpected++;
            return;
        }
        out.println("  rows " + job.path("rowCount").asText("?") + ", bytes "
                + job.path("bytes").asText("?") + ", sha256 "
                + job.path("sha256").asText("?"));
        out.println();
        out.println("Presigned link (valid for minutes; each GET /v1/exports/" + exportId + " issues a fresh one):");
        out.println("  " + link.get());
        out.println("  curl -o study-demo.csv '" + link.get() + "'");
        byte[] csv = api.download(URI.create(link.get()));
        String text = new String(csv, StandardCharsets.UTF_8);
        long lines = text.lines().count();
        out.printf("Downloaded it here too: %d bytes, %d lines (header and one row per report).%n", csv.length, lines);
    }

    /** The presigned link of a succeeded export job ({@code download.url} of GET /v1/exports/{id}). */
    static Optional<String> presignedLink(JsonNode job) {
        String url = job.path("download").path("url").asText("");
        return url.startsWith("http://") || url.startsWith("https://") ? Optional.of(url) : Optional.empty();
    }

    private String exportRequest() {
        ObjectNode r = Json.mapper().createObjectNode();
        String today = LocalDate.now(clock.withZone(ZoneOffset.UTC)).toString();
        r.put("format", "csv");
        r.put("from", today);
        r.put("to", today);
        r.put("profile", "limited");
        return r.toString();
    }

    private String edited(QuestionnaireDefinition q, OffsetDateTime authored, UnaryOperator<ObjectNode> edit) {
        return edit.apply(SampleResponses.of(q, authored).unremarkable(random).json())
                .toString();
    }

    /**
     * Submits as a patient app does: one Idempotency-Key per questionnaire response, and the same request
     * again after a 5xx (a cold start past the function's timeout on a busy laptop answers 500, as API
     * Gateway does): the backend stores it once, whichever attempt got through.
     */
    private LocalApiClient.Response submit(Subject s, String body, String contentType) throws IOException {
        String key = UUID.randomUUID().toString();
        LocalApiClient.Response r = api.post("/v1/reports", patientToken(s), contentType, body, "Idempotency-Key", key);
        for (int retry = 1; retry <= SUBMIT_RETRIES && r.status() >= 500; retry++) {
            out.printf(
                    "  %d  %s %s  (the app retries with the same Idempotency-Key)%n",
                    r.status(), s.siteId(), s.subjectId());
            pause(Duration.ofSeconds(retry));
            r = api.post("/v1/reports", patientToken(s), contentType, body, "Idempotency-Key", key);
        }
        return r;
    }

    private static void pause(Duration d) throws IOException {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private void invalid(String what, int expected, LocalApiClient.Response r) {
        expect(r, expected);
        out.printf("  %d  %-38s %s%n", r.status(), what, problem(r));
    }

    private boolean expect(LocalApiClient.Response r, int status) {
        if (r.status() != status) {
            unexpected++;
            return false;
        }
        return true;
    }

    /** A problem response in one line: title, detail and the field errors' pointers and codes. */
    static String problem(LocalApiClient.Response r) {
        JsonNode p = r.json();
        if (p.has("message")) {
            return p.path("message").asText();
        }
        StringBuilder line = new StringBuilder(p.path("title").asText(""));
        if (p.hasNonNull("detail")) {
            line.append(": ").append(p.path("detail").asText());
        }
        for (JsonNode e : p.path("errors")) {
            line.append(" [")
                    .append(e.path("linkId").asText(e.path("pointer").asText("")))
                    .append(' ')
                    .append(e.path("code").asText(""))
                    .append(']');
        }
        return line.toString();
    }

    private String patientToken(Subject s) {
        return tokens.patient(STUDY, s.siteId(), s.subjectId());
    }

    private String staffToken() {
        return tokens.staff(List.of(STUDY), List.of());
    }

    private String designerToken() {
        return tokens.staff(List.of(STUDY), List.of("study-designer"));
    }
}
