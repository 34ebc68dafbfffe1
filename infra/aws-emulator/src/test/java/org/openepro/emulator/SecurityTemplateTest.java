package org.openepro.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The template's security properties as CloudFormation would deploy them, under each choice of the
 * parameters that change them: encryption at rest with and without DataKeyArn, what each function may do
 * with a key, concurrency, and the export bucket's access logs.
 */
class SecurityTemplateTest {
    private static final String KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final Map<String, String> WITH_KEY = Map.of("DataKeyArn", KEY);
    /** Every optional resource created too (the Cognito pool is created by default). */
    private static final Map<String, String> EVERYTHING = Map.of(
            "DataKeyArn",
            KEY,
            "AlertEmail",
            "nurses@example.org",
            "AlertSiteId",
            "SITE-01",
            "OpsEmail",
            "ops@example.org",
            "FunctionConcurrencyLimit",
            "20");

    /** Resource types that hold data at rest: each must be handled below, or this test fails on a new one. */
    private static final Set<String> STORE_TYPES = Set.of(
            "AWS::DynamoDB::Table",
            "AWS::SQS::Queue",
            "AWS::SNS::Topic",
            "AWS::Logs::LogGroup",
            "AWS::S3::Bucket",
            "AWS::Lambda::Function");

    private static final Set<String> UNHANDLED_STORE_TYPES = Set.of(
            "AWS::DynamoDB::GlobalTable",
            "AWS::Kinesis::Stream",
            "AWS::KinesisFirehose::DeliveryStream",
            "AWS::EFS::FileSystem",
            "AWS::SecretsManager::Secret",
            "AWS::RDS::DBCluster",
            "AWS::RDS::DBInstance",
            "AWS::ElastiCache::ReplicationGroup",
            "AWS::Events::EventBus",
            "AWS::StepFunctions::StateMachine",
            "AWS::AppSync::GraphQLApi",
            "AWS::Backup::BackupVault");
    /**
     * Buckets that stay under SSE-S3 whatever DataKeyArn says, each for a reason: S3 delivers server access
     * logs only to a bucket whose default encryption is SSE-S3; the console bucket holds only the console's
     * public build, which CloudFront reads through Origin Access Control (under a customer key, that key's
     * policy would have to admit CloudFront for files that are no secret).
     */
    private static final Set<String> SSE_S3_ONLY_BUCKETS = Set.of("AccessLogBucket", "ConsoleBucket");

