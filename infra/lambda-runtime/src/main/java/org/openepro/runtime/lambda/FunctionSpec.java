package org.openepro.runtime.lambda;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What Lambda knows about a function when it starts an instance of it: the handler string, the
 * artifact (the task root holding {@code lib/*.jar}), memory, timeout, the environment the template
 * gives it (already resolved against the stack), its region and its LoggingConfig.
 *
 * @param name              the function's name (its logical id locally)
 * @param taskRoot          the folder {@code sam build} made for it: {@code lib/*.jar}, as in /var/task
 * @param environment       the template's variables (Globals plus the function's), the emulator's endpoint, credentials
 * @param logFormat         LoggingConfig.LogFormat: {@code Text} or {@code JSON}
 * @param applicationLogLevel LoggingConfig.ApplicationLogLevel (JSON format only), or null
 */
public record FunctionSpec(
        String name,
        String handler,
        Path taskRoot,
        int memoryMb,
        Duration timeout,
        Map<String, String> environment,
        String region,
        String logFormat,
        String applicationLogLevel) {
    public FunctionSpec {
        environment = Map.copyOf(environment);
    }

    /** The ARN Lambda passes as the invoked function (the local account, this region). */
    public String arn() {
        return "arn:aws:lambda:" + region + ":" + LambdaEnvironment.ACCOUNT_ID + ":function:" + name;
    }
}
