package org.openepro.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openepro.core.aws.AwsClients;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sns.model.SnsException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * A function's own credentials get exactly what its role in template.yaml grants: a call the role
 * does not allow fails in the emulator, per protocol, with the error AWS gives (function's principal,
 * action, resource), and changes nothing; the tests' admin credentials are not checked.
 */
@ExtendWith(AwsEmulatorExtension.class)
class IamEnforcementIT {

    @Test
    void everyFunctionRunsWithCredentialsOfItsOwnRole(EmulatedStack stack) {
        assertThat(stack.iamEnforced())
                .as("the emulator checks IAM (infra/aws-emulator/moto_launcher.py)")
                .isTrue();
        for (var f : stack.functions().entrySet()) {
            EmulatedStack.Credentials own = f.getValue().credentials();
            assertThat(own).as(f.getKey()).isNotNull();
            assertThat(own.principalArn())
                    .as(f.getKey())
                    .endsWith("/" + f.getKey())
                    .contains(":assumed-role/" + stack.stackName() + "-" + f.getKey() + "Role-");
            assertThat(stack.env(f.getKey()))
                    .containsEntry("AWS_ACCESS_KEY_ID", own.accessKeyId())
                    .containsEntry("AWS_SECRET_ACCESS_KEY", own.secretAccessKey());
        }
    }

