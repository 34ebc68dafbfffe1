package org.openepro.emulator;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.openepro.core.aws.AwsClients;
import org.openepro.core.json.Json;
import software.amazon.awssdk.services.sqs.model.PurgeQueueInProgressException;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * The stack created in the emulator from template.yaml: its resources by logical id, and each
 * function's configuration (handler, timeout, environment resolved against those resources,
 * events, and credentials of its own role) exactly as the template gives it to Lambda.
 * {@link #clients()} are the admin's (not checked against any policy: test setup and assertions);
 * {@link #clientsFor} are a function's, checked against its role by the project's emulator.
 */
public final class EmulatedStack {
    private final String stackName;
    private final String region;
    private final URI endpoint;
    private final Map<String, Resource> resources;
    private final Map<String, Function> functions;
    private final AwsClients clients;
    private final boolean iamEnforced;
    private static final ObjectReader ROLE_CALLS = Json.reader(StackRoleCalls.class);
    private final Map<String, AwsClients> functionClients = new ConcurrentHashMap<>();

    /** A stack whose functions carry no credentials of their own (IAM not checked). */
    public EmulatedStack(
            String stackName,
            String region,
            URI endpoint,
            Map<String, Resource> resources,
            Map<String, Function> functions,
            AwsClients clients) {
        this(stackName, region, endpoint, resources, functions, clients, false);
    }

    public EmulatedStack(
            String stackName,
            String region,
            URI endpoint,
            Map<String, Resource> resources,
            Map<String, Function> functions,
            AwsClients clients,
            boolean iamEnforced) {
        this.stackName = stackName;
        this.region = region;
        this.endpoint = endpoint;
        this.resources = resources;
        this.functions = functions;
        this.clients = clients;
        this.iamEnforced = iamEnforced;
    }

    public String stackName() {
        return stackName;
    }

    public String region() {
        return region;
    }

    public URI endpoint() {
        return endpoint;
    }

    public Map<String, Resource> resources() {
        return resources;
    }

    public Map<String, Function> functions() {
        return functions;
    }

    /** Whether the emulator checks each function's calls against its role (the project's moto_launcher.py does). */
    public boolean iamEnforced() {
        return iamEnforced;
    }

    /** The admin's clients: what tests set up and assert with, never checked against a role. */
    public AwsClients clients() {
        return clients;
    }

    /** A created resource: its Ref (name, URL or ARN by type), and ARN and name where the type has them. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Resource(String type, String ref, String arn, String name) {}

    /**
     * A function as the template declares it, with the credentials of its role where the emulator made some.
     *
     * @param reservedConcurrency ReservedConcurrentExecutions, or null when the template sets none
     * @param logFormat           LoggingConfig.LogFormat ({@code Text} or {@code JSON})
     * @param applicationLogLevel LoggingConfig.ApplicationLogLevel, or null
     * @param credentials         its role's session credentials, or null where the emulator checks no IAM
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Function(
            String handler,
            int timeout,
            int memorySize,
            Map<String, String> environment,
            List<Event> events,
            String codeUri,
            Integer reservedConcurrency,
            String logFormat,
            String applicationLogLevel,
            Credentials credentials) {
        /** A function with no reserved concurrency, logging as text, with no credentials of its own. */
        public Function(
                String handler,
                int timeout,
                int memorySize,
                Map<String, String> environment,
                List<Event> events,
                String codeUri) {
            this(handler, timeout, memorySize, environment, events, codeUri, null, "Text", null, null);
        }

        /** A function with no credentials of its own (an emulator that checks no IAM). */
        public Function(
                String handler,
                int timeout,
                int memorySize,
                Map<String, String> environment,
                List<Event> events,
                String codeUri,
                Integer reservedConcurrency,
                String logFormat,
                String applicationLogLevel) {
            this(
                    handler,
                    timeout,
                    memorySize,
                    environment,
                    events,
                    codeUri,
                    reservedConcurrency,
                    logFormat,
                    applicationLogLevel,
                    null);
        }

        public String handlerClass() {
            int sep = handler.indexOf("::");
            return sep < 0 ? handler : handler.substring(0, sep);
        }
    }

    /**
     * Temporary credentials of the function's role (STS AssumeRole in the emulator, session named
     * after the function), as Lambda's runtime sets them for a function's process.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Credentials(
            String accessKeyId, String secretAccessKey, String sessionToken, String roleArn, String principalArn) {
        @Override
        public String toString() {
            return "Credentials[" + accessKeyId + ", " + principalArn + "]"; // never the secret or the token
        }
    }

    /**
     * An event source of a function: HttpApi, SQS or Schedule. {@code authorizer} is {@code NONE} on an
     * HTTP route the template opens to everyone, absent on routes behind the API's JWT authorizer.
     *
     * @param maximumConcurrency an SQS source's ScalingConfig.MaximumConcurrency, or null
     * @param input              a schedule's Input (the event it passes), or null
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Event(
            String name,
            String type,
            String method,
            String path,
            List<String> scopes,
            String queue,
            Integer batchSize,
            Integer maximumBatchingWindowInSeconds,
            List<String> functionResponseTypes,
            String expression,
            String authorizer,
            Integer maximumConcurrency,
            String input) {
        public Event(
                String name,
                String type,
                String method,
                String path,
                List<String> scopes,
                String queue,
                Integer batchSize,
                Integer maximumBatchingWindowInSeconds,
                List<String> functionResponseTypes,
                String expression) {
            this(
                    name,
                    type,
                    method,
                    path,
                    scopes,
                    queue,
                    batchSize,
                    maximumBatchingWindowInSeconds,
                    functionResponseTypes,
                    expression,
                    null,
                    null,
                    null);
        }

        public boolean publicRoute() {
            return "NONE".equals(authorizer);
        }
    }

    public Resource resource(String logicalId) {
        Resource r = resources.get(logicalId);
        if (r == null) {
            throw new IllegalArgumentException("template has no data-plane resource " + logicalId);
        }
        return r;
    }

    /** Ref of a resource: a table or bucket name, a queue URL, a topic ARN. */
    public String ref(String logicalId) {
        return resource(logicalId).ref();
    }

    public Function function(String logicalId) {
        Function f = functions.get(logicalId);
        if (f == null) {
            throw new IllegalArgumentException("template has no function " + logicalId);
        }
        return f;
    }

    /**
     * The environment a function's handler gets, plus where the emulator is and, as Lambda's
     * runtime sets them, its role's credentials: every call made with them faces the role's policies.
     */
    public Map<String, String> env(String functionLogicalId) {
        Function f = function(functionLogicalId);
        Map<String, String> env = new HashMap<>(f.environment());
        env.put("AWS_REGION", region);
        env.put("AWS_ENDPOINT_URL", endpoint.toString());
        env.put("AWS_LAMBDA_FUNCTION_NAME", functionLogicalId);
        if (f.credentials() != null) {
            env.put("AWS_ACCESS_KEY_ID", f.credentials().accessKeyId());
            env.put("AWS_SECRET_ACCESS_KEY", f.credentials().secretAccessKey());
            if (f.credentials().sessionToken() != null) {
                env.put("AWS_SESSION_TOKEN", f.credentials().sessionToken());
            }
        }
        return env;
    }

    /**
     * SDK clients as the function's own code builds them from its environment (its role's
     * credentials), built once per function and stack: give these to a handler under test, so a
     * call its role does not allow fails here as it would deployed.
     */
    public AwsClients clientsFor(String functionLogicalId) {
        return functionClients.computeIfAbsent(functionLogicalId, id -> AwsClients.fromEnv(env(id)));
    }

    /**
     * What the emulator saw each function of this stack call with its own role's credentials (from any
     * process: a handler under test or a function started from its artifact), by function: how many
     * calls its role allowed and denied, and which actions. Empty where the emulator checks no IAM.
     */
    public Map<String, RoleCalls> roleCalls() {
        if (!iamEnforced) {
            return Map.of();
        }
        URI uri = endpoint.resolve("/_openepro/iam?stack=" + URLEncoder.encode(stackName, StandardCharsets.UTF_8));
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response =
                    http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + uri + " answered " + response.statusCode());
            }
            return ROLE_CALLS.<StackRoleCalls>readValue(response.body()).functions();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the emulator's IAM record at " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading " + uri, e);
        }
    }

    /** A function's calls with its own credentials, as the emulator's IAM check counted them. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RoleCalls(int allowed, int denied, List<String> actions) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record StackRoleCalls(String stack, Map<String, RoleCalls> functions) {}

    @Override
    public String toString() {
        return "EmulatedStack[" + stackName + ", " + region + ", " + endpoint + "]";
    }

    /** Empties every queue of the stack, so a test sees only the messages it caused. */
    public void purgeQueues() {
        for (Resource r : resources.values()) {
            if (!"AWS::SQS::Queue".equals(r.type())) {
                continue;
            }
            try {
                clients.sqs().purgeQueue(b -> b.queueUrl(r.ref()));
            } catch (PurgeQueueInProgressException e) {
                drain(r.ref());
            }
        }
    }

    private void drain(String queueUrl) {
        for (int i = 0; i < 100; i++) {
            ReceiveMessageResponse batch = clients.sqs()
                    .receiveMessage(
                            b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0));
            if (!batch.hasMessages() || batch.messages().isEmpty()) {
                return;
            }
            batch.messages()
                    .forEach(m -> clients.sqs()
                            .deleteMessage(d -> d.queueUrl(queueUrl).receiptHandle(m.receiptHandle())));
        }
    }
}
