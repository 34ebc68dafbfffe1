package org.openepro.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The wiring rules every change to template.yaml must keep. */
class TemplateTest {

    @Test
    void everyFunctionsHandlerClassExistsInExactlyOneFunctionModule() throws IOException {
        for (var fn : Template.resources("AWS::Serverless::Function")) {
            String handler = fn.getValue().path("Properties").path("Handler").asText();
            assertThat(handler).as(fn.getKey()).endsWith("::handleRequest");
            String path = "src/main/java/"
                    + handler.substring(0, handler.indexOf("::")).replace('.', '/') + ".java";
            List<Path> found = new ArrayList<>();
            try (Stream<Path> modules = Files.list(ProjectPaths.root().resolve("functions"))) {
                modules.map(m -> m.resolve(path)).filter(Files::isRegularFile).forEach(found::add);
            }
            assertThat(found).as(fn.getKey() + " handler " + handler).hasSize(1);
            assertThat(Files.readString(found.get(0))).as(handler).contains("implements RequestHandler<");
            assertThat(fn.getValue().path("Metadata").path("BuildMethod").asText())
                    .as(fn.getKey())
                    .isEqualTo("makefile");
        }
    }

    @Test
    void everySqsEventSourceReportsBatchItemFailuresAndQueuesOutlastTheirConsumerSixTimes() {
        int sources = 0;
        for (var fn : Template.resources("AWS::Serverless::Function")) {
            int timeout = Template.functionProperty(fn.getValue(), "Timeout").asInt();
            for (JsonNode event : fn.getValue().path("Properties").path("Events")) {
                if (!"SQS".equals(event.path("Type").asText())) {
                    continue;
                }
                sources++;
                assertThat(event.path("Properties")
                                .path("FunctionResponseTypes")
                                .toString())
                        .as(fn.getKey())
                        .contains("ReportBatchItemFailures");
                String queue = Template.target(event.path("Properties").path("Queue"));
                int visibility = Template.resource(queue)
                        .path("Properties")
                        .path("VisibilityTimeout")
                        .asInt();
                // AWS's guidance: six times the function's timeout plus the event source's batching window
                int window = event.path("Properties")
                        .path("MaximumBatchingWindowInSeconds")
                        .asInt(0);
                assertThat(visibility)
                        .as(queue + " visibility vs " + fn.getKey() + " timeout " + timeout)
                        .isGreaterThanOrEqualTo(6 * timeout + window);
            }
        }
        assertThat(sources).isEqualTo(3);
    }

    @Test
    void everyWorkQueueHasADeadLetterQueueKeptFourteenDaysWithAnAlarm() {
        List<String> alarmedQueues = new ArrayList<>();
        for (var alarm : Template.resources("AWS::CloudWatch::Alarm")) {
            for (JsonNode d : alarm.getValue().path("Properties").path("Dimensions")) {
                if ("QueueName".equals(d.path("Name").asText())) {
                    alarmedQueues.add(Template.target(d.path("Value")));
                    assertThat(alarm.getValue().path("Properties").path("AlarmActions"))
                            .as(alarm.getKey())
                            .isNotEmpty();
                }
            }
        }
        int workQueues = 0;
        for (var q : Template.resources("AWS::SQS::Queue")) {
            JsonNode redrive = q.getValue().path("Properties").path("RedrivePolicy");
            if (redrive.isMissingNode()) {
                continue;
            }
            workQueues++;
            assertThat(redrive.path("maxReceiveCount").asInt()).as(q.getKey()).isGreaterThanOrEqualTo(5);
            String dlq = Template.target(redrive.path("deadLetterTargetArn"));
            assertThat(Template.resource(dlq)
                            .path("Properties")
                            .path("MessageRetentionPeriod")
                            .asInt())
                    .as(dlq)
                    .isEqualTo(1_209_600);
            assertThat(alarmedQueues).as("alarm on " + dlq).contains(dlq);
            // how every queue is encrypted, with and without DataKeyArn: SecurityTemplateTest
        }
        assertThat(workQueues).isEqualTo(3);
    }

