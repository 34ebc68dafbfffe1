package org.openepro.local;

import org.openepro.local.aws.EmulatedLambdaContext;

import com.amazonaws.services.lambda.runtime.Context;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.openepro.core.aws.AwsClients;
import org.openepro.local.aws.EmulatedStack;

/**
 * One function of the template as a warm Lambda container: its handler, built once by reflection
 * through the {@code (Map<String,String> env, AwsClients aws)} constructor every OpenEPRO handler
 * has, serving one invocation at a time (as a container does) with a {@link LocalContext} whose
 * deadline is the template's Timeout. A handler that cannot be built leaves the container
 * unavailable, with the reason, instead of stopping the whole runtime.
 */
public final class FunctionContainer {
    /** How an invocation ended. */
    public enum Status { SUCCEEDED, FAILED, TIMED_OUT, UNAVAILABLE }

    /** The outcome of one invocation: the handler's result or error, and how long it ran. */
    public record Invocation(Status status, String requestId, Object result, Throwable error, Duration duration) {
        public boolean succeeded() {
            return status == Status.SUCCEEDED;
        }
    }

    private final String id;
    private final EmulatedStack.Function config;
    private final Map<String, String> env;
    private final Object handler;
    private final Method handleRequest;
    private final String unavailableReason;
    private final Clock clock;
    private final PrintStream out;
    private final ReentrantLock container = new ReentrantLock(true);

    private FunctionContainer(String id, EmulatedStack.Function config, Map<String, String> env, Object handler,
                              Method handleRequest, String unavailableReason, Clock clock, PrintStream out) {
        this.id = id;
        this.config = config;
        this.env = env;
        this.handler = handler;
        this.handleRequest = handleRequest;
        this.unavailableReason = unavailableReason;
        this.clock = clock;
        this.out = out;
    }

    /** Builds the handler named by the template, or an unavailable container saying why not. */
    public static FunctionContainer create(String id, EmulatedStack.Function config, Map<String, String> baseEnv,
                                           AwsClients aws, Clock clock, PrintStream out) {
        Map<String, String> env = lambdaEnvironment(id, config, baseEnv);
        String className = config.handlerClass();
        try {
            Class<?> type = Class.forName(className);
            Method method = handleRequest(type);
            if (method == null) {
                return unavailable(id, config, env, "%s has no public handleRequest(event, Context)".formatted(className),
                        clock, out);
            }
            Constructor<?> constructor = type.getConstructor(Map.class, AwsClients.class);
            Object handler = constructor.newInstance(Map.copyOf(env), aws);
            return new FunctionContainer(id, config, env, handler, method, null, clock, out);
        } catch (ClassNotFoundException e) {
            return unavailable(id, config, env, className + " is not on the classpath (not written yet?)", clock, out);
        } catch (NoClassDefFoundError e) {
            return unavailable(id, config, env, "cannot load " + className + ": a class it needs is missing ("
                    + e.getMessage() + ")", clock, out);
        } catch (NoSuchMethodException e) {
            return unavailable(id, config, env,
                    className + " has no public (Map<String,String> env, AwsClients aws) constructor", clock, out);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            return unavailable(id, config, env, "constructing " + className + " failed: "
                    + cause.getClass().getSimpleName() + ": " + cause.getMessage(), clock, out);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return unavailable(id, config, env, "cannot load " + className + ": " + e, clock, out);
        }
    }

    private static FunctionContainer unavailable(String id, EmulatedStack.Function config, Map<String, String> env,
                                                 String reason, Clock clock, PrintStream out) {
        return new FunctionContainer(id, config, env, null, null, reason, clock, out);
    }

    /** The template's environment plus the variables Lambda itself sets in every container. */
    static Map<String, String> lambdaEnvironment(String id, EmulatedStack.Function config, Map<String, String> base) {
        Map<String, String> env = new HashMap<>(base);
        env.putIfAbsent("AWS_LAMBDA_FUNCTION_NAME", id);
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(config.memorySize()));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + id);
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java25");
        env.put("_HANDLER", config.handler());
        return env;
    }

    /** The handler's own handleRequest(event, Context): not the bridge the compiler adds for a generic interface. */
    static Method handleRequest(Class<?> type) {
        Method best = null;
        for (Method m : type.getMethods()) {
            if (!m.getName().equals("handleRequest") || m.getParameterCount() != 2
                    || !Context.class.isAssignableFrom(m.getParameterTypes()[1]) || m.isBridge() || m.isSynthetic()) {
                continue;
            }
            if (best == null || best.getParameterTypes()[0].isAssignableFrom(m.getParameterTypes()[0])) {
                best = m;
            }
        }
        return best;
    }

    public String id() {
        return id;
    }

    public EmulatedStack.Function config() {
        return config;
    }

    /** The environment the handler was built with. */
    public Map<String, String> environment() {
        return Map.copyOf(env);
    }

    public boolean available() {
        return handler != null;
    }

    /** Why the handler could not be built; null when it was. */
    public String unavailableReason() {
        return unavailableReason;
    }

    /** The handler instance (the warm container's state), for tests. */
    public Object handler() {
        return handler;
    }

    /** The event type handleRequest takes; null when unavailable. */
    public Class<?> inputType() {
        return handleRequest == null ? null : handleRequest.getParameterTypes()[0];
    }

    /** Whether this handler can take an event of {@code eventType}. */
    public boolean accepts(Class<?> eventType) {
        return available() && inputType().isAssignableFrom(eventType);
    }

    public Duration timeout() {
        return Duration.ofSeconds(config.timeout());
    }

    /**
     * Runs the handler once, after any invocation in progress (one at a time, as in a Lambda
     * container). An invocation that outlives the Timeout is reported as timed out: Lambda would
     * have stopped it, so its result is not used.
     */
    public Invocation invoke(Object event) {
        String requestId = UUID.randomUUID().toString();
        if (!available()) {
            return new Invocation(Status.UNAVAILABLE, requestId, null, null, Duration.ZERO);
        }
        container.lock();
        try {
            Instant start = clock.instant();
            Context context = EmulatedLambdaContext.until(requestId, id, config.memorySize(), start.plus(timeout()), clock,
                    env.getOrDefault("AWS_REGION", "eu-west-1"), out);
            long t0 = System.nanoTime();
            Object result;
            try {
                result = handleRequest.invoke(handler, event, context);
            } catch (InvocationTargetException e) {
                return new Invocation(Status.FAILED, requestId, null, e.getCause(), Duration.ofNanos(System.nanoTime() - t0));
            } catch (IllegalAccessException | IllegalArgumentException e) {
                return new Invocation(Status.FAILED, requestId, null, e, Duration.ofNanos(System.nanoTime() - t0));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            if (took.compareTo(timeout()) > 0) {
                return new Invocation(Status.TIMED_OUT, requestId, null, null, took);
            }
            return new Invocation(Status.SUCCEEDED, requestId, result, null, took);
        } finally {
            container.unlock();
        }
    }
}
