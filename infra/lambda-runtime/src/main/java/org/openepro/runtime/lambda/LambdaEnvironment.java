package org.openepro.runtime.lambda;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment of one execution environment, as Lambda builds it: the function's own variables
 * from the template first, then the reserved ones Lambda sets and a function may not override
 * (runtime API address, handler, task root, function name, memory, version, log group and stream,
 * region, execution environment, initialization type, log format and level, time zone). Nothing is
 * inherited from the process that starts it.
 */
public final class LambdaEnvironment {
    /** The account id the local stack lives in (moto's default account). */
    public static final String ACCOUNT_ID = "123456789012";
    /** The credentials an emulator accepts when the stack gives a function none of its own. */
    public static final String EMULATOR_KEY = "testing";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter STREAM_DATE = DateTimeFormatter.ofPattern("yyyy/MM/dd");

    private LambdaEnvironment() {}

    /** The variables of a new instance of {@code spec} whose Runtime API listens at {@code runtimeApi}. */
    public static Map<String, String> of(FunctionSpec spec, String runtimeApi, Path runtimeDir, Path javaHome) {
        Map<String, String> env = new LinkedHashMap<>(spec.environment());
        // credentials: the function's own (the emulator's role key for it) when the stack gives them
        env.putIfAbsent("AWS_ACCESS_KEY_ID", EMULATOR_KEY);
        env.putIfAbsent("AWS_SECRET_ACCESS_KEY", EMULATOR_KEY);
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        env.put("_HANDLER", spec.handler());
        env.put("LAMBDA_TASK_ROOT", spec.taskRoot().toAbsolutePath().toString());
        env.put("LAMBDA_RUNTIME_DIR", runtimeDir.toAbsolutePath().toString());
        env.put("AWS_LAMBDA_FUNCTION_NAME", spec.name());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(spec.memoryMb()));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + spec.name());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", logStream());
        env.put("AWS_REGION", spec.region());
        env.put("AWS_DEFAULT_REGION", spec.region());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java25");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        if ("JSON".equalsIgnoreCase(spec.logFormat())) {
            env.put("AWS_LAMBDA_LOG_FORMAT", "JSON");
            if (spec.applicationLogLevel() != null) {
                env.put("AWS_LAMBDA_LOG_LEVEL", spec.applicationLogLevel());
            }
        }
        env.put("TZ", ":UTC");
        env.put("LANG", "en_US.UTF-8");
        env.put("PATH", javaHome.resolve("bin") + ":/usr/local/bin:/usr/bin:/bin");
        return env;
    }

    /** Lambda's stream name for a new execution environment: {@code 2026/12/01/[$LATEST]<32 hex>}. */
    static String logStream() {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        return LocalDate.now(ZoneOffset.UTC).format(STREAM_DATE) + "/[$LATEST]"
                + HexFormat.of().formatHex(id);
    }
}