    /** The only routes without the JWT authorizer: the console's sign-in settings. */
    private static final java.util.Set<String> PUBLIC_ROUTES = java.util.Set.of("GET /v1/console/config");

    @Test
    void everyRouteHasTheJwtAuthorizerAndAScope() {
        JsonNode auth = Template.resource("HttpApi").path("Properties").path("Auth");
        assertThat(auth.path("DefaultAuthorizer").asText()).isEqualTo("JwtAuthorizer");
        assertThat(auth.path("Authorizers")
                        .path("JwtAuthorizer")
                        .path("JwtConfiguration")
                        .has("issuer"))
                .isTrue();
        int routes = 0;
        for (var fn : Template.resources("AWS::Serverless::Function")) {
            for (JsonNode event : fn.getValue().path("Properties").path("Events")) {
                if (!"HttpApi".equals(event.path("Type").asText())) {
                    continue;
                }
                routes++;
                JsonNode routeAuth = event.path("Properties").path("Auth");
                String route = event.path("Properties").path("Method").asText() + " "
                        + event.path("Properties").path("Path").asText();
                if (PUBLIC_ROUTES.contains(route)) {
                    // read before anyone is signed in, and it says nothing a token would protect
                    assertThat(routeAuth.path("Authorizer").asText()).as(route).isEqualTo("NONE");
                    assertThat(routeAuth.has("AuthorizationScopes")).as(route).isFalse();
                    continue;
                }
                assertThat(routeAuth.path("Authorizer").asText("JwtAuthorizer"))
                        .as(fn.getKey())
                        .isEqualTo("JwtAuthorizer");
                assertThat(routeAuth.path("AuthorizationScopes"))
                        .as(fn.getKey() + " scopes")
                        .isNotEmpty();
                routeAuth
                        .path("AuthorizationScopes")
                        .forEach(s -> assertThat(s.asText()).startsWith("epro/"));
            }
        }
        assertThat(routes).isGreaterThanOrEqualTo(8);
    }

    @Test
    void everyFunctionLogsToItsOwnLogGroupWithRetention() {
        for (var fn : Template.resources("AWS::Serverless::Function")) {
            JsonNode logging = fn.getValue().path("Properties").path("LoggingConfig");
            // SAM merges the function's LoggingConfig map into the Globals' one
            assertThat(logging.path("LogFormat")
                            .asText(Template.root()
                                    .path("Globals")
                                    .path("Function")
                                    .path("LoggingConfig")
                                    .path("LogFormat")
                                    .asText()))
                    .as(fn.getKey())
                    .isEqualTo("JSON");
            String group = Template.target(logging.path("LogGroup"));
            JsonNode logGroup = Template.resource(group);
            assertThat(logGroup.path("Type").asText())
                    .as(fn.getKey() + " log group")
                    .isEqualTo("AWS::Logs::LogGroup");
            assertThat(logGroup.path("Properties").has("RetentionInDays"))
                    .as(group)
                    .isTrue();
        }
    }

    @Test
    void functionsRunJava25OnArm64WithSnapStartTracingAndJsonLogs() {
        JsonNode globals = Template.root().path("Globals").path("Function");
        assertThat(globals.path("Runtime").asText()).isEqualTo("java25");
        assertThat(globals.path("Architectures").toString()).contains("arm64");
        assertThat(globals.path("Tracing").asText()).isEqualTo("Active");
        assertThat(globals.path("SnapStart").path("ApplyOn").asText()).isEqualTo("PublishedVersions");
        assertThat(globals.path("AutoPublishAlias").asText()).isNotBlank();
        assertThat(globals.path("LoggingConfig").path("LogFormat").asText()).isEqualTo("JSON");
    }

