package org.openepro.local.aws;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openepro.core.aws.AwsClients;
import software.amazon.awssdk.services.sqs.model.PurgeQueueInProgressException;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * The stack created in the emulator from template.yaml: its resources by logical id, and each
 * function's configuration (handler, timeout, environment resolved against those resources,
 * events) exactly as the template gives it to Lambda.
 */
public record EmulatedStack(String stackName, String region, URI endpoint,
                            Map<String, Resource> resources, Map<String, Function> functions,
                            AwsClients clients) {

    /** A created resource: its Ref (name, URL or ARN by type), and ARN and name where the type has them. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Resource(String type, String ref, String arn, String name) {
    }

    /**
     * A function as the template declares it.
     *
     * @param reservedConcurrency ReservedConcurrentExecutions, or null when the template sets none
     * @param logFormat           LoggingConfig.LogFormat ({@code Text} or {@code JSON})
     * @param applicationLogLevel LoggingConfig.ApplicationLogLevel, or null
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Function(String handler, int timeout, int memorySize, Map<String, String> environment,
                           List<Event> events, String codeUri, Integer reservedConcurrency, String logFormat,
                           String applicationLogLevel) {
        /** A function with no reserved concurrency, logging as text. */
        public Function(String handler, int timeout, int memorySize, Map<String, String> environment,
                        List<Event> events, String codeUri) {
            this(handler, timeout, memorySize, environment, events, codeUri, null, "Text", null);
        }

        public String handlerClass() {
            int sep = handler.indexOf("::");
            return sep < 0 ? handler : handler.substring(0, sep);
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
    public record Event(String name, String type, String method, String path, List<String> scopes, String queue,
                        Integer batchSize, Integer maximumBatchingWindowInSeconds,
                        List<String> functionResponseTypes, String expression, String authorizer,
                        Integer maximumConcurrency, String input) {
        public Event(String name, String type, String method, String path, List<String> scopes, String queue,
                     Integer batchSize, Integer maximumBatchingWindowInSeconds, List<String> functionResponseTypes,
                     String expression) {
            this(name, type, method, path, scopes, queue, batchSize, maximumBatchingWindowInSeconds,
                    functionResponseTypes, expression, null, null, null);
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

    /** The environment a function's handler gets, plus where the emulator is. */
    public Map<String, String> env(String functionLogicalId) {
        Map<String, String> env = new HashMap<>(function(functionLogicalId).environment());
        env.put("AWS_REGION", region);
        env.put("AWS_ENDPOINT_URL", endpoint.toString());
        env.put("AWS_LAMBDA_FUNCTION_NAME", functionLogicalId);
        return env;
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
            ReceiveMessageResponse batch = clients.sqs().receiveMessage(b -> b.queueUrl(queueUrl)
                    .maxNumberOfMessages(10).waitTimeSeconds(0));
            if (!batch.hasMessages() || batch.messages().isEmpty()) {
                return;
            }
            batch.messages().forEach(m -> clients.sqs().deleteMessage(d -> d.queueUrl(queueUrl)
                    .receiptHandle(m.receiptHandle())));
        }
    }
}
