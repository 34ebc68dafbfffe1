package org.openepro.bench;

import com.fasterxml.jackson.databind.ObjectWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openepro.alert.AlertMessage;
import org.openepro.alert.AlertRecord;
import org.openepro.alert.AlertRuleEngine;
import org.openepro.core.json.Json;
import org.openepro.core.message.ReportMessage;
import org.openepro.core.questionnaire.AlertRule;
import org.openepro.core.report.Report;
import org.openepro.core.report.ReportItems;
import org.openepro.emulator.SampleReports;
import org.openepro.index.IndexTransaction;
import org.openepro.index.ProjectionItems;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * CPU time per queue record of index-report and alert, without I/O: the reports table and the
 * previous report are in-memory fakes (the DynamoDB items the handlers would read). Measures
 * the rule engine, the projection items, and the whole per-record path of each function.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class RecordCpuBenchmark {
    private static final List<String> PHQ9_ITEMS =
            List.of("44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8");
    private static final ObjectWriter ALERT_WRITER = Json.writer(AlertMessage.class);

    private AlertRuleEngine engine;
    private ProjectionItems items;
    private Report report;
    private Report previous;
    private Map<String, AttributeValue> reportItem;
    private Map<String, AttributeValue> previousItem;
    private String body;
    private Instant now;

    @Setup
    public void setUp() {
        engine = new AlertRuleEngine(SampleReports.registry());
        items = new ProjectionItems("projections");
        // a PHQ-9 that raises URGENT (item 9), HIGH (total 21) and MEDIUM (worsening): the engine's worst case
        previous = SampleReports.of("phq-9")
                .subject("SUBJ-B")
                .answerAll(PHQ9_ITEMS, 1)
                .receivedAt(Instant.parse("2026-11-20T09:30:00Z"))
                .build();
        report = SampleReports.of("phq-9")
                .subject("SUBJ-B")
                .answerAll(PHQ9_ITEMS, 2)
                .answer("44250-9", 3)
                .answer("44255-8", 3)
                .answer("44259-0", 3)
                .build();
        reportItem = ReportItems.toItem(report);
        previousItem = ReportItems.toItem(previous);
        body = ReportMessage.CODEC.encode(new ReportMessage(report.reportId(), 1, report.studyId()));
        now = Instant.parse("2026-11-27T09:31:00Z");
        if (engine.triggered(report, () -> Optional.of(previous)).size() != 3) {
            throw new IllegalStateException("the benchmark report must raise three alerts");
        }
    }

    @Benchmark
    public List<AlertRule> alertRules() {
        return engine.triggered(report, () -> Optional.of(previous));
    }

    @Benchmark
    public IndexTransaction indexItems() {
        return items.transaction(report, List.of(), now);
    }

    @Benchmark
    public Report decodeReport() {
        return ReportItems.fromItem(reportItem);
    }

    @Benchmark
    public ReportMessage parseMessage() {
        return ReportMessage.CODEC.decode(body);
    }

    /** The alert function's CPU work for one record: decode message and report, evaluate, build messages. */
    @Benchmark
    public void alertRecord(Blackhole bh) throws Exception {
        ReportMessage message = ReportMessage.CODEC.decode(body);
        Report r = ReportItems.fromItem(reportItem);
        bh.consume(message);
        for (AlertRule rule : engine.triggered(r, () -> Optional.of(ReportItems.fromItem(previousItem)))) {
            bh.consume(ALERT_WRITER.writeValueAsString(AlertMessage.of(AlertRecord.raise(r, rule, now))));
        }
    }

    /** The index function's CPU work for one record: decode message and report, build the transaction. */
    @Benchmark
    public IndexTransaction indexRecord() {
        ReportMessage message = ReportMessage.CODEC.decode(body);
        Report r = ReportItems.fromItem(reportItem);
        return message.version() == 1 ? items.transaction(r, List.of(), now) : null;
    }
}