    @Test
    void statefulResourcesAreEncryptedRecoverableAndNeverNamedByHand() {
        for (var table : Template.resources("AWS::DynamoDB::Table")) {
            JsonNode p = table.getValue().path("Properties");
            assertThat(p.path("BillingMode").asText()).as(table.getKey()).isEqualTo("PAY_PER_REQUEST");
            assertThat(p.path("PointInTimeRecoverySpecification")
                            .path("PointInTimeRecoveryEnabled")
                            .asBoolean())
                    .isTrue();
            assertThat(p.path("SSESpecification").path("SSEEnabled").asBoolean())
                    .as(table.getKey())
                    .isTrue();
            assertThat(p.has("TableName")).as(table.getKey() + " physical name").isFalse();
        }
        for (String type : List.of(
                "AWS::SQS::Queue",
                "AWS::SNS::Topic",
                "AWS::S3::Bucket",
                "AWS::Serverless::Function",
                "AWS::Logs::LogGroup")) {
            for (var r : Template.resources(type)) {
                JsonNode p = r.getValue().path("Properties");
                for (String name : List.of("QueueName", "TopicName", "BucketName", "FunctionName", "LogGroupName")) {
                    assertThat(p.has(name)).as(r.getKey() + "." + name).isFalse();
                }
            }
        }
        for (var topic : Template.resources("AWS::SNS::Topic")) {
            assertThat(topic.getValue().path("Properties").has("KmsMasterKeyId"))
                    .as(topic.getKey())
                    .isTrue();
        }
    }

    @Test
    void theExportBucketIsPrivateEncryptedTlsOnlyAndForgetsExportsAfterADay() {
        JsonNode bucket = Template.resource("ExportBucket").path("Properties");
        JsonNode block = bucket.path("PublicAccessBlockConfiguration");
        for (String flag :
                List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
            assertThat(block.path(flag).asBoolean()).as(flag).isTrue();
        }
        assertThat(bucket.path("BucketEncryption").toString()).contains("SSEAlgorithm");
        JsonNode rule = bucket.path("LifecycleConfiguration").path("Rules").get(0);
        assertThat(rule.path("Prefix").asText()).isEqualTo("exports/");
        assertThat(rule.path("ExpirationInDays").asInt()).isEqualTo(1);
        JsonNode statement = Template.resource("ExportBucketPolicy")
                .path("Properties")
                .path("PolicyDocument")
                .path("Statement")
                .get(0);
        assertThat(statement.path("Effect").asText()).isEqualTo("Deny");
        assertThat(statement
                        .path("Condition")
                        .path("Bool")
                        .path("aws:SecureTransport")
                        .asText())
                .isEqualTo("false");
    }

    @Test
    void theExportWorkerMayQueryTheProjectionsButNeverScanThem() {
        List<String> onProjections = new ArrayList<>();
        for (JsonNode policy :
                Template.resource("ExportWorkerFunction").path("Properties").path("Policies")) {
            // SAM's DynamoDB policy templates (DynamoDBReadPolicy, DynamoDBCrudPolicy) all include Scan
            policy.fieldNames()
                    .forEachRemaining(
                            name -> assertThat(name).as("policy template").doesNotStartWith("DynamoDB"));
            for (JsonNode statement : policy.path("Statement")) {
                assertThat(statement.path("Action").toString()).doesNotContain("dynamodb:Scan", "dynamodb:*");
                if (statement.path("Resource").toString().contains("ProjectionsTable")) {
                    statement.path("Action").forEach(a -> onProjections.add(a.asText()));
                    assertThat(statement.path("Resource").toString()).contains("ProjectionsTable.Arn}/index/*");
                }
            }
        }
        assertThat(onProjections).containsExactly("dynamodb:Query");
    }

