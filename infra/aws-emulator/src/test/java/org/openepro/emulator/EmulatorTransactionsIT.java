package org.openepro.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openepro.core.json.Json;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The project's emulator (moto_launcher.py) keeps DynamoDB's transaction semantics while costing
 * only what a transaction touches, and serves concurrent transactions without a 5xx.
 */
@ExtendWith(AwsEmulatorExtension.class)
class EmulatorTransactionsIT {
    private static DynamoDbClient dynamo;
    private static String table;
    private static URI stats;

    @BeforeAll
    static void createTable(EmulatedStack stack) {
        // no retries: a 500 must reach the test, not be hidden by the SDK's retry
        dynamo = DynamoDbClient.builder()
                .endpointOverride(stack.endpoint())
                .region(Region.of(stack.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(AwsEmulator.TEST_ACCESS_KEY, AwsEmulator.TEST_ACCESS_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        table = "txn-" + UUID.randomUUID();
        dynamo.createTable(b -> b.tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("gpk").attributeType(ScalarAttributeType.S))
                .keySchema(
                        k -> k.attributeName("pk").keyType(KeyType.HASH),
                        k -> k.attributeName("sk").keyType(KeyType.RANGE))
                .globalSecondaryIndexes(g -> g.indexName("byGroup")
                        .keySchema(k -> k.attributeName("gpk").keyType(KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.ALL))));
        stats = stack.endpoint().resolve("/_openepro/stats");
    }

    @AfterAll
    static void close() {
        dynamo.deleteTable(b -> b.tableName(table));
        dynamo.close();
    }

    @Test
    void aFailedConditionLeavesNothingOfTheTransactionWritten() {
        // GIVEN an item to update and one to delete
        String id = UUID.randomUUID().toString();
        put(item(id + "-updated", "v", "before"));
        put(item(id + "-deleted", "v", "kept"));

        // WHEN a transaction puts a new item, updates one, deletes one, and its last condition fails
        TransactionCanceledException e = catchThrowableOfType(
                TransactionCanceledException.class,
                () -> dynamo.transactWriteItems(b -> b.transactItems(
                        newPut(id + "-new"),
                        TransactWriteItem.builder()
                                .update(u -> u.tableName(table)
                                        .key(key(id + "-updated"))
                                        .updateExpression("SET v = :after, added = :after")
                                        .expressionAttributeValues(Map.of(":after", s("after"))))
                                .build(),
                        TransactWriteItem.builder()
                                .delete(d -> d.tableName(table).key(key(id + "-deleted")))
                                .build(),
                        TransactWriteItem.builder()
                                .conditionCheck(c -> c.tableName(table)
                                        .key(key(id + "-absent"))
                                        .conditionExpression("attribute_exists(pk)"))
                                .build())));

        // THEN it is cancelled and every item is as it was
        assertThat(codes(e)).containsExactly("None", "None", "None", "ConditionalCheckFailed");
        assertThat(get(id + "-new")).as("the put is taken back").isEmpty();
        assertThat(get(id + "-updated"))
                .as("the update is taken back")
                .containsEntry("v", s("before"))
                .doesNotContainKey("added");
        assertThat(get(id + "-deleted")).as("the delete is taken back").containsEntry("v", s("kept"));
        assertThat(dynamo.query(b -> b.tableName(table)
                                .indexName("byGroup")
                                .keyConditionExpression("gpk = :g")
                                .expressionAttributeValues(Map.of(":g", s(id + "-new"))))
                        .items())
                .as("nor is the new item in an index")
                .isEmpty();
    }

    @Test
    void cancellationReasonsAreInRequestOrder() {
        // GIVEN two items that exist
        String id = UUID.randomUUID().toString();
        put(item(id + "-b", "v", "1"));
        put(item(id + "-d", "v", "1"));

        // WHEN four puts that require absence run, the second and fourth on those items
        TransactionCanceledException e = catchThrowableOfType(
                TransactionCanceledException.class,
                () -> dynamo.transactWriteItems(b ->
                        b.transactItems(newPut(id + "-a"), newPut(id + "-b"), newPut(id + "-c"), newPut(id + "-d"))));

        // THEN the reasons name exactly those, in the request's order, and the other two are not written
        assertThat(codes(e)).containsExactly("None", "ConditionalCheckFailed", "None", "ConditionalCheckFailed");
        assertThat(get(id + "-a")).isEmpty();
        assertThat(get(id + "-c")).isEmpty();
    }

    @Test
    void aFailingWriteAfterEarlierWritesTakesThemBack() {
        // GIVEN an item whose attribute is a string
        String id = UUID.randomUUID().toString();
        put(item(id + "-text", "v", "not a number"));

        // WHEN a transaction puts an item, then adds a number to that string (the write itself fails)
        DynamoDbException e = catchThrowableOfType(
                DynamoDbException.class,
                () -> dynamo.transactWriteItems(b -> b.transactItems(
                        newPut(id + "-first"),
                        TransactWriteItem.builder()
                                .update(u -> u.tableName(table)
                                        .key(key(id + "-text"))
                                        .updateExpression("ADD v :one")
                                        .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))))
                                .build())));