    @Test
    void withADataKeyEveryDataStoreIsEncryptedUnderIt() {
        // GIVEN the stack deployed with a customer-managed key, every optional resource included
        TranslatedTemplate t = TranslatedTemplate.with(EVERYTHING);

        // THEN no store is of a kind this test does not know how to check
        t.root()
                .path("Resources")
                .properties()
                .forEach(r -> assertThat(UNHANDLED_STORE_TYPES)
                        .as(r.getKey() + ": a data store this test does not check yet")
                        .doesNotContain(r.getValue().path("Type").asText()));
        // AND every table, queue, topic, log group, bucket and function environment names that key
        Map<String, Integer> checked = new java.util.TreeMap<>();
        t.resources("AWS::DynamoDB::Table").forEach((id, table) -> {
            JsonNode sse = table.path("Properties").path("SSESpecification");
            assertThat(sse.path("SSEEnabled").asBoolean()).as(id).isTrue();
            assertThat(sse.path("SSEType").asText()).as(id).isEqualTo("KMS");
            assertThat(sse.path("KMSMasterKeyId").asText()).as(id).isEqualTo(KEY);
            checked.merge("table", 1, Integer::sum);
        });
        t.resources("AWS::SQS::Queue").forEach((id, queue) -> {
            assertThat(queue.path("Properties").path("KmsMasterKeyId").asText())
                    .as(id)
                    .isEqualTo(KEY);
            assertThat(queue.path("Properties").has("SqsManagedSseEnabled"))
                    .as(id + " SSE-SQS as well")
                    .isFalse();
            checked.merge("queue", 1, Integer::sum);
        });
        t.resources("AWS::SNS::Topic").forEach((id, topic) -> {
            assertThat(topic.path("Properties").path("KmsMasterKeyId").asText())
                    .as(id)
                    .isEqualTo(KEY);
            checked.merge("topic", 1, Integer::sum);
        });
        t.resources("AWS::Logs::LogGroup").forEach((id, group) -> {
            assertThat(group.path("Properties").path("KmsKeyId").asText())
                    .as(id)
                    .isEqualTo(KEY);
            checked.merge("log group", 1, Integer::sum);
        });
        t.resources("AWS::S3::Bucket").forEach((id, bucket) -> {
            JsonNode byDefault = onlyEncryptionRule(id, bucket);
            if (SSE_S3_ONLY_BUCKETS.contains(id)) {
                assertThat(byDefault.path("SSEAlgorithm").asText()).as(id).isEqualTo("AES256");
            } else {
                assertThat(byDefault.path("SSEAlgorithm").asText()).as(id).isEqualTo("aws:kms");
                assertThat(byDefault.path("KMSMasterKeyID").asText()).as(id).isEqualTo(KEY);
                checked.merge("bucket", 1, Integer::sum);
            }
        });
        t.resources("AWS::Lambda::Function").forEach((id, fn) -> {
            // the environment variables and the SnapStart snapshots
            assertThat(fn.path("Properties").path("KmsKeyArn").asText()).as(id).isEqualTo(KEY);
            checked.merge("function", 1, Integer::sum);
        });
        // the export worker asks for the key on every object it writes (a request's own SSE beats the bucket's)
        assertThat(t.properties("ExportWorkerFunction")
                        .path("Environment")
                        .path("Variables")
                        .path("EXPORT_KMS_KEY_ARN")
                        .asText())
                .isEqualTo(KEY);
        // AND the stack makes no key of its own: one key, the customer's, encrypts everything
        assertThat(t.resources("AWS::KMS::Key")).isEmpty();
        assertThat(checked)
                .containsOnlyKeys("table", "queue", "topic", "log group", "bucket", "function")
                .allSatisfy((kind, n) -> assertThat(n).as(kind).isPositive());
    }

    @Test
    void withoutADataKeyEveryStoreNamesItsAwsManagedEncryption() {
        // GIVEN the stack with its defaults
        TranslatedTemplate t = TranslatedTemplate.with(
                Map.of("AlertEmail", "nurses@example.org", "AlertSiteId", "SITE-01", "OpsEmail", "ops@example.org"));

        // THEN tables: KMS with DynamoDB's AWS-managed key (SSEType KMS, no key of ours)
        assertThat(t.resources("AWS::DynamoDB::Table")).isNotEmpty().allSatisfy((id, table) -> {
            JsonNode sse = table.path("Properties").path("SSESpecification");
            assertThat(sse.path("SSEEnabled").asBoolean()).as(id).isTrue();
            assertThat(sse.path("SSEType").asText()).as(id).isEqualTo("KMS");
            assertThat(sse.has("KMSMasterKeyId")).as(id).isFalse();
        });
        // AND queues: SQS-managed encryption (SSE-SQS)
        assertThat(t.resources("AWS::SQS::Queue")).isNotEmpty().allSatisfy((id, queue) -> {
            assertThat(queue.path("Properties").path("SqsManagedSseEnabled").asBoolean())
                    .as(id)
                    .isTrue();
            assertThat(queue.path("Properties").has("KmsMasterKeyId")).as(id).isFalse();
        });
        // AND buckets: SSE-S3
        assertThat(t.resources("AWS::S3::Bucket")).isNotEmpty().allSatisfy((id, bucket) -> {
            JsonNode byDefault = onlyEncryptionRule(id, bucket);
            assertThat(byDefault.path("SSEAlgorithm").asText()).as(id).isEqualTo("AES256");
            assertThat(byDefault.has("KMSMasterKeyID")).as(id).isFalse();
        });
        assertThat(t.properties("ExportWorkerFunction")
                        .path("Environment")
                        .path("Variables")
                        .path("EXPORT_KMS_KEY_ARN")
                        .asText())
                .isEmpty();
        // AND log groups and function environments: the services' own encryption (no key named)
        assertThat(t.resources("AWS::Logs::LogGroup"))
                .isNotEmpty()
                .allSatisfy((id, group) -> assertThat(group.path("Properties").has("KmsKeyId"))
                        .as(id)
                        .isFalse());
        assertThat(t.resources("AWS::Lambda::Function"))
                .isNotEmpty()
                .allSatisfy((id, fn) -> assertThat(fn.path("Properties").has("KmsKeyArn"))
                        .as(id)
                        .isFalse());
        // AND topics: the stack's rotating MessagingKey, whose policy lets CloudWatch alarms publish (aws/sns's cannot)
        assertThat(t.resources("AWS::SNS::Topic"))
                .isNotEmpty()
                .allSatisfy((id, topic) -> assertThat(TranslatedTemplate.target(
                                topic.path("Properties").path("KmsMasterKeyId")))
                        .as(id)
                        .isEqualTo("MessagingKey"));
        JsonNode key = t.properties("MessagingKey");
        assertThat(key.path("EnableKeyRotation").asBoolean()).isTrue();
        assertThat(key.path("KeyPolicy").toString()).contains("cloudwatch.amazonaws.com");
        assertThat(t.has("DataKeyUsePolicy")).isFalse();
    }

