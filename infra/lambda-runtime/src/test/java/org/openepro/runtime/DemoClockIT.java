package org.openepro.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openepro.core.config.Clocks;
import org.openepro.core.report.Times;
import org.openepro.core.schedule.ScheduleKeys;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedStack;
import org.openepro.emulator.SampleEvents;
import org.openepro.runtime.lambda.FunctionPool;
import org.openepro.runtime.lambda.InvokeResult;
import org.openepro.runtime.lambda.ManagedJavaRuntime;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The demo clock of `make run` ({@code EPRO_CLOCK}, {@code EPRO_CLOCK_RATE}) reaches function
 * instances started from their {@code sam build} artifacts, as the local runtime starts them: the
 * schedule API answers by that clock, a window opens when that clock reaches it (not the real one:
 * under the real clock the protocol's 2026-03-28 would be long past), and the scheduler sends its
 * reminder then. Every time is compared with the same clock the runtime hands the functions, never
 * with how fast the machine is.
 */
@ExtendWith(AwsEmulatorExtension.class)
class DemoClockIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant START = Instant.parse("2026-03-28T18:00:00Z");
    // one simulated hour per real minute: windows of an hour leave a slow machine time to look
    private static final String RATE = "60";
    private static final Duration PATIENCE = Duration.ofMinutes(3);
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final Map<String, List<String>> CONSOLE = new ConcurrentHashMap<>();

    private static EmulatedStack stack;
    private static Path artifacts;
    private static Map<String, FunctionPool> functions;
    private static Clock demoClock;

    @BeforeAll
    static void startTheScheduleFunctionsOnTheDemoClock(EmulatedStack deployed) {
        stack = deployed;
        artifacts = RuntimeOptions.defaults(LocalSigningKey.generate()).artifacts();
        for (String id : List.of("ScheduleApiFunction", "SchedulerFunction")) {
            assertThat(artifacts.resolve(id).resolve("lib"))
                    .as("%s's sam build artifact: run `make sam-build`", id)
                    .isDirectory();
        }
        long anchor = System.currentTimeMillis();
        RuntimeOptions options =
                RuntimeOptions.defaults(LocalSigningKey.generate()).withFunctionClock(START.toString(), RATE, anchor);
        demoClock = Clocks.fromEnv(options.functionEnvironment());
        functions = LocalRuntime.functionPools(
                stack,
                artifacts,
                ManagedJavaRuntime.locate(),
                (fn, line) -> {
                    CONSOLE.computeIfAbsent(fn, k -> new CopyOnWriteArrayList<>())
                            .add(line);
                    System.out.println(fn + "  " + line);
                },
                new Console(System.out, Clock.systemUTC()),
                options.functionEnvironment());
        assertThat(options.scheduleSpeedup())
                .as("schedules fire as often as the clock runs faster")
                .isEqualTo(60.0);
    }

    @AfterAll
    static void stopEveryInstance() {
        if (functions != null) {
            functions.values().forEach(FunctionPool::close);
        }
    }

    @Test
    void aWindowOpensAndItsReminderIsSentWhenTheDemoClockReachesIt() throws Exception {
        // GIVEN the schedule functions warm (their start costs real time, hence demo time), a study whose
        // daily entry is due half an hour of demo time from now, and a subject enrolled that day in Berlin
        assertThat(functions.get("ScheduleApiFunction").prewarm().ready())
                .as(console("ScheduleApiFunction"))
                .isTrue();
        assertThat(functions.get("SchedulerFunction").prewarm().ready())
                .as(console("SchedulerFunction"))
                .isTrue();
        startTheSchedulerAtTheCurrentSlot();
        String study = "CLK-" + UUID.randomUUID().toString().substring(0, 8);
        LocalDateTime localNow = LocalDateTime.ofInstant(demoClock.instant(), BERLIN);
        LocalDateTime due = localNow.plusMinutes(30).truncatedTo(ChronoUnit.MINUTES);
        assertThat(due.toLocalDate())
                .as("the entry is due on the enrollment day")
                .isEqualTo(localNow.toLocalDate());
        Instant opens = due.atZone(BERLIN).toInstant();
        String reminders = subscribeToReminders(study);

        JsonNode stored =
                call("ScheduleApiFunction", protocol(study, due.format(DateTimeFormatter.ofPattern("HH:mm"))));
        assertThat(stored.get("statusCode").asInt()).as(stored.toString()).isEqualTo(201);
        JsonNode enrolled = call(
                "ScheduleApiFunction", enrollment(study, localNow.toLocalDate().toString()));
        assertThat(enrolled.get("statusCode").asInt()).as(enrolled.toString()).isEqualTo(201);

        // WHEN the patient lists their tasks
        Instant before = demoClock.instant();
        JsonNode first = tasks(study);
        Instant after = demoClock.instant();

        // THEN the function answered by the demo clock, and today's task is not open yet
        Instant stamped = Instant.parse(first.get("timestamp").asText());
        assertThat(stamped).as("the bundle's timestamp: the function's clock").isBetween(before, after);
        assertThat(stamped).as("demo time when the list was made").isBefore(opens);
        assertThat(todays(first, opens).get("status").asText()).isEqualTo("requested");

        // AND WHEN the demo clock passes the window's start, THEN the task is open (its status read by that clock)
        JsonNode open = null;
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (open == null && System.nanoTime() < deadline) {
            JsonNode listed = tasks(study);
            JsonNode task = todays(listed, opens);
            if (!task.get("status").asText().equals("requested")) {
                open = listed;
                assertThat(task.get("status").asText()).as(task.toString()).isEqualTo("in-progress");
                assertThat(Instant.parse(listed.get("timestamp").asText())).isAfterOrEqualTo(opens);
            } else {
                assertThat(Instant.parse(listed.get("timestamp").asText())).isBefore(opens);
                Thread.sleep(1000);
            }
        }
        assertThat(open).as("the task opened within %s of real time", PATIENCE).isNotNull();

        // AND the scheduler, run as its schedule runs it, publishes the reminder at the window's start, once
        JsonNode run = runTheScheduler();
        assertThat(run.get("reminders").asInt()).as(run.toString()).isEqualTo(1);
        List<JsonNode> received = receive(reminders);
        assertThat(received).as("reminders for study %s", study).hasSize(1);
        assertThat(received.getFirst().get("taskId").asText())
                .isEqualTo(todays(open, opens).get("id").asText());
        assertThat(received.getFirst().get("reminder").asInt()).isEqualTo(1);
    }

    /**
     * Puts the scheduler's cursor at the slot before the current one of the demo clock, as a scheduler that
     * has been running for a while has it: the module's tests share one stack, so another test's clock may
     * have left it anywhere (and a first run would spend its time on a day of empty slots).
     */
    private static void startTheSchedulerAtTheCurrentSlot() {
        Instant through = ScheduleKeys.slotStart(demoClock.instant()).minus(ScheduleKeys.SLOT);
        stack.clients()
                .dynamo()
                .putItem(b -> b.tableName(stack.ref("ScheduleTable"))
                        .item(Map.of(
                                ScheduleKeys.PK,
                                AttributeValue.fromS(ScheduleKeys.CURSOR_PK),
                                ScheduleKeys.SK,
                                AttributeValue.fromS(ScheduleKeys.CURSOR_SK),
                                "through",
                                AttributeValue.fromS(Times.sortable(through)))));
    }

    /** One run of SchedulerFunction, handed the schedule's event ({}) as its schedule hands it; its summary. */
    private static JsonNode runTheScheduler() throws IOException {
        InvokeResult run = functions
                .get("SchedulerFunction")
                .invoke(Files.readAllBytes(SampleEvents.file("schedule-outbox-sweep.json")));
        assertThat(run.status())
                .as(run.payloadText() + console("SchedulerFunction"))
                .isEqualTo(InvokeResult.Status.SUCCEEDED);
        JsonNode summary = JSON.readTree(run.payload());
        assertThat(summary.get("failures").asInt()).as(summary.toString()).isZero();
        return summary;
    }

    private static ObjectNode protocol(String study, String at) throws IOException {
        ObjectNode event = sample("schedule-put-protocol.json");
        forStudy(event, "/v1/studies/" + study + "/protocol", study);
        ObjectNode body = JSON.createObjectNode().put("effectiveFrom", "2026-03-01");
        body.putArray("sites").addObject().put("siteId", "SITE-01").put("timeZone", BERLIN.getId());
        ObjectNode entry = body.putArray("entries")
                .addObject()
                .put("id", "pain-daily")
                .put("questionnaire", "https://openepro.dev/fhir/Questionnaire/pain-nrs|1.0.0");
        entry.putObject("recurrence").put("type", "daily").put("at", at);
        entry.putObject("window").put("opens", "PT0S").put("closes", "PT2H");
        entry.putArray("reminders").add("PT0S");
        event.put("body", JSON.writeValueAsString(body));
        return event;
    }

    private static ObjectNode enrollment(String study, String day) throws IOException {
        ObjectNode event = sample("schedule-put-subject.json");
        forStudy(event, "/v1/studies/" + study + "/subjects/SUBJ-0001", study);
        event.put(
                "body",
                JSON.writeValueAsString(JSON.createObjectNode()
                        .put("siteId", "SITE-01")
                        .put("enrolledOn", day)
                        .put("timeZone", BERLIN.getId())
                        .put("status", "active")));
        return event;
    }

    private static JsonNode tasks(String study) throws IOException {
        ObjectNode event = sample("schedule-list-tasks.json");
        event.withObject("/requestContext/authorizer/jwt/claims").put("study_id", study);
        JsonNode answer = call("ScheduleApiFunction", event);
        assertThat(answer.get("statusCode").asInt()).as(answer.toString()).isEqualTo(200);
        return JSON.readTree(answer.get("body").asText());
    }

    /** The Task whose window opens at {@code opens}. */
    private static JsonNode todays(JsonNode bundle, Instant opens) {
        for (JsonNode e : bundle.path("entry")) {
            JsonNode task = e.get("resource");
            for (JsonNode ext : task.path("extension")) {
                if (ext.path("url").asText().endsWith("/window-utc")
                        && Instant.parse(ext.at("/valuePeriod/start").asText()).equals(opens)) {
                    return task;
                }
            }
        }
        throw new AssertionError("no task opening at " + opens + " in " + bundle);
    }

    private static void forStudy(ObjectNode event, String path, String study) {
        event.put("rawPath", path);
        event.withObject("/pathParameters").put("studyId", study);
        event.withObject("/requestContext/http").put("path", path);
        event.withObject("/requestContext/authorizer/jwt/claims").put("studies", "[" + study + "]");
    }

    /** A queue subscribed to the reminders topic, only for {@code study} (raw delivery). */
    private static String subscribeToReminders(String study) {
        var sqs = stack.clients().sqs();
        String url = sqs.createQueue(b -> b.queueName(study + "-reminders")).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        stack.clients()
                .sns()
                .subscribe(b -> b.topicArn(stack.ref(LocalRuntime.REMINDERS_TOPIC))
                        .protocol("sqs")
                        .endpoint(arn)
                        .attributes(Map.of(
                                "RawMessageDelivery", "true", "FilterPolicy", "{\"studyId\":[\"" + study + "\"]}")));
        return url;
    }

    /** Every message on {@code queue} until a receive comes back empty. */
    private static List<JsonNode> receive(String queue) throws IOException {
        List<JsonNode> all = new ArrayList<>();
        while (true) {
            List<Message> batch = stack.clients()
                    .sqs()
                    .receiveMessage(
                            b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(2))
                    .messages();
            if (batch.isEmpty()) {
                return all;
            }
            for (Message m : batch) {
                all.add(JSON.readTree(m.body()));
                stack.clients().sqs().deleteMessage(b -> b.queueUrl(queue).receiptHandle(m.receiptHandle()));
            }
        }
    }

    private static JsonNode call(String function, JsonNode event) throws IOException {
        InvokeResult result = functions.get(function).invoke(JSON.writeValueAsBytes(event));
        assertThat(result.status())
                .as(result.payloadText() + console(function))
                .isEqualTo(InvokeResult.Status.SUCCEEDED);
        return JSON.readTree(result.payload());
    }

    private static String console(String function) {
        return "\n" + function + "'s console:\n  " + String.join("\n  ", CONSOLE.getOrDefault(function, List.of()));
    }

    private static ObjectNode sample(String name) throws IOException {
        return (ObjectNode) JSON.readTree(SampleEvents.file(name).toFile());
    }
}