        // THEN it is refused as a client error, and the first put is not there
        assertThat(e).isNotNull();
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(get(id + "-first")).isEmpty();
        assertThat(get(id + "-text")).containsEntry("v", s("not a number"));
    }

    @Test
    void aValidationErrorTakesBackWhatTheTransactionWrote() {
        // WHEN a transaction writes the same item twice (DynamoDB refuses that as a whole)
        String id = UUID.randomUUID().toString();
        DynamoDbException e = catchThrowableOfType(
                DynamoDbException.class,
                () -> dynamo.transactWriteItems(b -> b.transactItems(
                        newPut(id + "-x"),
                        newPut(id + "-y"),
                        TransactWriteItem.builder()
                                .delete(d -> d.tableName(table).key(key(id + "-x")))
                                .build())));

        // THEN it answers 400 and nothing of it is written
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorMessage()).contains("multiple operations on one item");
        assertThat(get(id + "-x")).isEmpty();
        assertThat(get(id + "-y")).isEmpty();
    }

    @Test
    void concurrentTransactionsOnOneTableAllSucceedOrAreCancelledAndLoseNoOtherWrite() throws Exception {
        // GIVEN one contended counter item
        String id = UUID.randomUUID().toString();
        put(Map.of("pk", s(id + "-counter"), "sk", s("S"), "gpk", s(id), "n", AttributeValue.fromN("0")));
        int threads = 16;
        int perThread = 20;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger increments = new AtomicInteger();
        AtomicInteger cancelled = new AtomicInteger();
        Map<String, Boolean> plainPuts = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);

        // WHEN 16 threads each run transactions that increment the counter if it has the value they
        // read (a new item with each), failing transactions (a condition on a missing item), plain puts
        // and GSI queries, all at once
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            running.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    String tag = id + "-" + thread + "-" + i;
                    try {
                        switch (i % 4) {
                            case 0, 1 -> {
                                String n = dynamo.getItem(b -> b.tableName(table)
                                                .key(key(id + "-counter"))
                                                .consistentRead(true))
                                        .item()
                                        .get("n")
                                        .n();
                                try {
                                    dynamo.transactWriteItems(b -> b.transactItems(
                                            TransactWriteItem.builder()
                                                    .update(u -> u.tableName(table)
                                                            .key(key(id + "-counter"))
                                                            .conditionExpression("n = :seen")
                                                            .updateExpression("SET n = n + :one")
                                                            .expressionAttributeValues(Map.of(
                                                                    ":seen",
                                                                    AttributeValue.fromN(n),
                                                                    ":one",
                                                                    AttributeValue.fromN("1"))))
                                                    .build(),
                                            newPut(tag + "-inc")));
                                    increments.incrementAndGet();
                                } catch (TransactionCanceledException lost) {
                                    cancelled.incrementAndGet();
                                }
                            }
                            case 2 -> {
                                try {
                                    dynamo.transactWriteItems(b -> b.transactItems(
                                            newPut(tag + "-never"),
                                            TransactWriteItem.builder()
                                                    .conditionCheck(c -> c.tableName(table)
                                                            .key(key(tag + "-missing"))
                                                            .conditionExpression("attribute_exists(pk)"))
                                                    .build()));
                                    unexpected.add(tag + ": a transaction with a failing condition succeeded");
                                } catch (TransactionCanceledException expected) {
                                    cancelled.incrementAndGet();
                                }
                            }
                            default -> {
                                put(item(tag + "-plain", "v", "1"));
                                plainPuts.put(tag + "-plain", true);
                                dynamo.query(b -> b.tableName(table)
                                        .indexName("byGroup")
                                        .keyConditionExpression("gpk = :g")
                                        .expressionAttributeValues(Map.of(":g", s(id))));
                            }
                        }
                    } catch (DynamoDbException e) {
                        unexpected.add(tag + ": HTTP " + e.statusCode() + " "
                                + e.awsErrorDetails().errorCode());
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();

        // THEN no request failed otherwise, the counter counts exactly the committed increments, each
        // committed transaction's item exists, no cancelled one's does, and every plain put is kept
        assertThat(unexpected).isEmpty();
        assertThat(increments.get()).isPositive();
        assertThat(get(id + "-counter").get("n").n()).isEqualTo(Integer.toString(increments.get()));
        List<String> keys = dynamo
                .scanPaginator(b -> b.tableName(table)
                        .filterExpression("begins_with(pk, :id)")
                        .expressionAttributeValues(Map.of(":id", s(id))))
                .items()
                .stream()
                .map(i -> i.get("pk").s())
                .toList();
        assertThat(keys.stream().filter(k -> k.endsWith("-inc"))).hasSize(increments.get());
        assertThat(keys.stream().filter(k -> k.endsWith("-never"))).isEmpty();
        assertThat(keys.stream().filter(k -> k.endsWith("-plain")))
                .containsExactlyInAnyOrderElementsOf(plainPuts.keySet());
        assertThat(increments.get() + cancelled.get()).isEqualTo(threads * perThread * 3 / 4);
    }

    @Test
    void aTransactionCopiesOnlyTheItemsItTouchesAndKeepsNoCopies() throws Exception {
        // GIVEN a table of 2,000 items
        String id = UUID.randomUUID().toString();
        List<WriteRequest> batch = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            String filler = id + "-filler-" + i;
            batch.add(WriteRequest.builder()
                    .putRequest(p -> p.item(item(filler, "v", "x")))
                    .build());
            if (batch.size() == 25) {
                List<WriteRequest> send = List.copyOf(batch);
                dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, send)));
                batch.clear();
            }
        }
        JsonNode before = stats();

        // WHEN 200 transactions of four puts each run, every tenth one cancelled
        for (int t = 0; t < 200; t++) {
            String tag = id + "-t" + t;
            List<TransactWriteItem> items =
                    new ArrayList<>(List.of(newPut(tag + "-1"), newPut(tag + "-2"), newPut(tag + "-3")));
            items.add(
                    t % 10 == 0
                            ? TransactWriteItem.builder()
                                    .conditionCheck(c -> c.tableName(table)
                                            .key(key(tag + "-missing"))
                                            .conditionExpression("attribute_exists(pk)"))
                                    .build()
                            : newPut(tag + "-4"));
            try {
                dynamo.transactWriteItems(b -> b.transactItems(items));
            } catch (TransactionCanceledException expected) {
                // every tenth
            }
        }
        JsonNode after = stats();

        // THEN each transaction copied only the items it wrote (3 or 4), not the table's 2,000, restored
        // only the cancelled ones', and moto's instance trackers hold no copy of anything
        assertThat(delta(before, after, "transactions")).isEqualTo(200);
        assertThat(delta(before, after, "itemsSnapshotted")).isEqualTo(180 * 4 + 20 * 3);
        assertThat(delta(before, after, "itemsRestored")).isEqualTo(20 * 3);
        assertThat(delta(before, after, "cancelled")).isEqualTo(20);
        assertThat(after.path("trackedInstances").path("dynamodb").asLong())
                .as("DynamoDB objects kept by moto's instance tracker")
                .isEqualTo(before.path("trackedInstances").path("dynamodb").asLong());
        // 200 transactions copying a 2,000-item table four times each kept 1.6 M items before the patch
        assertThat(after.path("residentBytes").asLong()
                        - before.path("residentBytes").asLong())
                .as("the emulator's resident memory growth")
                .isLessThan(64L << 20);
    }

    private static JsonNode stats() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(stats).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("GET /_openepro/stats of the project's emulator")
                .isEqualTo(200);
        return Json.mapper().readTree(response.body());
    }

    private static long delta(JsonNode before, JsonNode after, String counter) {
        return after.path("dynamodb").path(counter).asLong()
                - before.path("dynamodb").path(counter).asLong();
    }

    private static List<String> codes(TransactionCanceledException e) {
        assertThat(e).as("the transaction was cancelled").isNotNull();
        return e.cancellationReasons().stream().map(CancellationReason::code).toList();
    }

    private static TransactWriteItem newPut(String pk) {
        return TransactWriteItem.builder()
                .put(p -> p.tableName(table).item(item(pk, "gpk", pk)).conditionExpression("attribute_not_exists(pk)"))
                .build();
    }

    private static Map<String, AttributeValue> item(String pk, String attribute, String value) {
        return Map.of("pk", s(pk), "sk", s("S"), attribute, s(value));
    }

    private static Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", s(pk), "sk", s("S"));
    }

    private static void put(Map<String, AttributeValue> item) {
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    private static Map<String, AttributeValue> get(String pk) {
        return dynamo.getItem(b -> b.tableName(table).key(key(pk)).consistentRead(true))
                .item();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
