package org.openepro.submit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.openepro.core.audit.Actor;
import org.openepro.core.audit.AuditAction;
import org.openepro.core.audit.AuditEvent;
import org.openepro.core.fhir.QuestionnaireResponseBody;
import org.openepro.core.http.ApiException;
import org.openepro.core.http.Caller;
import org.openepro.core.http.Problem;
import org.openepro.core.http.Problem.FieldError;
import org.openepro.core.http.ProblemType;
import org.openepro.core.id.Participant;
import org.openepro.core.json.Json;
import org.openepro.core.log.Log;
import org.openepro.core.questionnaire.Scorer;
import org.openepro.core.report.Answer;
import org.openepro.core.report.QuestionnaireRef;
import org.openepro.core.report.Report;
import org.openepro.core.schedule.SubmissionPlacement;
import org.openepro.core.schedule.SubmissionPlacement.Placement;
import org.openepro.core.schedule.WindowVerdict;
import org.openepro.submit.SubmissionStore.Claim;
import org.openepro.submit.SubmissionStore.CommitRefused;
import org.openepro.submit.SubmissionStore.Outbox;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Takes a patient's QuestionnaireResponse from bytes to a stored, audited, enqueued report:
 * parse, validate against the versioned questionnaire, score, commit (report + audit + outbox +
 * idempotency record in one transaction), then deliver to the index and alert queues at once.
 *
 * <p>Once the commit succeeds the answer is 201 even if a queue is briefly unreachable: the
 * outbox item is the durable promise, kept by a client's retry or by the sweeper.
 */
public final class SubmissionService {
    /** How long the request (or a retry, or the sweeper) may deliver before another may take over. */
    static final Duration DELIVERY_LEASE = Duration.ofSeconds(10);

    static final Duration IDEMPOTENCY_TTL = Duration.ofDays(30);
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Log LOG = Log.get(SubmissionService.class);

    private final RequestParser parser;
    private final ResponseValidator validator;
    private final SubmissionStore store;
    private final ReportDelivery delivery;
    private final SubmissionPlacement placement;
    private final Clock clock;
    private final ObjectWriter receiptWriter = Json.writer(Receipt.class);

    public SubmissionService(
            RequestParser parser,
            ResponseValidator validator,
            SubmissionStore store,
            ReportDelivery delivery,
            SubmissionPlacement placement,
            Clock clock) {
        this.parser = parser;
        this.validator = validator;
        this.store = store;
        this.delivery = delivery;
        this.placement = placement;
        this.clock = clock;
    }

    /** The receipt (JSON) and whether it repeats an earlier submission's. */
    public record Outcome(String receiptJson, String location, boolean replayed, boolean deliveryPending) {}

    public Outcome submit(
            Caller caller, byte[] body, Optional<String> idempotencyHeader, Optional<String> amendmentReasonHeader) {
        Participant patient = caller.patient();
        QuestionnaireResponseBody response = parser.parse(body);
        // whose report it is comes first: a body naming someone else is a 403 whatever else is wrong with it
        ResponseValidator.checkSubject(response, patient);
        String key = idempotencyKey(idempotencyHeader, response);
        Instant now = clock.instant();
        ValidatedResponse valid = validator
                .validate(response, patient, amendmentReasonHeader, now)
                .orElseThrow(ApiException::refusing);

        String keyHash = sha256(key.getBytes(StandardCharsets.UTF_8));
        String idempotencyKey = SubmissionStore.idempotencyKey(patient.studyId(), patient.subjectId(), keyHash);
        String payloadHash = payloadHash(valid);

        Report drafted = report(valid, patient, caller.tokenSubject(), now);
        Placement placed = place(drafted, response);
        Report report = placed == null
                ? drafted
                : drafted.toBuilder()
                        .schedule(placed.taskId().map(Object::toString).orElse(null), placed.verdict())
                        .build();
        String receipt = receiptJson(Receipt.of(report));
        AuditEvent event = AuditEvent.of(
                        report.amendment() ? AuditAction.REPORT_AMENDED : AuditAction.REPORT_CREATED,
                        Actor.patient(caller),
                        now)
                .study(report.studyId())
                .entity(report.reportId())
                .reason(report.amendmentReason())
                .detail("version", Integer.toString(report.version()))
                .detail("questionnaire", report.questionnaireCanonical())
                .detail("siteId", report.siteId())
                .detail("subjectId", report.subjectId())
                .build();
        try {
            commit(report, placed, response, idempotencyKey, payloadHash, receipt, event, now);
        } catch (CommitRefused refused) {
            return switch (refused.refusal()) {
                case KEY_TAKEN -> replay(idempotencyKey, payloadHash, now);
                case VERSION_TAKEN ->
                    throw ApiException.of(
                            ProblemType.CONFLICT,
                            "The report was amended by another request at the same time; fetch it and retry.");
                case TASK_CHANGED, CONFLICT -> throw inProgress(1);
            };
        }
        boolean delivered = delivery.deliver(new Outbox(
                report.reportId(),
                report.version(),
                report.studyId(),
                idempotencyKey,
                EnumSet.allOf(DeliveryTarget.class)));
        if (!delivered) {
            LOG.warn("submission.delivery.deferred", "reportId", report.reportId(), "version", report.version());
        }
        return new Outcome(receipt, Receipt.of(report).location(), false, !delivered);
    }