    @Test
    void withADataKeyEveryFunctionMayOnlyDecryptAndGenerateDataKeysWithItThroughItsServices() {
        // GIVEN the stack with a customer-managed key
        TranslatedTemplate t = TranslatedTemplate.with(EVERYTHING);

        // THEN the one policy that grants the key allows exactly two actions on exactly that key, via AWS services
        JsonNode statements =
                t.properties("DataKeyUsePolicy").path("PolicyDocument").path("Statement");
        assertThat(statements).hasSize(1);
        JsonNode grant = statements.get(0);
        assertThat(grant.path("Effect").asText()).isEqualTo("Allow");
        assertThat(strings(grant.path("Action"))).containsExactlyInAnyOrder("kms:Decrypt", "kms:GenerateDataKey");
        assertThat(grant.path("Resource").asText()).isEqualTo(KEY);
        assertThat(grant.path("Condition").path("StringEquals").path("kms:ViaService"))
                .isNotEmpty();
        // AND every function's role carries it, and no role grants any other KMS permission
        Map<String, JsonNode> functions = t.resources("AWS::Lambda::Function");
        assertThat(functions).isNotEmpty();
        functions.forEach((id, fn) -> {
            JsonNode role =
                    t.resource(TranslatedTemplate.target(fn.path("Properties").path("Role")));
            assertThat(role.path("Properties").path("ManagedPolicyArns").toString())
                    .as(id + " role")
                    .contains("{\"Ref\":\"DataKeyUsePolicy\"}");
            assertThat(kmsActions(role)).as(id + " role's own KMS statements").isEmpty();
        });
    }

    @Test
    void withoutADataKeyOnlyTopicPublishersMayUseAKeyAndOnlyTheTopicsKey() {
        TranslatedTemplate t = TranslatedTemplate.withDefaults();

        List<String> publishers = new ArrayList<>();
        t.resources("AWS::Lambda::Function").forEach((id, fn) -> {
            JsonNode role =
                    t.resource(TranslatedTemplate.target(fn.path("Properties").path("Role")));
            assertThat(role.path("Properties").path("ManagedPolicyArns").toString())
                    .as(id)
                    .doesNotContain("DataKeyUsePolicy");
            List<String> grants = kmsActions(role);
            if (role.path("Properties").path("Policies").toString().contains("sns:Publish")) {
                // publishing to a topic encrypted under MessagingKey takes a data key from it
                publishers.add(id);
                assertThat(grants)
                        .as(id)
                        .containsExactlyInAnyOrder(
                                "kms:Decrypt on MessagingKey", "kms:GenerateDataKey on MessagingKey");
            } else {
                assertThat(grants).as(id).isEmpty();
            }
        });
        assertThat(publishers).contains("AlertFunction");
    }

