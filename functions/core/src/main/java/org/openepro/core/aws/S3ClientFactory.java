package org.openepro.core.aws;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Builds the S3 client and presigner; loaded only by a function that calls S3. An emulator on
 * 127.0.0.1 needs path-style addressing on both (virtual-host style would ask for bucket.127.0.0.1).
 */
final class S3ClientFactory {
    private S3ClientFactory() {}

    static S3Client client(ClientSetup setup) {
        return setup.configure(S3Client.builder())
                .forcePathStyle(setup.emulated())
                .build();
    }

    static S3Presigner presigner(ClientSetup setup) {
        S3Presigner.Builder builder = S3Presigner.builder()
                .region(setup.region())
                .credentialsProvider(setup.credentials())
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(setup.emulated())
                        .build());
        setup.settings().endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
