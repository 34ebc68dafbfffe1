package org.openepro.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openepro.core.report.Report;
import org.openepro.emulator.SampleReports;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

class ProjectionWriterTest {
    private static final String NONE = "None";
    private static final String FAILED = "ConditionalCheckFailed";
    private static final String CONFLICT = "TransactionConflict";

    /** Answers each transaction with the next scripted outcome: null commits, codes cancel. */
    static final class ScriptedDynamo implements DynamoDbClient {
        final Deque<List<String>> script = new ArrayDeque<>();
        final List<List<TransactWriteItem>> calls = new ArrayList<>();

        ScriptedDynamo then(String... reasonCodes) {
            script.add(List.of(reasonCodes));
            return this;
        }

        @Override
        public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
            calls.add(request.transactItems());
            List<String> codes = script.isEmpty() ? List.of() : script.poll();
            if (codes.isEmpty()) {
                return TransactWriteItemsResponse.builder().build();
            }
            List<CancellationReason> reasons = new ArrayList<>();
            for (int i = 0; i < request.transactItems().size(); i++) {
                reasons.add(CancellationReason.builder()
                        .code(i < codes.size() ? codes.get(i) : NONE)
                        .build());
            }
            throw TransactionCanceledException.builder()
                    .message("cancelled")
                    .cancellationReasons(reasons)
                    .build();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {}
    }

    private final ScriptedDynamo dynamo = new ScriptedDynamo();
    private final ProjectionWriter writer = new ProjectionWriter(dynamo, 3, Duration.ZERO);
    private final Report report = SampleReports.of("gad-7").build();
    private final IndexTransaction tx =
            new ProjectionItems("projections").transaction(report, List.of(), Instant.EPOCH);

    @Test
    void aNewVersionIsAppliedInOneTransactionOfMarkerCounterAndRows() {
        assertThat(writer.apply(tx)).isEqualTo(ProjectionWriter.Outcome.APPLIED);

        assertThat(dynamo.calls).containsExactly(tx.items(true));
    }

    @Test
    void aVersionAppliedBeforeWritesNothingMore() {
        // GIVEN the marker exists: DynamoDB cancels on the marker's condition
        dynamo.then(FAILED);

        // THEN success without a second attempt: no counter was added twice
        assertThat(writer.apply(tx)).isEqualTo(ProjectionWriter.Outcome.ALREADY_APPLIED);
        assertThat(dynamo.calls).hasSize(1);
    }

    @Test
    void whenANewerVersionIsProjectedOnlyTheCountersAreApplied() {
        // GIVEN the report row holds a newer version: cancelled on the row's condition only
        dynamo.then(NONE, NONE, NONE, FAILED);

        assertThat(writer.apply(tx)).isEqualTo(ProjectionWriter.Outcome.COUNTED_ONLY);

        assertThat(dynamo.calls).containsExactly(tx.items(true), tx.items(false));
    }

    @Test
    void aRetryWithoutRowsThatFindsTheMarkerIsAlreadyApplied() {
        dynamo.then(NONE, NONE, NONE, FAILED).then(FAILED);

        assertThat(writer.apply(tx)).isEqualTo(ProjectionWriter.Outcome.ALREADY_APPLIED);
    }

    @Test
    void aConflictWithAnotherRecordOfTheBatchIsRetried() {
        dynamo.then(NONE, CONFLICT);

        assertThat(writer.apply(tx)).isEqualTo(ProjectionWriter.Outcome.APPLIED);
        assertThat(dynamo.calls).hasSize(2);
    }

    @Test
    void aLastingConflictFailsTheRecordAfterTheAttemptsAllowed() {
        dynamo.then(NONE, CONFLICT).then(NONE, CONFLICT).then(NONE, CONFLICT).then();

        assertThatThrownBy(() -> writer.apply(tx)).isInstanceOf(TransactionCanceledException.class);
        assertThat(dynamo.calls).hasSize(3);
    }

    @Test
    void anyOtherCancellationFailsTheRecord() {
        dynamo.then(NONE, "ValidationError");

        assertThatThrownBy(() -> writer.apply(tx)).isInstanceOf(TransactionCanceledException.class);
        assertThat(dynamo.calls).hasSize(1);
    }
}