    @Test
    void theAlertFunctionKeepsReservedConcurrencyItsQueuePollersNeverExceed() {
        // GIVEN the defaults
        TranslatedTemplate t = TranslatedTemplate.withDefaults();

        // THEN alerts have capacity of their own, and the other functions share the account's
        assertThat(t.properties("AlertFunction")
                        .path("ReservedConcurrentExecutions")
                        .asText())
                .isEqualTo("5");
        t.resources("AWS::Lambda::Function").forEach((id, fn) -> {
            if (!id.equals("AlertFunction")) {
                assertThat(fn.path("Properties").has("ReservedConcurrentExecutions"))
                        .as(id)
                        .isFalse();
            }
        });
        assertThat(eventSourceOf(t, "AlertFunction")
                        .path("ScalingConfig")
                        .path("MaximumConcurrency")
                        .asText())
                .isEqualTo("5");
        pollersStayWithinReservations(t);
    }

    @Test
    void aFunctionConcurrencyLimitCapsEveryOtherFunctionAndItsPollers() {
        // GIVEN a limit for the other functions and a larger reservation for alerts
        TranslatedTemplate t =
                TranslatedTemplate.with(Map.of("FunctionConcurrencyLimit", "20", "AlertReservedConcurrency", "12"));

        // THEN each function is capped (alerts at their own reservation) and no poller outruns its cap
        t.resources("AWS::Lambda::Function")
                .forEach((id, fn) -> assertThat(fn.path("Properties")
                                .path("ReservedConcurrentExecutions")
                                .asText())
                        .as(id)
                        .isEqualTo(id.equals("AlertFunction") ? "12" : "20"));
        assertThat(eventSourceOf(t, "IndexReportFunction")
                        .path("ScalingConfig")
                        .path("MaximumConcurrency")
                        .asText())
                .isEqualTo("20");
        pollersStayWithinReservations(t);
        // AND the smallest limit the template accepts still holds the export worker's pollers
        pollersStayWithinReservations(TranslatedTemplate.with(Map.of("FunctionConcurrencyLimit", "5")));
    }

    @Test
    void anAccountThatCannotReserveDeploysWithNoAlertReservation() {
        TranslatedTemplate t = TranslatedTemplate.with(Map.of("AlertReservedConcurrency", "0"));

        assertThat(t.properties("AlertFunction").has("ReservedConcurrentExecutions"))
                .isFalse();
        assertThat(eventSourceOf(t, "AlertFunction").has("ScalingConfig")).isFalse();
        // 1 would ask for one poller's worth, under the two an SQS event source runs: the template refuses it
        assertThat(Template.root()
                        .path("Rules")
                        .path("AlertConcurrencyFeedsItsQueue")
                        .toString())
                .contains("AlertReservedConcurrency")
                .contains("\"1\"");
    }

