package org.openepro.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openepro.core.aws.AwsClients;
import org.openepro.emulator.EmulatedStack;
import org.openepro.runtime.lambda.FunctionPool;
import org.openepro.runtime.lambda.InvokeResult;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Lambda's SQS event source mapping for one queue and function: long-polls the queue, gathers
 * up to BatchSize messages within the batching window, invokes the function with the SQS event
 * JSON, and deletes the messages it did not report as failed. Nothing else touches a failed
 * message: it comes back after the queue's visibility timeout, and the queue's redrive policy
 * moves it to the DLQ. Several batches run at once (as Lambda's pollers do), up to the source's
 * MaximumConcurrency and the function's instance limit. As on AWS, where the event source mapping
 * polls with the function's execution role, it calls SQS with the credentials of the function's
 * role ({@link #forFunctionRole}): a role without the poller's permissions receives nothing here
 * either, and says so.
 */
public final class QueuePoller implements AutoCloseable {
    private static final int SQS_MAX_MESSAGES = 10;
    /** How long a poller whose role was refused waits before it asks again (the role does not change meanwhile). */
    private static final Duration AFTER_DENIAL = Duration.ofSeconds(10);

    private final Wiring.QueueSource source;
    private final FunctionPool function;
    private final SqsClient sqs;
    private final String region;
    private final int waitSeconds;
    private final Console console;
    private final List<Loop> loops = new ArrayList<>();
    private final Set<String> deniedActions = ConcurrentHashMap.newKeySet();
    private final AutoCloseable ownClients;
    private volatile boolean running = true;

    private QueuePoller(
            Wiring.QueueSource source,
            FunctionPool function,
            SqsClient sqs,
            AutoCloseable ownClients,
            String region,
            int waitSeconds,
            Console console) {
        this.source = source;
        this.function = function;
        this.sqs = sqs;
        this.ownClients = ownClients;
        this.region = region;
        this.waitSeconds = Math.clamp(waitSeconds, 0, 20);
        this.console = console;
    }

    /**
     * The event source mapping of {@code source}, calling SQS with the credentials of its function's role in
     * {@code stack} (the emulator checks them against the role's policies: the template's and the
     * AWSLambdaSQSQueueExecutionRole SAM attaches for an SQS event). A stack that gives the function no
     * credentials checks no IAM: then it polls with the stack's own clients.
     */
    public static QueuePoller forFunctionRole(
            Wiring.QueueSource source, FunctionPool function, EmulatedStack stack, int waitSeconds, Console console) {
        EmulatedStack.Credentials role = stack.function(source.functionId()).credentials();
        if (role == null) {
            return new QueuePoller(source, function, stack.clients().sqs(), null, stack.region(), waitSeconds, console);
        }
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", stack.region());
        env.put("AWS_ENDPOINT_URL", stack.endpoint().toString());
        env.put("AWS_ACCESS_KEY_ID", role.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", role.secretAccessKey());
        if (role.sessionToken() != null) {
            env.put("AWS_SESSION_TOKEN", role.sessionToken());
        }
        // not the function's own SDK_API_CALL_TIMEOUT_MS: a long poll of up to 20 s must fit (the SDK's default)
        AwsClients clients = AwsClients.fromEnv(env);
        return new QueuePoller(source, function, clients.sqs(), clients, stack.region(), waitSeconds, console);
    }

    /** How many batches may be in flight: the function's instance limit, capped by MaximumConcurrency. */
    public int concurrency() {
        Integer cap = source.maximumConcurrency();
        return cap == null ? function.maxInstances() : Math.max(1, Math.min(cap, function.maxInstances()));
    }

    public QueuePoller start() {
        for (int i = 0; i < concurrency(); i++) {
            Loop loop = new Loop();
            loops.add(loop);
            loop.thread =
                    Thread.ofVirtual().name("sqs-" + source.queueId() + "-" + i).start(loop::run);
        }
        return this;
    }

    public Wiring.QueueSource source() {
        return source;
    }

    /** One poller: receive a batch, deliver it, repeat. */
    private final class Loop {
        private final CountDownLatch stopped = new CountDownLatch(1);
        private final Object state = new Object();
        private boolean delivering; // guarded by state
        private volatile Thread thread;

        private void run() {
            try {
                while (running) {
                    try {
                        List<Message> batch = receiveBatch();
                        if (batch.isEmpty()) {
                            continue;
                        }
                        synchronized (state) {
                            if (!running) {
                                // stopping: not delivered, not deleted; the messages return after the visibility
                                // timeout
                                break;
                            }
                            delivering = true;
                        }
                        try {
                            deliver(batch);
                        } finally {
                            synchronized (state) {
                                delivering = false;
                            }
                        }
                    } catch (Denied e) {
                        if (!running) {
                            break;
                        }
                        if (deniedActions.add(e.call)) {
                            console.line(
                                    "%s  the event source mapping from %s is refused: the function's role does not allow %s "
                                            + "on %s (%s)%s",
                                    function.id(),
                                    source.queueId(),
                                    e.action,
                                    e.resource,
                                    e.getCause().getMessage(),
                                    e.call.equals(RECEIVE)
                                            ? "; it receives nothing until the role does, as deployed"
                                            : "; the batch's records return after the visibility timeout");
                        }
                        pause(AFTER_DENIAL);
                    } catch (RuntimeException e) {
                        if (!running) {
                            // a poll interrupted or a client closed while stopping: normal, nothing to report
                            break;
                        }
                        console.error(source.queueId() + " poller", e);
                        pause(Duration.ofSeconds(1));
                    }
                }
            } finally {
                stopped.countDown();
            }
        }

        private void interruptIfIdle() {
            synchronized (state) {
                if (!delivering && thread != null) {
                    thread.interrupt();
                }
            }
        }
    }

    /** One long poll, then, within the batching window, more receives until the batch is full. */
    private List<Message> receiveBatch() {
        List<Message> batch = new ArrayList<>(receive(Math.min(SQS_MAX_MESSAGES, source.batchSize()), waitSeconds));
        if (batch.isEmpty() || source.batchingWindowSeconds() <= 0) {
            return batch;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(source.batchingWindowSeconds());
        while (running && batch.size() < source.batchSize() && System.nanoTime() < deadline) {
            List<Message> more = receive(Math.min(SQS_MAX_MESSAGES, source.batchSize() - batch.size()), 0);
            if (more.isEmpty()) {
                pause(Duration.ofMillis(100));
            }
            batch.addAll(more);
        }
        return batch;
    }

    private List<Message> receive(int max, int wait) {
        try {
            return sqs.receiveMessage(b -> b.queueUrl(source.queueUrl())
                            .maxNumberOfMessages(max)
                            .waitTimeSeconds(wait)
                            .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                            .messageAttributeNames("All"))
                    .messages();
        } catch (AwsServiceException e) {
            throw Denied.ifAccessDenied(RECEIVE, source.queueArn(), e);
        }
    }

    private static final String RECEIVE = "sqs:ReceiveMessage";
    private static final String DELETE = "sqs:DeleteMessage";

    /**
     * An SQS call the function's role was refused: IAM's AccessDenied, or KMS's for the queue's key. The action
     * and resource are the ones the refusal names (kms:Decrypt on the key, say), else the call's own.
     */
    private static final class Denied extends RuntimeException {
        private static final Pattern REFUSAL = Pattern.compile("perform: (\\S+) on resource: (\\S+)");
        /** The SQS call refused. */
        final String call;

        final String action;
        final String resource;

        private Denied(String call, String action, String resource, AwsServiceException cause) {
            super(action + " on " + resource + " denied", cause);
            this.call = call;
            this.action = action;
            this.resource = resource;
        }

        static RuntimeException ifAccessDenied(String call, String queueArn, AwsServiceException e) {
            String code =
                    e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if (e.statusCode() != 403 && (code == null || !code.contains("AccessDenied"))) {
                return e;
            }
            Matcher named = REFUSAL.matcher(String.valueOf(e.getMessage()));
            return named.find()
                    ? new Denied(call, named.group(1), named.group(2), e)
                    : new Denied(call, call, queueArn, e);
        }
    }

    private void deliver(List<Message> batch) {
        InvokeResult result = function.invoke(LambdaEvents.sqs(batch, source.queueArn(), region));
        long ms = result.duration().toMillis();
        switch (result.status()) {
            case SUCCEEDED -> {
                List<Message> done =
                        BatchDeletions.toDelete(batch, result.payload(), source.reportsBatchItemFailures());
                delete(done);
                console.line(
                        "%s  %d record(s) from %s, %d failed  %d ms",
                        function.id(), batch.size(), source.queueId(), batch.size() - done.size(), ms);
            }
            case FUNCTION_ERROR ->
                console.line(
                        "%s  batch of %d from %s failed (%s); every record returns after the " + "visibility timeout",
                        function.id(), batch.size(), source.queueId(), result.errorType());
            case TIMED_OUT ->
                console.line(
                        "%s  batch of %d from %s ran %d ms, over its Timeout of %d s; every record " + "returns",
                        function.id(),
                        batch.size(),
                        source.queueId(),
                        ms,
                        function.timeout().toSeconds());
            case CRASHED ->
                console.line(
                        running
                                ? "%s  batch of %d from %s: the instance ended (%s); every record returns after the visibility timeout"
                                : "%s  batch of %d from %s abandoned at shutdown (%s); every record returns after the visibility "
                                        + "timeout",
                        function.id(),
                        batch.size(),
                        source.queueId(),
                        result.errorType());
            case INIT_FAILED ->
                console.line(
                        "%s  cannot start (%s); %d record(s) from %s return after the visibility " + "timeout",
                        function.id(), result.errorType(), batch.size(), source.queueId());
        }
    }

    private void delete(List<Message> messages) {
        for (int i = 0; i < messages.size(); i += SQS_MAX_MESSAGES) {
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            List<Message> chunk = messages.subList(i, Math.min(messages.size(), i + SQS_MAX_MESSAGES));
            for (int j = 0; j < chunk.size(); j++) {
                entries.add(DeleteMessageBatchRequestEntry.builder()
                        .id(Integer.toString(j))
                        .receiptHandle(chunk.get(j).receiptHandle())
                        .build());
            }
            DeleteMessageBatchResponse response;
            try {
                response = sqs.deleteMessageBatch(
                        b -> b.queueUrl(source.queueUrl()).entries(entries));
            } catch (AwsServiceException e) {
                throw Denied.ifAccessDenied(DELETE, source.queueArn(), e);
            }
            if (response.hasFailed() && !response.failed().isEmpty()) {
                console.line(
                        "%s  %d message(s) could not be deleted from %s: they will be delivered again",
                        function.id(), response.failed().size(), source.queueId());
            }
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops polling: a long poll in progress is cut short (it has nothing to finish). A batch in
     * progress gets {@link LocalRuntime#SHUTDOWN_GRACE} to finish; after that it is abandoned, as
     * when Lambda stops an instance mid-invocation: nothing was deleted, so its messages come back
     * after the visibility timeout. Returns within about the grace period plus a second.
     */
    @Override
    public void close() {
        running = false;
        loops.forEach(Loop::interruptIfIdle);
        long deadline = System.nanoTime() + LocalRuntime.SHUTDOWN_GRACE.toNanos();
        try {
            for (Loop loop : loops) {
                long left = deadline - System.nanoTime();
                if (!loop.stopped.await(Math.max(0, left), TimeUnit.NANOSECONDS) && loop.thread != null) {
                    loop.thread.interrupt();
                    loop.stopped.await(1, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownClients != null) {
            try {
                ownClients.close();
            } catch (Exception e) {
                console.error(source.queueId() + " poller's clients", e);
            }
        }
    }
}