    @Test
    void theExportWorkerMayQueryButNotScanTheProjections(EmulatedStack stack) {
        // GIVEN the export worker's own clients
        AwsClients worker = stack.clientsFor("ExportWorkerFunction");
        String table = stack.ref("ProjectionsTable");

        // WHEN it queries (granted) and scans (not granted) the projections table
        worker.dynamo()
                .query(b -> b.tableName(table)
                        .keyConditionExpression("pk = :p")
                        .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("nobody"))));
        DynamoDbException e = catchThrowableOfType(
                DynamoDbException.class, () -> worker.dynamo().scan(b -> b.tableName(table)));

        // THEN the scan fails as on AWS, naming the function's principal, the action and the table
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
        assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo(denial(
                        stack,
                        "ExportWorkerFunction",
                        "dynamodb:Scan",
                        stack.resource("ProjectionsTable").arn()));
        // while the admin may scan it
        assertThat(stack.clients()
                        .dynamo()
                        .scan(b -> b.tableName(table))
                        .sdkHttpResponse()
                        .isSuccessful())
                .isTrue();
    }

    @Test
    void aTransactionWithOneItemOnATableTheRoleMayNotWriteWritesNothing(EmulatedStack stack) {
        // GIVEN submit-report's clients, which may write the reports table but not the projections
        AwsClients submit = stack.clientsFor("SubmitReportFunction");
        String id = "R#" + UUID.randomUUID();

        // WHEN one transaction puts an item on each
        DynamoDbException e = catchThrowableOfType(
                DynamoDbException.class,
                () -> submit.dynamo()
                        .transactWriteItems(b -> b.transactItems(
                                put(stack.ref("ReportsTable"), id), put(stack.ref("ProjectionsTable"), id))));

        // THEN it is refused for the projections item's own action, and the reports item is not stored
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
        assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo(denial(
                        stack,
                        "SubmitReportFunction",
                        "dynamodb:PutItem",
                        stack.resource("ProjectionsTable").arn()));
        assertThat(stack.clients()
                        .dynamo()
                        .getItem(b -> b.tableName(stack.ref("ReportsTable"))
                                .consistentRead(true)
                                .key(Map.of("pk", AttributeValue.fromS(id), "sk", AttributeValue.fromS("V"))))
                        .item())
                .isEmpty();
    }

    @Test
    void indexReportMayNotSendToAQueueAndNothingIsEnqueued(EmulatedStack stack) {
        // GIVEN index-report's clients (its role may receive and delete from its queue, never send)
        AwsClients index = stack.clientsFor("IndexReportFunction");
        String queue = stack.ref("IndexQueue");

        // WHEN it sends to the index queue
        SqsException e = catchThrowableOfType(
                SqsException.class,
                () -> index.sqs().sendMessage(b -> b.queueUrl(queue).messageBody("{}")));

        // THEN SQS's access-denied error, and the queue stays empty; submit-report's send is allowed
        assertThat(e.statusCode()).isEqualTo(403);
        assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo(denial(
                        stack,
                        "IndexReportFunction",
                        "sqs:SendMessage",
                        stack.resource("IndexQueue").arn()));
        assertThat(stack.clients()
                        .sqs()
                        .receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(0))
                        .messages())
                .isEmpty();
        stack.clientsFor("SubmitReportFunction")
                .sqs()
                .sendMessage(b -> b.queueUrl(queue).messageBody("{}"));
    }

    @Test
    void submitReportMayNotPublishToTheNurseAlertsTopic(EmulatedStack stack) {
        // WHEN submit-report publishes an alert (only the alert function may)
        SnsException e = catchThrowableOfType(
                SnsException.class,
                () -> stack.clientsFor("SubmitReportFunction")
                        .sns()
                        .publish(b -> b.topicArn(stack.ref("NurseAlertsTopic")).message("{}")));

        // THEN SNS's authorization error names the function, the action and the topic
        assertThat(e.statusCode()).isEqualTo(403);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AuthorizationError");
        assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo(denial(stack, "SubmitReportFunction", "sns:Publish", stack.ref("NurseAlertsTopic")));
        // the alert function may, key use included (the topic is encrypted with the template's key)
        stack.clientsFor("AlertFunction")
                .sns()
                .publish(b -> b.topicArn(stack.ref("NurseAlertsTopic")).message("{}"));
    }

    @Test
    void theExportApiMayReadButNotWriteExportsAndNoObjectIsStored(EmulatedStack stack) {
        // GIVEN the export API's clients (GetObject on exports/*, nothing else in the bucket)
        AwsClients api = stack.clientsFor("ExportApiFunction");
        String bucket = stack.ref("ExportBucket");
        String key = "exports/" + UUID.randomUUID() + ".csv";

        // WHEN it writes an export object
        S3Exception e = catchThrowableOfType(
                S3Exception.class,
                () -> api.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("a,b\n")));

        // THEN S3's AccessDenied, and there is no such object
        assertThat(e.statusCode()).isEqualTo(403);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo(denial(stack, "ExportApiFunction", "s3:PutObject", "arn:aws:s3:::" + bucket + "/" + key));
        assertThat(stack.clients()
                        .s3()
                        .listObjectsV2(b -> b.bucket(bucket).prefix(key))
                        .contents())
                .isEmpty();
    }

    @Test
    void theExportWorkerWritesAMultipartExportButMayNotListTheBucket(EmulatedStack stack) {
        // GIVEN the export worker's clients
        AwsClients worker = stack.clientsFor("ExportWorkerFunction");
        String bucket = stack.ref("ExportBucket");
        String key = "exports/" + UUID.randomUUID() + ".csv";

        // WHEN it uploads in parts (each part is a PutObject), then lists the bucket
        String upload = worker.s3()
                .createMultipartUpload(b -> b.bucket(bucket).key(key).serverSideEncryption("AES256"))
                .uploadId();
        String etag = worker.s3()
                .uploadPart(
                        b -> b.bucket(bucket).key(key).uploadId(upload).partNumber(1), RequestBody.fromString("a,b\n"))
                .eTag();
        worker.s3().listParts(b -> b.bucket(bucket).key(key).uploadId(upload));
        worker.s3()
                .completeMultipartUpload(b -> b.bucket(bucket)
                        .key(key)
                        .uploadId(upload)
                        .multipartUpload(m -> m.parts(
                                CompletedPart.builder().partNumber(1).eTag(etag).build())));
        S3Exception e =
                catchThrowableOfType(S3Exception.class, () -> worker.s3().listObjectsV2(b -> b.bucket(bucket)));

        // THEN the object is there, and listing is refused on the bucket's ARN
        assertThat(stack.clients()
                        .s3()
                        .getObjectAsBytes(b -> b.bucket(bucket).key(key))
                        .asUtf8String())
                .isEqualTo("a,b\n");
        assertThat(e.statusCode()).isEqualTo(403);
        assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo(denial(stack, "ExportWorkerFunction", "s3:ListBucket", "arn:aws:s3:::" + bucket));
    }

    @Test
    void aPresignedDownloadIsCheckedAgainstTheSignersRole(EmulatedStack stack) throws IOException {
        // GIVEN an export object
        String bucket = stack.ref("ExportBucket");
        String key = "exports/" + UUID.randomUUID() + ".csv";
        stack.clients().s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("a,b\n"));

        // WHEN links are signed by the export API (which may read exports) and by submit-report (which may not)
        URL byExportApi = presign(stack.clientsFor("ExportApiFunction"), bucket, key);
        URL bySubmit = presign(stack.clientsFor("SubmitReportFunction"), bucket, key);

        // THEN the first downloads the object, the second answers S3's 403 naming submit-report
        assertThat(download(byExportApi)).isEqualTo("200 a,b\n");
        assertThat(download(bySubmit))
                .startsWith("403 ")
                .contains("<Code>AccessDenied</Code>")
                .contains(denial(stack, "SubmitReportFunction", "s3:GetObject", "arn:aws:s3:::" + bucket + "/" + key));
    }

    private static String denial(EmulatedStack stack, String function, String action, String resource) {
        return "User: " + stack.function(function).credentials().principalArn() + " is not authorized to perform: "
                + action + " on resource: " + resource + " because no identity-based policy allows the " + action
                + " action";
    }

    private static TransactWriteItem put(String table, String pk) {
        return TransactWriteItem.builder()
                .put(p -> p.tableName(table)
                        .item(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS("V"))))
                .build();
    }

    private static URL presign(AwsClients clients, String bucket, String key) {
        return clients.presigner()
                .presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(5))
                        .getObjectRequest(g -> g.bucket(bucket).key(key)))
                .url();
    }

    private static String download(URL url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) url.openConnection();
        int status = c.getResponseCode();
        byte[] body = (status < 400 ? c.getInputStream() : c.getErrorStream()).readAllBytes();
        return status + " " + new String(body, StandardCharsets.UTF_8);
    }
}
