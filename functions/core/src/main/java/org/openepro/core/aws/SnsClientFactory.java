package org.openepro.core.aws;

import software.amazon.awssdk.services.sns.SnsClient;

/** Builds the SNS client; loaded only by a function that calls SNS. */
final class SnsClientFactory {
    private SnsClientFactory() {}

    static SnsClient build(ClientSetup setup) {
        return setup.configure(SnsClient.builder()).build();
    }
}
