package org.openepro.core.aws;

import software.amazon.awssdk.services.sqs.SqsClient;

/** Builds the SQS client; loaded only by a function that calls SQS. */
final class SqsClientFactory {
    private SqsClientFactory() {}

    static SqsClient build(ClientSetup setup) {
        return setup.configure(SqsClient.builder()).build();
    }
}
