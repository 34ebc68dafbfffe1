package org.openepro.core.aws;

import java.util.Map;
import java.util.function.BiFunction;

/**
 * Calls AwsClients the way a handler does, in compiled code (reflection on AwsClients itself would
 * load every accessor's return type and so prove nothing). {@link AwsClientsTest} loads it in a class
 * loader that lacks some SDK service modules, as a function's jar does.
 */
public final class AwsClientsProbe implements BiFunction<Map<String, String>, String, Object> {
    @Override
    public Object apply(Map<String, String> env, String accessor) {
        try (AwsClients aws = AwsClients.fromEnv(env)) {
            return switch (accessor) {
                case "dynamo" -> aws.dynamo();
                case "sqs" -> aws.sqs();
                case "sns" -> aws.sns();
                case "s3" -> aws.s3();
                case "presigner" -> aws.presigner();
                case "none" -> aws.settings();
                default -> throw new IllegalArgumentException(accessor);
            };
        }
    }
}
