package org.openepro.core.http;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Tells a failure worth retrying later (throttling, a 5xx of an AWS service, a timeout or a
 * connection the SDK could not make) from a fault of ours. The SDK has already retried by the
 * time one reaches a handler; what is left is answered 503 with {@code Retry-After}, or (a queue
 * worker) tried again later.
 */
public final class TransientFailures {
    private static final int MAX_CAUSES = 8;

    private TransientFailures() {}

    public static boolean isTransient(Throwable failure) {
        try {
            int depth = 0;
            for (Throwable t = failure; t != null && depth < MAX_CAUSES; t = t.getCause(), depth++) {
                if (t instanceof SdkServiceException service) {
                    // a 4xx other than throttling (validation, access denied, missing table) does not heal
                    return service.isThrottlingException() || service.statusCode() >= 500;
                }
                if (t instanceof SdkClientException) {
                    // API call and attempt timeouts, refused or reset connections
                    return true;
                }
            }
            return false;
        } catch (LinkageError noSdkInThisJar) {
            // a function that calls no AWS service has no SDK failure to tell apart
            return false;
        }
    }
}