    @Test
    void theExportBucketLogsEveryRequestIntoAPrivateVersionedLogBucketKeptForItsRetention() {
        // GIVEN a study that keeps its access evidence ten years
        TranslatedTemplate t = TranslatedTemplate.with(Map.of("AccessLogRetentionDays", "3653"));

        // THEN the export bucket's server access logs go to the log bucket
        JsonNode logging = t.properties("ExportBucket").path("LoggingConfiguration");
        assertThat(TranslatedTemplate.target(logging.path("DestinationBucketName")))
                .isEqualTo("AccessLogBucket");
        assertThat(logging.path("LogFilePrefix").asText()).isEqualTo("export-bucket/");
        // AND the log bucket is private, versioned, kept as long as asked, and outlives the stack
        JsonNode logs = t.resource("AccessLogBucket");
        assertThat(logs.path("DeletionPolicy").asText()).isEqualTo("Retain");
        JsonNode p = logs.path("Properties");
        blocksAllPublicAccess("AccessLogBucket", p);
        assertThat(p.path("OwnershipControls").toString()).contains("BucketOwnerEnforced");
        assertThat(p.path("VersioningConfiguration").path("Status").asText()).isEqualTo("Enabled");
        JsonNode rule = p.path("LifecycleConfiguration").path("Rules").get(0);
        assertThat(rule.path("ExpirationInDays").asText()).isEqualTo("3653");
        assertThat(rule.path("NoncurrentVersionExpiration")
                        .path("NoncurrentDays")
                        .asText())
                .isEqualTo("3653");
        assertThat(p.has("LoggingConfiguration"))
                .as("a log bucket that logs into itself")
                .isFalse();
        // AND only S3's log delivery may write, only the export bucket's logs, only under its prefix
        List<JsonNode> allows = new ArrayList<>();
        for (JsonNode s : bucketPolicyOf(t, "AccessLogBucket").path("Statement")) {
            if (s.path("Effect").asText().equals("Allow")) {
                allows.add(s);
            }
        }
        assertThat(allows).singleElement().satisfies(s -> {
            assertThat(s.path("Principal").path("Service").asText()).isEqualTo("logging.s3.amazonaws.com");
            assertThat(strings(s.path("Action"))).containsExactly("s3:PutObject");
            assertThat(s.path("Resource").toString()).contains("/export-bucket/*");
            assertThat(TranslatedTemplate.target(
                            s.path("Condition").path("ArnLike").path("aws:SourceArn")))
                    .isEqualTo("ExportBucket");
            assertThat(s.path("Condition").path("StringEquals").has("aws:SourceAccount"))
                    .isTrue();
        });
    }

    @Test
    void everyBucketIsPrivateOwnerEnforcedAndRefusesPlainHttp() {
        TranslatedTemplate t = TranslatedTemplate.with(EVERYTHING);

        assertThat(t.resources("AWS::S3::Bucket"))
                .hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy((id, bucket) -> {
                    blocksAllPublicAccess(id, bucket.path("Properties"));
                    assertThat(bucket.path("Properties")
                                    .path("OwnershipControls")
                                    .toString())
                            .as(id)
                            .contains("BucketOwnerEnforced");
                    boolean tlsOnly = false;
                    for (JsonNode s : bucketPolicyOf(t, id).path("Statement")) {
                        tlsOnly |= s.path("Effect").asText().equals("Deny")
                                && s.path("Principal").asText().equals("*")
                                && s.path("Condition")
                                        .path("Bool")
                                        .path("aws:SecureTransport")
                                        .asText()
                                        .equals("false")
                                && s.path("Resource").toString().contains(id + "\"")
                                && s.path("Resource").toString().contains("/*");
                    }
                    assertThat(tlsOnly)
                            .as(id + " denies requests without TLS, on the bucket and its objects")
                            .isTrue();
                });
    }

    @Test
    void everyNotificationSubscriptionHasADeadLetterQueueSnsMayWriteWithAnAlarm() {
        // GIVEN the example nurse subscription and the operations subscription
        TranslatedTemplate t = TranslatedTemplate.with(EVERYTHING);
        Map<String, JsonNode> subscriptions = t.resources("AWS::SNS::Subscription");
        assertThat(subscriptions).hasSizeGreaterThanOrEqualTo(2);

        subscriptions.forEach((id, subscription) -> {
            // THEN what SNS cannot deliver goes to a dead-letter queue
            String dlq = TranslatedTemplate.target(
                    subscription.path("Properties").path("RedrivePolicy").path("deadLetterTargetArn"));
            assertThat(dlq).as(id).isNotNull();
            assertThat(t.resource(dlq).path("Type").asText()).isEqualTo("AWS::SQS::Queue");
            String topic =
                    TranslatedTemplate.target(subscription.path("Properties").path("TopicArn"));
            // AND SNS may send to it from that topic (without a queue policy SNS cannot)
            boolean admitted = false;
            for (JsonNode policy : t.resources("AWS::SQS::QueuePolicy").values()) {
                if (!policy.path("Properties").path("Queues").toString().contains("\"" + dlq + "\"")) {
                    continue;
                }
                for (JsonNode s :
                        policy.path("Properties").path("PolicyDocument").path("Statement")) {
                    admitted |= s.path("Principal").path("Service").asText().equals("sns.amazonaws.com")
                            && s.path("Condition")
                                    .path("ArnEquals")
                                    .path("aws:SourceArn")
                                    .toString()
                                    .contains("{\"Ref\":\"" + topic + "\"}");
                }
            }
            assertThat(admitted).as(dlq + " admits SNS from " + topic).isTrue();
            // AND an alarm tells operations when something waits there
            assertThat(t.resources("AWS::CloudWatch::Alarm").values())
                    .as("alarm on " + dlq)
                    .anyMatch(a ->
                            a.path("Properties").path("Dimensions").toString().contains("\"" + dlq + "\""));
        });
    }

