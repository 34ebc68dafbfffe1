package org.openepro.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openepro.core.json.Json;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryStatus;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The resources created in the emulator from template.yaml are the ones the template declares. */
@ExtendWith(AwsEmulatorExtension.class)
class StackFromTemplateIT {

    @Test
    void tablesHaveTheTemplatesKeysAndIndexes(EmulatedStack stack) {
        var tables = Template.resources("AWS::DynamoDB::Table");
        assertThat(tables).hasSize(7);
        for (var t : tables) {
            JsonNode declared = t.getValue().path("Properties");
            TableDescription actual = stack.clients()
                    .dynamo()
                    .describeTable(b -> b.tableName(stack.ref(t.getKey())))
                    .table();

            assertThat(keys(actual.keySchema())).as(t.getKey()).isEqualTo(keys(declared.path("KeySchema")));
            List<String> declaredIndexes = new ArrayList<>();
            for (JsonNode gsi : declared.path("GlobalSecondaryIndexes")) {
                declaredIndexes.add(gsi.path("IndexName").asText()
                        + keys(gsi.path("KeySchema"))
                        + projection(gsi.path("Projection")));
            }
            List<String> actualIndexes = new ArrayList<>();
            for (GlobalSecondaryIndexDescription gsi : actual.globalSecondaryIndexes()) {
                actualIndexes.add(gsi.indexName() + keys(gsi.keySchema()) + projection(gsi.projection()));
            }
            assertThat(actualIndexes).as(t.getKey() + " GSIs").containsExactlyInAnyOrderElementsOf(declaredIndexes);
            assertThat(actual.billingModeSummary().billingModeAsString()).isEqualTo("PAY_PER_REQUEST");
            assertThat(actual.tableName()).as("generated name").startsWith(stack.stackName() + "-" + t.getKey());
            // moto keeps point-in-time recovery; it keeps no table SSE setting (SSESpecification), so that is not
            // checked
            boolean pitr = declared.path("PointInTimeRecoverySpecification")
                    .path("PointInTimeRecoveryEnabled")
                    .asBoolean();
            assertThat(stack.clients()
                            .dynamo()
                            .describeContinuousBackups(b -> b.tableName(actual.tableName()))
                            .continuousBackupsDescription()
                            .pointInTimeRecoveryDescription()
                            .pointInTimeRecoveryStatus())
                    .as(t.getKey() + " point-in-time recovery")
                    .isEqualTo(pitr ? PointInTimeRecoveryStatus.ENABLED : PointInTimeRecoveryStatus.DISABLED);
        }
    }

    @Test
    void queuesHaveTheTemplatesVisibilityAndRedriveToTheirDeadLetterQueue(EmulatedStack stack) throws Exception {
        for (var q : Template.resources("AWS::SQS::Queue")) {
            JsonNode declared = q.getValue().path("Properties");
            Map<QueueAttributeName, String> actual = stack.clients()
                    .sqs()
                    .getQueueAttributes(b -> b.queueUrl(stack.ref(q.getKey())).attributeNames(QueueAttributeName.ALL))
                    .attributes();
            if (declared.has("VisibilityTimeout")) {
                assertThat(actual.get(QueueAttributeName.VISIBILITY_TIMEOUT))
                        .as(q.getKey())
                        .isEqualTo(declared.path("VisibilityTimeout").asText());
            }
            if (declared.has("MessageRetentionPeriod")) {
                assertThat(actual.get(QueueAttributeName.MESSAGE_RETENTION_PERIOD))
                        .as(q.getKey())
                        .isEqualTo(declared.path("MessageRetentionPeriod").asText());
            }
            JsonNode redrive = declared.path("RedrivePolicy");
            if (!redrive.isMissingNode()) {
                JsonNode actualRedrive = Json.mapper().readTree(actual.get(QueueAttributeName.REDRIVE_POLICY));
                assertThat(actualRedrive.path("maxReceiveCount").asInt())
                        .as(q.getKey())
                        .isEqualTo(redrive.path("maxReceiveCount").asInt());
                assertThat(actualRedrive.path("deadLetterTargetArn").asText())
                        .as(q.getKey())
                        .isEqualTo(stack.resource(Template.target(redrive.path("deadLetterTargetArn")))
                                .arn());
            }
        }
    }

