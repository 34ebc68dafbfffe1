package org.openepro.bench.submit;

import com.fasterxml.jackson.databind.ObjectWriter;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openepro.core.http.ApiException;
import org.openepro.core.id.Participant;
import org.openepro.core.id.SiteId;
import org.openepro.core.id.StudyId;
import org.openepro.core.id.SubjectId;
import org.openepro.core.json.Json;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.questionnaire.SampleResponses;
import org.openepro.core.questionnaire.Scorer;
import org.openepro.core.report.QuestionnaireRef;
import org.openepro.core.report.Report;
import org.openepro.core.report.ReportItems;
import org.openepro.submit.Receipt;
import org.openepro.submit.RequestParser;
import org.openepro.submit.ResponseValidator;
import org.openepro.submit.ValidatedResponse;
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

/**
 * submit-report's warm CPU path for a PHQ-9 submission: parse, validate, score, build the stored
 * item, serialise the receipt (the AWS calls are not part of it). Ours reuses the container's
 * reader, writer and questionnaire registry; the naive baseline builds them per request
 * ({@code naiveMappersOnly}: only the ObjectMappers per request, the registry loaded once).
 * Run with {@code -prof gc} for bytes allocated per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SubmitCpuPathBenchmark {
    private static final Participant PATIENT =
            Participant.of(StudyId.of("STUDY-1"), SiteId.of("SITE-1"), SubjectId.of("SUBJ-1"));

    private byte[] body;
    private Instant now;
    private RequestParser parser;
    private ResponseValidator validator;
    private ObjectWriter receiptWriter;
    private QuestionnaireRegistry registry;

    @Setup
    public void setUp() {
        registry = QuestionnaireRegistry.load();
        QuestionnaireDefinition phq9 = registry.latest("phq-9").orElseThrow();
        body = SampleResponses.of(phq9, "2026-11-27T09:15:00+01:00")
                .scores(Map.of("44250-9", 1, "44255-8", 2, "44259-0", 1, "44254-1", 2, "44260-8", 1, "69722-7", 1))
                .bytes();
        now = Instant.parse("2026-11-27T09:20:00Z");
        parser = new RequestParser();
        validator = new ResponseValidator(registry);
        receiptWriter = Json.writer(Receipt.class);
    }

    @Benchmark
    public String ours() throws Exception {
        ValidatedResponse valid = validator
                .validate(parser.parse(body), PATIENT, Optional.empty(), now)
                .orElseThrow(ApiException::refusing);
        Report report = Report.builder()
                .reportId("r")
                .status(valid.status())
                .participant(PATIENT)
                .questionnaire(QuestionnaireRef.of(valid.definition()))
                .authored(valid.authored(), valid.authoredAt())
                .receivedAt(now)
                .firstReceivedAt(now)
                .answers(valid.answers())
                .scores(Scorer.score(valid.definition(), valid.answers()))
                .submittedBy("sub")
                .build();
        ReportItems.toItem(report);
        return receiptWriter.writeValueAsString(Receipt.of(report));
    }

    @Benchmark
    public String naive() throws Exception {
        return NaiveSubmitHandler.cpuPath(body, PATIENT, now);
    }

    /** The baseline as the issue defines it strictly: new mappers per request, definitions loaded once. */
    @Benchmark
    public String naiveMappersOnly() throws Exception {
        return NaiveSubmitHandler.cpuPath(body, PATIENT, now, registry);
    }
}
