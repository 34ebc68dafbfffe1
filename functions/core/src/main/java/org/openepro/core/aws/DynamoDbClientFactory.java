package org.openepro.core.aws;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Builds the DynamoDB client; loaded only by a function that calls DynamoDB. */
final class DynamoDbClientFactory {
    private DynamoDbClientFactory() {}

    static DynamoDbClient build(ClientSetup setup) {
        return setup.configure(DynamoDbClient.builder()).build();
    }
}