    /**
     * Commits the report with the completion of its task; when the task changed between the read and
     * the commit (another answer, the scheduler closing it), places the report once more on what the
     * task is now, so it is stored with the verdict that holds rather than refused.
     */
    private void commit(
            Report report,
            Placement placed,
            QuestionnaireResponseBody response,
            String idempotencyKey,
            String payloadHash,
            String receipt,
            AuditEvent event,
            Instant now) {
        List<TransactWriteItem> writes = placed == null ? List.of() : placed.writes();
        try {
            store.commit(report, idempotencyKey, payloadHash, receipt, event, now, DELIVERY_LEASE, writes);
        } catch (CommitRefused refused) {
            if (refused.refusal() != SubmissionStore.Refusal.TASK_CHANGED) {
                throw refused;
            }
            Placement again = place(report, response);
            Report replaced = report.toBuilder()
                    .schedule(again.taskId().map(Object::toString).orElse(null), again.verdict())
                    .build();
            store.commit(
                    replaced,
                    idempotencyKey,
                    payloadHash,
                    receiptJson(Receipt.of(replaced)),
                    event,
                    now,
                    DELIVERY_LEASE,
                    again.writes());
        }
    }

    /**
     * The schedule's part of a report: a withdrawn subject's submission is refused (409) before anything
     * is stored; a new report gets the task it answers and its verdict; an amendment keeps its original's.
     * Null for an amendment (its verdict was set from the original).
     */
    private Placement place(Report report, QuestionnaireResponseBody response) {
        Placement p = placement.place(
                report.studyId(),
                report.subjectId(),
                report.questionnaireCanonical(),
                report.amendment() ? java.util.Optional.empty() : response.basedOnTask(),
                report.authoredAt(),
                report.receivedAt(),
                report.reportId());
        return report.amendment() ? null : p;
    }

