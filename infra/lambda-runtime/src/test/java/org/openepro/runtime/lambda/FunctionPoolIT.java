package org.openepro.runtime.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Function instances as Lambda runs them, each its own JVM started through the pinned runtime
 * client from a test artifact: warm reuse, a cold start when every instance is busy, the instance
 * limit, a timeout that stops the instance, a crash, an init error, and the environment the
 * function sees. No emulator: the test handlers call nothing.
 */
class FunctionPoolIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HANDLERS = "org.openepro.runtime.testing.";
    private static final String TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";

    @TempDir
    static Path artifacts;

    private static ManagedJavaRuntime runtime;

    private final List<String> output = new CopyOnWriteArrayList<>();
    private final List<FunctionPool> pools = new ArrayList<>();

    @BeforeAll
    static void buildArtifacts() {
        TestArtifacts.build(artifacts, "EchoFunction", "CrashFunction", "BrokenInitFunction");
        runtime = ManagedJavaRuntime.locate();
    }

    @AfterEach
    void stopInstances() {
        pools.forEach(FunctionPool::close);
    }

    @Test
    void aWarmInstanceIsReusedAndOnlyTheColdStartReportsItsInit() throws Exception {
        // GIVEN a function with no instance yet
        FunctionPool pool = pool("EchoFunction", "EchoHttpHandler", 10, 4);

        // WHEN it is invoked twice, one after the other
        InvokeResult first = pool.invoke(httpEvent(""));
        InvokeResult second = pool.invoke(httpEvent(""));

        // THEN both succeed on one instance: the first started it, the second found it warm
        assertThat(first.status()).isEqualTo(InvokeResult.Status.SUCCEEDED);
        assertThat(second.status()).isEqualTo(InvokeResult.Status.SUCCEEDED);
        assertThat(pid(second)).isEqualTo(pid(first));
        assertThat(first.coldStart()).isTrue();
        assertThat(second.coldStart()).isFalse();
        assertThat(pool.coldStarts()).isEqualTo(1);
        // AND the console shows Lambda's REPORT line for each, with Init Duration on the cold start only
        List<String> reports = output.stream()
                .filter(l -> l.startsWith("EchoFunction  REPORT RequestId: "))
                .toList();
        assertThat(reports).hasSize(2);
        assertThat(reports.get(0))
                .contains("RequestId: " + first.requestId())
                .contains("\tInit Duration: ")
                .containsPattern("\tDuration: \\d+\\.\\d{2} ms\tBilled Duration: \\d+ ms\tMemory Size: 512 MB"
                        + "\tMax Memory Used: \\d+ MB");
        assertThat(reports.get(1)).contains("RequestId: " + second.requestId()).doesNotContain("Init Duration");
    }

    @Test
    void anotherInstanceStartsColdWhileAllAreBusyButNeverMoreThanTheLimit() throws Exception {
        // GIVEN a function limited to two instances
        FunctionPool pool = pool("EchoFunction", "EchoHttpHandler", 30, 2);

        // WHEN three invocations, each busy for 2 s, arrive at once
        List<InvokeResult> results = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<InvokeResult>> calls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                calls.add(clients.submit(() -> pool.invoke(httpEvent("sleep=2000"))));
            }
            for (Future<InvokeResult> call : calls) {
                results.add(call.get());
            }
        }

        // THEN all three succeed on exactly two instances: the third waited for one to come free
        assertThat(results).extracting(InvokeResult::status).containsOnly(InvokeResult.Status.SUCCEEDED);
        Set<Long> pids = new HashSet<>();
        for (InvokeResult r : results) {
            pids.add(pid(r));
        }
        assertThat(pids).hasSize(2);
        assertThat(pool.coldStarts()).isEqualTo(2);
        assertThat(results).filteredOn(InvokeResult::coldStart).hasSize(2);
    }

    @Test
    void aTimeoutStopsTheInstanceAndTheNextInvocationStartsACleanOne() throws Exception {
        // GIVEN a function with a 5 s Timeout, warm (long enough for a cold first invocation on a busy machine)
        FunctionPool pool = pool("EchoFunction", "EchoHttpHandler", 5, 4);
        long firstPid = pid(pool.invoke(httpEvent("")));

        // WHEN an invocation runs past the Timeout
        InvokeResult late = pool.invoke(httpEvent("sleep=12000"));

        // THEN Lambda's timeout: the invocation fails, its instance is gone, the console says so
        assertThat(late.status()).isEqualTo(InvokeResult.Status.TIMED_OUT);
        assertThat(late.errorType()).isEqualTo("Sandbox.Timedout");
        assertThat(late.payloadText()).contains("Task timed out after");
        assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false))
                .isFalse();
        assertThat(output).anyMatch(l -> l.contains(late.requestId() + " Task timed out after"));
        assertThat(output)
                .anyMatch(l -> l.contains("REPORT RequestId: " + late.requestId()) && l.endsWith("Status: timeout"));
        // AND the next invocation is a cold start on a new instance
        InvokeResult next = pool.invoke(httpEvent(""));
        assertThat(next.status()).isEqualTo(InvokeResult.Status.SUCCEEDED);
        assertThat(next.coldStart()).isTrue();
        assertThat(pid(next)).isNotEqualTo(firstPid);
    }

    @Test
    void anInstanceThatCrashesIsReplacedByTheNextInvocation() {
        // GIVEN a function whose JVM dies during every invocation
        FunctionPool pool = pool("CrashFunction", "CrashingHandler", 10, 4);

        // WHEN it is invoked twice
        InvokeResult first = pool.invoke(utf8("{}"));
        InvokeResult second = pool.invoke(utf8("{}"));

        // THEN each ends as Lambda's Runtime.ExitError, and each ran on a fresh instance
        assertThat(first.status()).isEqualTo(InvokeResult.Status.CRASHED);
        assertThat(first.errorType()).isEqualTo("Runtime.ExitError");
        assertThat(first.payloadText()).contains("exit status 3");
        assertThat(second.status()).isEqualTo(InvokeResult.Status.CRASHED);
        assertThat(second.coldStart()).isTrue();
        assertThat(pool.coldStarts()).isEqualTo(2);
        assertThat(pool.instances()).isZero();
    }

    @Test
    void anInitErrorIsPrintedWithTheFunctionsNameAndStack() {
        // GIVEN a function whose constructor throws during init
        FunctionPool pool = pool("BrokenInitFunction", "FailingInitHandler", 10, 4);

        // WHEN it is invoked
        InvokeResult result = pool.invoke(utf8("{}"));

        // THEN no instance could serve it, and the console names the function, the error and where it was thrown
        assertThat(result.status()).isEqualTo(InvokeResult.Status.INIT_FAILED);
        assertThat(pool.instances()).isZero();
        String printed = String.join("\n", output);
        assertThat(printed)
                .contains("BrokenInitFunction  INIT_REPORT Init Duration: ")
                .contains("Phase: init\tStatus: error")
                .contains("TABLE_THAT_IS_NOT_SET is not set")
                .contains("IllegalStateException")
                .contains("at org.openepro.runtime.testing.FailingInitHandler.<init>");
    }

    @Test
    void theFunctionSeesLambdasEnvironmentItsOwnVariablesAndNothingFromTheMachine() throws Exception {
        // GIVEN a function with variables of its own and JAVA_TOOL_OPTIONS, 512 MB, Timeout 10 s
        FunctionPool pool = pool("EchoFunction", "EchoHttpHandler", 10, 4);

        // WHEN it is invoked
        InvokeResult result = pool.invoke(httpEvent(""));
        assertThat(result.status()).isEqualTo(InvokeResult.Status.SUCCEEDED);

        // THEN its environment is the template's plus what Lambda sets, nothing inherited
        JsonNode seen = witness("echo", result.requestId());
        Map<String, String> env = JSON.convertValue(
                seen.get("environment"), JSON.getTypeFactory().constructMapType(Map.class, String.class, String.class));
        Path taskRoot = artifacts.resolve("EchoFunction").toAbsolutePath();
        assertThat(env)
                .containsEntry("TABLE_NAME", "items-table")
                .containsEntry("JAVA_TOOL_OPTIONS", TOOL_OPTIONS)
                .containsEntry("AWS_LAMBDA_FUNCTION_NAME", "EchoFunction")
                .containsEntry("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512")
                .containsEntry("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
                .containsEntry("_HANDLER", HANDLERS + "EchoHttpHandler::handleRequest")
                .containsEntry("LAMBDA_TASK_ROOT", taskRoot.toString())
                .containsEntry("AWS_EXECUTION_ENV", "AWS_Lambda_java25")
                .containsEntry("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand")
                .containsEntry("AWS_REGION", "eu-west-1")
                .containsEntry("AWS_LAMBDA_LOG_FORMAT", "JSON")
                .containsEntry("AWS_LAMBDA_LOG_LEVEL", "INFO")
                .containsEntry("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/EchoFunction")
                .containsEntry("TZ", ":UTC")
                .containsKeys("AWS_LAMBDA_RUNTIME_API", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY_ID");
        Set<String> allowed = new HashSet<>(List.of(
                "TABLE_NAME",
                "JAVA_TOOL_OPTIONS",
                "AWS_ACCESS_KEY_ID",
                "AWS_SECRET_ACCESS_KEY",
                "AWS_LAMBDA_RUNTIME_API",
                "_HANDLER",
                "LAMBDA_TASK_ROOT",
                "LAMBDA_RUNTIME_DIR",
                "AWS_LAMBDA_FUNCTION_NAME",
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
                "AWS_LAMBDA_FUNCTION_VERSION",
                "AWS_LAMBDA_LOG_GROUP_NAME",
                "AWS_LAMBDA_LOG_STREAM_NAME",
                "AWS_REGION",
                "AWS_DEFAULT_REGION",
                "AWS_EXECUTION_ENV",
                "AWS_LAMBDA_INITIALIZATION_TYPE",
                "AWS_LAMBDA_LOG_FORMAT",
                "AWS_LAMBDA_LOG_LEVEL",
                "TZ",
                "LANG",
                "PATH"));
        assertThat(env.keySet()).isSubsetOf(allowed);
        // AND the context is Lambda's: the function's name, memory, ARN, log group, time left within the Timeout
        assertThat(seen.get("functionName").asText()).isEqualTo("EchoFunction");
        assertThat(seen.get("memoryMb").asInt()).isEqualTo(512);
        assertThat(seen.get("remainingMillis").asInt()).isBetween(1, 10_000);
        assertThat(seen.get("invokedFunctionArn").asText())
                .isEqualTo("arn:aws:lambda:eu-west-1:123456789012:function:EchoFunction");
        assertThat(seen.get("logGroup").asText()).isEqualTo("/aws/lambda/EchoFunction");
        // AND it runs in its task root with a heap of 85% of its memory, as the managed runtime sizes it
        assertThat(seen.get("workingDirectory").asText()).isEqualTo(taskRoot.toString());
        assertThat(seen.get("maxHeapBytes").asLong())
                .isBetween(512L * 1024 * 1024 * 70 / 100, 512L * 1024 * 1024 * 85 / 100);
        // AND its JVM was started as the managed runtime starts it: the runtime client's jars only on the
        // classpath (the artifact's lib/*.jar are the client's to load), its main class, the handler string
        List<String> arguments = ProcessHandle.of(pid(result))
                .orElseThrow()
                .info()
                .arguments()
                .map(List::of)
                .orElseThrow();
        String classpath = arguments.get(arguments.indexOf("-classpath") + 1);
        assertThat(classpath.split(":")).allMatch(jar -> runtime.classpath().contains(Path.of(jar)));
        assertThat(arguments)
                .contains(
                        "-XX:MaxHeapSize=" + (512 * 1024 * 85 / 100) + "k",
                        "-XX:+UseSerialGC",
                        ManagedJavaRuntime.MAIN_CLASS,
                        HANDLERS + "EchoHttpHandler::handleRequest");
    }

    private FunctionPool pool(String function, String handler, int timeoutSeconds, int maxInstances) {
        FunctionSpec spec = new FunctionSpec(
                function,
                HANDLERS + handler + "::handleRequest",
                artifacts.resolve(function),
                512,
                Duration.ofSeconds(timeoutSeconds),
                Map.of("TABLE_NAME", "items-table", "JAVA_TOOL_OPTIONS", TOOL_OPTIONS),
                "eu-west-1",
                "JSON",
                "INFO");
        FunctionPool pool = new FunctionPool(spec, runtime, maxInstances, (fn, line) -> {
            output.add(fn + "  " + line);
            System.out.println(fn + "  " + line);
        });
        pools.add(pool);
        return pool;
    }

    /** A minimal payload 2.0 event for GET /items with {@code query}. */
    private static byte[] httpEvent(String query) {
        return utf8(
                ("{\"version\":\"2.0\",\"routeKey\":\"GET /items\",\"rawPath\":\"/items\",\"rawQueryString\":\"%s\","
                                + "%s\"headers\":{},\"requestContext\":{\"http\":{\"method\":\"GET\",\"path\":\"/items\"},"
                                + "\"requestId\":\"r\",\"routeKey\":\"GET /items\",\"stage\":\"$default\"},\"isBase64Encoded\":false}")
                        .formatted(
                                query,
                                query.isEmpty()
                                        ? ""
                                        : "\"queryStringParameters\":{\"" + query.split("=")[0] + "\":\""
                                                + query.split("=")[1] + "\"},"));
    }

    private static long pid(InvokeResult result) throws Exception {
        return JSON.readTree(result.payload()).path("headers").path("x-pid").asLong();
    }

    /** The witness line the handler printed during invocation {@code requestId}. */
    private JsonNode witness(String kind, String requestId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : output) {
                int at = line.indexOf("WITNESS " + kind + " ");
                if (at >= 0) {
                    JsonNode seen = JSON.readTree(line.substring(at + ("WITNESS " + kind + " ").length()));
                    if (requestId.equals(seen.path("requestId").asText())) {
                        return seen;
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError(
                "no WITNESS " + kind + " line for " + requestId + " in:\n" + String.join("\n", output));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