    @Test
    void usersCannotWriteTheAttributesThatDecideTheirAccess() {
        var clients = Template.resources("AWS::Cognito::UserPoolClient");
        assertThat(clients).hasSize(2);
        for (var client : clients) {
            JsonNode write = client.getValue().path("Properties").path("WriteAttributes");
            assertThat(write.isArray() && !write.isEmpty())
                    .as(client.getKey() + " WriteAttributes")
                    .isTrue();
            write.forEach(a -> assertThat(a.asText()).as(client.getKey()).doesNotStartWith("custom:"));
        }
        // the hosted-UI domain is unique per stack, not per stage and account
        assertThat(Template.resource("UserPoolDomain")
                        .path("Properties")
                        .path("Domain")
                        .toString())
                .contains("AWS::StackId")
                .doesNotContain("Stage");
        // an external issuer needs its audience: the deployment stops with a message instead of failing late
        assertThat(Template.root().path("Rules").toString()).contains("JwtAudience");
    }

    @Test
    void theExampleNurseSubscriptionRoutesBySiteAndSeverity() {
        JsonNode p = Template.resource("NurseAlertsEmailSubscription").path("Properties");
        assertThat(Template.target(p.path("TopicArn"))).isEqualTo("NurseAlertsTopic");
        assertThat(p.path("FilterPolicyScope").asText()).isEqualTo("MessageAttributes");
        JsonNode filter = p.path("FilterPolicy");
        assertThat(filter.properties()).extracting(Map.Entry::getKey).containsExactlyInAnyOrder("siteId", "severity");
        // !Ref AlertSiteId reads as the parameter's name
        assertThat(filter.path("siteId").toString()).isEqualTo("[\"AlertSiteId\"]");
        assertThat(filter.path("severity").toString()).isEqualTo("[\"URGENT\",\"HIGH\"]");
        assertThat(Template.root().path("Parameters").has("AlertSiteId")).isTrue();
        // an e-mail without a site would silently receive nothing: the stack refuses it instead
        JsonNode rule = Template.root().path("Rules").path("AlertEmailNamesItsSite");
        assertThat(rule.path("RuleCondition").toString()).contains("AlertEmail");
        assertThat(rule.path("Assertions").toString()).contains("AlertSiteId");
    }

    @Test
    void outputsNameWhatOperatorsAndClientsNeed() {
        JsonNode outputs = Template.root().path("Outputs");
        for (String name : List.of(
                "ApiUrl",
                "IndexQueueUrl",
                "AlertQueueUrl",
                "ExportQueueUrl",
                "NurseAlertsTopicArn",
                "ExportBucketName",
                "ReportsTableName",
                "AuditTableName",
                "ProjectionsTableName",
                "AlertsTableName",
                "ExportsTableName")) {
            assertThat(outputs.has(name)).as(name).isTrue();
        }
    }

    @Test
    void theOpenApiDocumentDescribesExactlyTheTemplatesRoutes() throws IOException {
        JsonNode openapi = new com.fasterxml.jackson.databind.ObjectMapper(
                        new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(ProjectPaths.root().resolve("infra/openapi.yaml").toFile());
        assertThat(openapi.path("openapi").asText()).startsWith("3.1");
        Map<String, java.util.Set<String>> documented = new java.util.TreeMap<>();
        for (Map.Entry<String, JsonNode> path : openapi.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                if (List.of("get", "post", "put", "patch", "delete").contains(op.getKey())) {
                    // OpenAPI: the security list is OR'ed, the scopes inside one requirement AND'ed;
                    // API Gateway accepts any one of a route's scopes, so each requirement holds one scope
                    java.util.Set<String> scopes = new java.util.TreeSet<>();
                    for (JsonNode requirement : op.getValue().path("security")) {
                        JsonNode jwt = requirement.path("jwt");
                        assertThat(jwt.size())
                                .as(path.getKey() + ": one scope per security requirement")
                                .isEqualTo(1);
                        scopes.add(jwt.get(0).asText());
                    }
                    documented.put(op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey(), scopes);
                }
            }
        }
        assertThat(documented).isEqualTo(Template.routeScopes());
    }
}