    /**
     * The CPU half of {@link #submit} (parse, check, validate, hash, build the report, its receipt
     * and its stored item) for SnapStart priming: nothing is stored, sent or logged.
     */
    void prime(Participant patient, byte[] body) {
        Instant now = clock.instant();
        ValidatedResponse valid = validator
                .validate(parser.parse(body), patient, Optional.empty(), now)
                .orElseThrow(ApiException::refusing);
        sha256(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        payloadHash(valid);
        Report report = report(valid, patient, "PRIMING", now);
        receiptJson(Receipt.of(report));
        org.openepro.core.report.ReportItems.toItem(report);
    }

    private Outcome replay(String idempotencyKey, String payloadHash, Instant now) {
        IdempotencyRecord record = store.idempotencyRecord(idempotencyKey).orElseThrow(() -> inProgress(1));
        if (!record.payloadHash().equals(payloadHash)) {
            throw ApiException.of(
                    ProblemType.IDEMPOTENCY_CONFLICT,
                    "This idempotency key was already used for a different submission.");
        }
        String location = "/v1/reports/" + record.reportId();
        if (record.completed()) {
            return new Outcome(record.receipt(), location, true, false);
        }
        Claim claim = store.claim(record.reportId(), record.version(), now, DELIVERY_LEASE);
        return switch (claim) {
            case Claim.Claimed c -> new Outcome(record.receipt(), location, true, !delivery.deliver(c.outbox()));
            case Claim.Held held ->
                throw inProgress(Math.max(1, (held.leaseUntilMillis() - now.toEpochMilli() + 999) / 1000));
            case Claim.Gone gone -> new Outcome(record.receipt(), location, true, false);
        };
    }

    private Report report(ValidatedResponse valid, Participant patient, String submittedBy, Instant now) {
        String reportId;
        int version;
        Instant firstReceivedAt;
        String taskId = null;
        WindowVerdict verdict = null;
        if (valid.amendment()) {
            Report original = store.latest(valid.amendsReportId())
                    .filter(r -> r.studyId().equals(patient.studyId())
                            && r.subjectId().equals(patient.subjectId()))
                    .orElseThrow(() -> new ApiException(Problem.of(
                            ProblemType.VALIDATION_FAILED,
                            "The report to amend was not found.",
                            List.of(FieldError.at("/id", "unknown-report", "No report of yours has this id.")))));
            if (!original.questionnaireUrl().equals(valid.definition().url())) {
                throw new ApiException(Problem.of(
                        ProblemType.VALIDATION_FAILED,
                        "An amendment must answer the same questionnaire as the report it corrects.",
                        List.of(FieldError.at(
                                "/questionnaire",
                                "questionnaire-mismatch",
                                "The amended report answers a different questionnaire."))));
            }
            reportId = original.reportId();
            version = original.version() + 1;
            firstReceivedAt = original.firstReceivedAt();
            taskId = original.taskId();
            verdict = original.windowVerdict();
        } else {
            reportId = ReportIds.next(now);
            version = 1;
            firstReceivedAt = now;
        }
        boolean onTime = !now.isAfter(valid.authoredAt().plus(valid.definition().submissionWindow()));
        return Report.builder()
                .reportId(reportId)
                .version(version)
                .status(valid.status())
                .participant(patient)
                .questionnaire(QuestionnaireRef.of(valid.definition()))
                .authored(valid.authored(), valid.authoredAt())
                .receivedAt(now)
                .firstReceivedAt(firstReceivedAt)
                .answers(valid.answers())
                .scores(Scorer.score(valid.definition(), valid.answers()))
                .onTime(onTime)
                .amendmentReason(valid.amendmentReason())
                .submittedBy(submittedBy)
                .schedule(taskId, verdict)
                .language(valid.language())
                .disabled(valid.disabled())
                .textDiffers(valid.textDiffers())
                .build();
    }

    /** The Idempotency-Key header (a UUID), else the response's identifier.value; required. */
    static String idempotencyKey(Optional<String> header, QuestionnaireResponseBody body) {
        if (header.isPresent()) {
            String key = header.get().trim();
            if (!ResponseValidator.isUuid(key)) {
                throw new ApiException(Problem.of(
                        ProblemType.MISSING_IDEMPOTENCY_KEY,
                        "The Idempotency-Key header must be a UUID.",
                        List.of(FieldError.at("header:Idempotency-Key", "invalid", "Not a UUID."))));
            }
            return "h:" + key.toLowerCase(java.util.Locale.ROOT);
        }
        if (body.identifier() != null && body.identifier().value() != null) {
            String value = body.identifier().value();
            if (!IDENTIFIER.matcher(value).matches()) {
                throw new ApiException(Problem.of(
                        ProblemType.MISSING_IDEMPOTENCY_KEY,
                        "identifier.value must be 1-128 letters, digits or . _ : -",
                        List.of(FieldError.at("/identifier/value", "invalid", "Not a usable idempotency key."))));
            }
            return "i:" + value;
        }
        throw new ApiException(Problem.of(
                ProblemType.MISSING_IDEMPOTENCY_KEY,
                "Send an Idempotency-Key header (a UUID) or QuestionnaireResponse.identifier.value, so that a retry "
                        + "cannot store the report twice.",
                List.of(FieldError.at("header:Idempotency-Key", "required", "Missing."))));
    }

    private static ApiException inProgress(long retryAfterSeconds) {
        return new ApiException(
                Problem.of(
                        ProblemType.REQUEST_IN_PROGRESS,
                        "A submission with this idempotency key is being processed; retry shortly."),
                Map.of("retry-after", Long.toString(retryAfterSeconds)));
    }

    private String receiptJson(Receipt receipt) {
        try {
            return receiptWriter.writeValueAsString(receipt);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a receipt", e);
        }
    }

    /**
     * What "the same content" means for a repeat with the same key: the validated submission
     * (questionnaire and version, status, authored as sent, what it amends and why, its language, and each
     * answer as the definition reads it), not the request's bytes, so a retry the app serialised
     * again (other key order, spacing, display texts) is still the same submission.
     */
    private String payloadHash(ValidatedResponse valid) {
        MessageDigest digest = sha256();
        for (String part : new String[] {
            valid.definition().canonical(),
            valid.status(),
            valid.authored(),
            valid.amendsReportId(),
            valid.amendmentReason(),
            valid.language()
        }) {
            field(digest, part);
        }
        for (Answer a : valid.answers()) {
            for (String part : new String[] {
                a.linkId(),
                a.system(),
                a.code(),
                a.number() == null ? null : a.number().stripTrailingZeros().toPlainString(),
                a.text(),
                a.bool() == null ? null : a.bool().toString()
            }) {
                field(digest, part);
            }
            digest.update((byte) 1);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** One field, unambiguously: absent and empty differ, and no field runs into the next. */
    private static void field(MessageDigest digest, String part) {
        if (part == null) {
            digest.update((byte) 2);
            return;
        }
        digest.update(part.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