    // ---------------------------------------------------------------- helpers

    private static JsonNode onlyEncryptionRule(String id, JsonNode bucket) {
        JsonNode rules = bucket.path("Properties").path("BucketEncryption").path("ServerSideEncryptionConfiguration");
        assertThat(rules).as(id + " encryption rules").hasSize(1);
        return rules.get(0).path("ServerSideEncryptionByDefault");
    }

    private static void blocksAllPublicAccess(String id, JsonNode properties) {
        JsonNode block = properties.path("PublicAccessBlockConfiguration");
        for (String flag :
                List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
            assertThat(block.path(flag).asBoolean()).as(id + " " + flag).isTrue();
        }
    }

    private static JsonNode bucketPolicyOf(TranslatedTemplate t, String bucket) {
        List<JsonNode> policies = new ArrayList<>();
        t.resources("AWS::S3::BucketPolicy").values().forEach(p -> {
            if (bucket.equals(TranslatedTemplate.target(p.path("Properties").path("Bucket")))) {
                policies.add(p.path("Properties").path("PolicyDocument"));
            }
        });
        assertThat(policies).as(bucket + " bucket policy").hasSize(1);
        return policies.get(0);
    }

    private static JsonNode eventSourceOf(TranslatedTemplate t, String function) {
        List<JsonNode> found = new ArrayList<>();
        t.resources("AWS::Lambda::EventSourceMapping").values().forEach(m -> {
            if (function.equals(t.function(m.path("Properties").path("FunctionName")))) {
                found.add(m.path("Properties"));
            }
        });
        assertThat(found).as(function + " event sources").hasSize(1);
        return found.get(0);
    }

    /** A function with reserved concurrency never gets more SQS pollers' invocations than it may run. */
    private static void pollersStayWithinReservations(TranslatedTemplate t) {
        t.resources("AWS::Lambda::EventSourceMapping").forEach((id, m) -> {
            String fn = t.function(m.path("Properties").path("FunctionName"));
            JsonNode reserved = t.properties(fn).path("ReservedConcurrentExecutions");
            if (reserved.isMissingNode()) {
                return;
            }
            JsonNode max = m.path("Properties").path("ScalingConfig").path("MaximumConcurrency");
            assertThat(max.isMissingNode())
                    .as(id + ": pollers unbounded for reserved " + fn)
                    .isFalse();
            assertThat(Integer.parseInt(max.asText())).as(id).isLessThanOrEqualTo(Integer.parseInt(reserved.asText()));
        });
    }

    /** "action on target" of every KMS action a role's own inline policies allow. */
    private static List<String> kmsActions(JsonNode role) {
        List<String> out = new ArrayList<>();
        for (JsonNode policy : role.path("Properties").path("Policies")) {
            for (JsonNode s : policy.path("PolicyDocument").path("Statement")) {
                for (String action : strings(s.path("Action"))) {
                    if (action.startsWith("kms:") || action.equals("*")) {
                        String target = TranslatedTemplate.target(s.path("Resource"));
                        out.add(action + " on "
                                + (target == null ? s.path("Resource").toString() : target));
                    }
                }
            }
        }
        return out;
    }

    private static Set<String> strings(JsonNode node) {
        Set<String> out = new TreeSet<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else if (!node.isMissingNode()) {
            out.add(node.asText());
        }
        return out;
    }
}