    @Test
    void theTopicsAndTheBucketExistAsDeclared(EmulatedStack stack) {
        for (var topic : Template.resources("AWS::SNS::Topic")) {
            Map<String, String> attributes = stack.clients()
                    .sns()
                    .getTopicAttributes(b -> b.topicArn(stack.ref(topic.getKey())))
                    .attributes();
            assertThat(attributes.get("KmsMasterKeyId")).as(topic.getKey()).isNotBlank();
        }
        String bucket = stack.ref("ExportBucket");
        var rules = stack.clients()
                .s3()
                .getBucketLifecycleConfiguration(b -> b.bucket(bucket))
                .rules();
        assertThat(rules).singleElement().satisfies(r -> {
            assertThat(r.filter().prefix()).isEqualTo("exports/");
            assertThat(r.expiration().days()).isEqualTo(1);
        });
        var block =
                stack.clients().s3().getPublicAccessBlock(b -> b.bucket(bucket)).publicAccessBlockConfiguration();
        assertThat(block.blockPublicAcls()
                        && block.blockPublicPolicy()
                        && block.ignorePublicAcls()
                        && block.restrictPublicBuckets())
                .isTrue();
        // the encryption the template chooses with its default parameters (DataKeyArn empty: SSE-S3)
        JsonNode declared = TranslatedTemplate.withDefaults()
                .properties("ExportBucket")
                .path("BucketEncryption")
                .path("ServerSideEncryptionConfiguration");
        var encryption = stack.clients()
                .s3()
                .getBucketEncryption(b -> b.bucket(bucket))
                .serverSideEncryptionConfiguration()
                .rules();
        assertThat(encryption).as("ExportBucket encryption").hasSize(declared.size());
        for (int i = 0; i < declared.size(); i++) {
            JsonNode rule = declared.get(i);
            assertThat(encryption.get(i).applyServerSideEncryptionByDefault().sseAlgorithmAsString())
                    .isEqualTo(rule.path("ServerSideEncryptionByDefault")
                            .path("SSEAlgorithm")
                            .asText());
            assertThat(encryption.get(i).bucketKeyEnabled())
                    .isEqualTo(rule.path("BucketKeyEnabled").asBoolean());
        }
    }

    @Test
    void functionsGetTheirEnvironmentResolvedAgainstTheCreatedResources(EmulatedStack stack) {
        Map<String, String> env = stack.env("SubmitReportFunction");

        assertThat(env.get("REPORTS_TABLE")).isEqualTo(stack.ref("ReportsTable"));
        assertThat(env.get("INDEX_QUEUE_URL")).isEqualTo(stack.ref("IndexQueue"));
        assertThat(env.get("STAGE")).as("from Globals").isEqualTo("dev");
        assertThat(stack.function("ExportWorkerFunction").timeout()).isEqualTo(300);
        assertThat(stack.function("IndexReportFunction").events())
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.type()).isEqualTo("SQS");
                    assertThat(e.queue()).isEqualTo("IndexQueue");
                    assertThat(e.batchSize()).isEqualTo(10);
                });
    }

    private static String keys(List<KeySchemaElement> schema) {
        StringBuilder b = new StringBuilder();
        schema.forEach(k -> b.append('[')
                .append(k.attributeName())
                .append(':')
                .append(k.keyTypeAsString())
                .append(']'));
        return b.toString();
    }

    private static String projection(Projection projection) {
        List<String> nonKey = projection.hasNonKeyAttributes() ? projection.nonKeyAttributes() : List.of();
        return " " + projection.projectionTypeAsString()
                + nonKey.stream().sorted().toList();
    }

    private static String projection(JsonNode projection) {
        List<String> nonKey = new ArrayList<>();
        projection.path("NonKeyAttributes").forEach(a -> nonKey.add(a.asText()));
        return " " + projection.path("ProjectionType").asText()
                + nonKey.stream().sorted().toList();
    }

    private static String keys(JsonNode schema) {
        StringBuilder b = new StringBuilder();
        schema.forEach(k -> b.append('[')
                .append(k.path("AttributeName").asText())
                .append(':')
                .append(k.path("KeyType").asText())
                .append(']'));
        return b.toString();
    }
}
