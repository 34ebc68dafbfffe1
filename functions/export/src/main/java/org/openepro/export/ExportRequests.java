package org.openepro.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.openepro.core.audit.Actor;
import org.openepro.core.audit.AuditAction;
import org.openepro.core.audit.AuditEntity;
import org.openepro.core.audit.AuditEvent;
import org.openepro.core.audit.AuditLog;
import org.openepro.core.http.ApiException;
import org.openepro.core.http.Caller;
import org.openepro.core.http.HttpAdapter;
import org.openepro.core.http.Problem;
import org.openepro.core.http.ProblemType;
import org.openepro.core.json.Json;
import org.openepro.core.log.Log;
import org.openepro.core.message.ExportMessage;
import org.openepro.core.questionnaire.study.StudyCatalog;
import org.openepro.core.schedule.ComplianceReader;
import org.openepro.core.validation.Issue;
import org.openepro.core.validation.ValidationFailure;
import org.openepro.core.validation.ValidationResult;
import org.openepro.export.format.AuditCsvExporter;
import org.openepro.export.format.ComplianceCsvExporter;
import org.openepro.export.format.Exporter;
import org.openepro.export.format.ExporterRegistry;
import org.openepro.export.format.TableLayout;
import org.openepro.export.job.ExportJob;
import org.openepro.export.job.ExportJobStore;
import org.openepro.export.job.ExportSpec;
import org.openepro.export.job.ExportStatus;
import org.openepro.export.profile.Profile;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The export API's service: validates and records export requests, and reports a job's status
 * with a freshly issued, audited download link. Every check runs before anything is stored, so a
 * refused request leaves no job, no audit event and no queue message.
 */
public final class ExportRequests {
    public static final int MAX_BODY_BYTES = 4 * 1024;
    /** The signed query parameter of a download link that names the audit event of its issue. */
    public static final String LINK_PARAMETER = "openepro-link";

    private static final Log LOG = Log.get(ExportRequests.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern EXPORT_ID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Set<String> FIELDS =
            Set.of("format", "from", "to", "siteId", "questionnaires", "profile", "labels", "layout", "entity", "by");

    private final ExportApiConfig config;
    private final ExportJobStore jobs;
    private final AuditLog audit;
    private final SqsClient sqs;
    private final S3Presigner presigner;
    private final ExporterRegistry exporters;
    private final StudyCatalog questionnaires;
    private final Clock clock;

    public ExportRequests(
            ExportApiConfig config,
            ExportJobStore jobs,
            AuditLog audit,
            SqsClient sqs,
            S3Presigner presigner,
            ExporterRegistry exporters,
            StudyCatalog questionnaires,
            Clock clock) {
        this.config = config;
        this.jobs = jobs;
        this.audit = audit;
        this.sqs = sqs;
        this.presigner = presigner;
        this.exporters = exporters;
        this.questionnaires = questionnaires;
        this.clock = clock;
    }

    /**
     * POST /v1/studies/{studyId}/exports: the new job, QUEUED.
     *
     * @param requestUrl the full URL the request was made to, recorded for the manifest
     */
    public ExportJob request(Caller caller, String studyId, byte[] body, String requestUrl) {
        caller.requireScope(Caller.SCOPE_EXPORT);
        if (!caller.assignedTo(studyId)) {
            throw ApiException.of(ProblemType.FORBIDDEN, "You are not assigned to this study.");
        }
        ExportSpec spec = parse(studyId, body).orElseThrow(ApiException::refusing);
        requireAccess(caller, spec);
        Instant now = clock.instant();
        String exportId = UUID.randomUUID().toString();
        ExportJob job = ExportJob.queued(exportId, spec, caller.tokenSubject(), now, requestUrl);
        AuditEvent requested = AuditEvent.of(AuditAction.EXPORT_REQUESTED, Actor.staff(caller), now)
                .study(studyId)
                .entity(exportId)
                .detail("format", spec.format())
                .detail("profile", spec.profile().code())
                .detail("from", spec.from().toString())
                .detail("to", spec.to().toString())
                .detail("siteId", spec.siteId())
                .detail("entity", spec.entity())
                .detail("by", spec.by() == null ? null : spec.by().code())
                .detail(
                        "questionnaires",
                        spec.questionnaires().isEmpty() ? null : String.join(",", spec.questionnaires()))
                .build();
        jobs.create(job, now.plus(config.jobRetention()), audit, requested);
        try {
            sqs.sendMessage(b ->
                    b.queueUrl(config.queueUrl()).messageBody(ExportMessage.CODEC.encode(new ExportMessage(exportId))));
        } catch (RuntimeException e) {
            LOG.error("export.enqueue.failed", e, "exportId", exportId);
            jobs.fail(exportId, null, "ENQUEUE_FAILED", clock.instant());
            throw new ApiException(
                    Problem.of(ProblemType.TEMPORARILY_UNAVAILABLE, "The export could not be queued; try again."),
                    Map.of("retry-after", Integer.toString(HttpAdapter.RETRY_AFTER_SECONDS)));
        }
        LOG.info(
                "export.requested",
                "exportId",
                exportId,
                "format",
                spec.format(),
                "profile",
                spec.profile().code());
        return job;
    }

    /** GET /v1/exports/{exportId}: the job's status, and once it succeeded a link valid for at most 15 minutes. */
    public ObjectNode status(Caller caller, String exportId) {
        caller.requireScope(Caller.SCOPE_EXPORT);
        if (!EXPORT_ID.matcher(exportId).matches()) {
            throw ApiException.of(ProblemType.NOT_FOUND, "No such export.");
        }
        ExportJob job = jobs.get(exportId).orElseThrow(() -> ApiException.of(ProblemType.NOT_FOUND, "No such export."));
        if (!caller.assignedTo(job.spec().studyId())) {
            throw ApiException.of(ProblemType.FORBIDDEN, "You are not assigned to this export's study.");
        }
        requireAccess(caller, job.spec());
        ObjectNode view = view(job);
        Exporter exporter = exporters.find(job.spec().format()).orElse(null);
        Instant now = clock.instant();
        if (job.status() == ExportStatus.SUCCEEDED && exporter != null) {
            if (job.completedAt().plus(config.fileRetention()).isBefore(now)) {
                view.put("expired", true);
                return view;
            }
            ObjectNode download = link(caller, job, exporter, now);
            ObjectNode dictionary = (ObjectNode) download.remove("dictionary");
            view.set("download", download);
            if (dictionary != null) {
                view.set("dictionary", dictionary);
            }
            view.set(
                    "manifest",
                    ExportManifest.withLink(job, exporter, download.get("url").asText()));
        }
        return view;
    }

    /**
     * Who may have a file, beyond the export scope and the study: the audit trail ({@code audit-csv}) goes to the
     * staff the audit route serves ({@code GET /v1/studies/{studyId}/audit}: scope {@code epro/alerts}), since it
     * is that trail as stored; a report export with the identified profile needs {@link Profile#IDENTIFIED_ROLE}.
     */
    private void requireAccess(Caller caller, ExportSpec spec) {
        Exporter exporter = exporters.find(spec.format()).orElse(null);
        if (exporter != null && exporter.source() == Exporter.Source.AUDIT_TRAIL) {
            caller.requireScope(Caller.SCOPE_ALERTS);
            return;
        }
        if (spec.profile() == Profile.IDENTIFIED && !caller.roles().contains(Profile.IDENTIFIED_ROLE)) {
            throw ApiException.of(
                    ProblemType.FORBIDDEN, "An identified export needs the role " + Profile.IDENTIFIED_ROLE + ".");
        }
    }

    /**
     * A new presigned link, audited. Each link carries, signed, the id of the audit event that
     * recorded its issue ({@value #LINK_PARAMETER}): two GETs in the same second (the signature's
     * time resolution) still get two different links, and a download in the bucket's access log
     * names the audit event, so who was given the link it used can be told. S3 ignores the
     * parameter when serving the object; being signed, it cannot be altered or removed.
     */
    private ObjectNode link(Caller caller, ExportJob job, Exporter exporter, Instant now) {
        Exporter.Format file = exporter.format(job.spec().layout());
        String linkId = UUID.randomUUID().toString();
        ObjectNode download = presigned(
                ExportObjects.dataKey(job.exportId(), file.fileExtension()),
                ExportObjects.fileName(job.exportId(), file.fileExtension()),
                file.contentType(),
                linkId,
                now);
        if (job.provenance() != null) {
            // the data dictionary beside every file (exports written before it existed have none), in the same issue
            download.set(
                    "dictionary",
                    presigned(
                            ExportObjects.dictionaryKey(job.exportId()),
                            ExportObjects.dictionaryFileName(job.exportId()),
                            "text/csv; charset=utf-8; header=present",
                            linkId,
                            now));
        }
        // audited before the link is handed out: no audit, no link
        audit.append(AuditEvent.of(AuditAction.EXPORT_LINK_ISSUED, Actor.staff(caller), now)
                .eventId(linkId)
                .study(job.spec().studyId())
                .entity(job.exportId())
                .detail("format", job.spec().format())
                .detail("profile", job.spec().profile().code())
                .detail("expiresInSeconds", Long.toString(config.linkLifetime().toSeconds()))
                .build());
        return download;
    }

    private ObjectNode presigned(String key, String fileName, String contentType, String linkId, Instant now) {
        String url = presigner
                .presignGetObject(p -> p.signatureDuration(config.linkLifetime())
                        .getObjectRequest(g -> g.bucket(config.bucket())
                                .key(key)
                                .responseContentDisposition("attachment; filename=\"" + fileName + "\"")
                                .responseContentType(contentType)
                                .overrideConfiguration(o -> o.putRawQueryParameter(LINK_PARAMETER, linkId))))
                .url()
                .toString();
        ObjectNode link = JsonNodeFactory.instance.objectNode();
        link.put("url", url);
        link.put("fileName", fileName);
        link.put(
                "expiresAt",
                now.plus(config.linkLifetime()).truncatedTo(ChronoUnit.SECONDS).toString());
        return link;
    }

    /** The job as the API shows it. */
    public static ObjectNode view(ExportJob job) {
        return ExportManifest.facts(job);
    }

    /**
     * Reads and checks an export request's body, independent of HTTP: every issue at once; a body
     * that is no JSON object is MALFORMED, wrong or unknown fields INVALID, a well-formed request
     * that cannot be made as asked (an inverted or too long range, an unknown questionnaire)
     * UNPROCESSABLE. Who may ask is checked by {@link #request}, not here.
     */
    /** A built-in id (any: a study may have stopped using it since its reports), or one the study published. */
    private boolean knows(String studyId, String questionnaireId) {
        if (questionnaires.builtIns().latest(questionnaireId).isPresent()) {
            return true;
        }
        return questionnaires.viewAfterMiss(studyId).own().values().stream()
                .anyMatch(d -> d.id().equals(questionnaireId));
    }

    public ValidationResult<ExportSpec> parse(String studyId, byte[] body) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            return ValidationResult.failed(ValidationFailure.MALFORMED, "The body is not valid JSON.", List.of());
        } catch (IOException e) {
            return ValidationResult.failed(ValidationFailure.MALFORMED, "The body could not be read.", List.of());
        }
        if (root == null || !root.isObject()) {
            return ValidationResult.failed(ValidationFailure.MALFORMED, "The body must be a JSON object.", List.of());
        }
        List<Issue> errors = new ArrayList<>();
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                errors.add(Issue.error("/" + name, "unknown-field", "Not a field of an export request."));
            }
        }
        String format = text(root, "format", true, errors);
        if (format != null && exporters.find(format).isEmpty()) {
            errors.add(
                    Issue.error("/format", "unknown-format", "One of " + String.join(", ", exporters.names()) + "."));
        }
        String profileCode = text(root, "profile", false, errors);
        Profile profile = profileCode == null
                ? Profile.DEIDENTIFIED
                : Profile.fromCode(profileCode).orElse(null);
        if (profile == null) {
            errors.add(Issue.error("/profile", "unknown-profile", "One of identified, limited, deidentified."));
        }
        LocalDate from = date(root, "from", errors);
        LocalDate to = date(root, "to", errors);
        String siteId = text(root, "siteId", false, errors);
        if (siteId != null && !ID.matcher(siteId).matches()) {
            errors.add(Issue.error("/siteId", "invalid", "A site id: letters, digits, '.', '_' or '-'."));
        }
        List<String> ids = new ArrayList<>();
        JsonNode q = root.get("questionnaires");
        if (q != null && !q.isNull()) {
            if (!q.isArray() || q.size() > 20) {
                errors.add(Issue.error("/questionnaires", "invalid", "An array of at most 20 questionnaire ids."));
            } else {
                for (int i = 0; i < q.size(); i++) {
                    if (!q.get(i).isTextual() || !ID.matcher(q.get(i).asText()).matches()) {
                        errors.add(Issue.error("/questionnaires/" + i, "invalid", "A questionnaire id."));
                    } else {
                        ids.add(q.get(i).asText());
                    }
                }
            }
        }
        String layoutCode = text(root, "layout", false, errors);
        TableLayout layout = layoutCode == null
                ? TableLayout.WIDE
                : TableLayout.fromCode(layoutCode).orElse(null);
        if (layout == null) {
            errors.add(Issue.error("/layout", "unknown-layout", "One of wide, per-questionnaire, long."));
        }
        JsonNode labelsNode = root.get("labels");
        if (labelsNode != null && !labelsNode.isBoolean() && !labelsNode.isNull()) {
            errors.add(Issue.error("/labels", "invalid", "true or false."));
        }
        String entity = text(root, "entity", false, errors);
        if (entity != null) {
            String[] parts = entity.split(":", 2);
            if (parts.length != 2
                    || AuditEntity.named(parts[0]).isEmpty()
                    || !ID.matcher(parts[1]).matches()) {
                errors.add(Issue.error("/entity", "invalid", "type:id with type report, export, alert or subject."));
            } else {
                entity = AuditEntity.named(parts[0]).orElseThrow().name().toLowerCase(Locale.ROOT) + ":" + parts[1];
            }
        }
        String byCode = text(root, "by", false, errors);
        ComplianceReader.Grouping by = byCode == null
                ? null
                : ComplianceReader.Grouping.fromCode(byCode).orElse(null);
        if (byCode != null && by == null) {
            errors.add(Issue.error("/by", "unknown-grouping", "One of day, site, subject."));
        }
        if (!errors.isEmpty()) {
            return ValidationResult.failed(ValidationFailure.INVALID, "The export request is invalid.", errors);
        }
        // well-formed: now what it asks must make sense
        List<Issue> semantic = new ArrayList<>();
        Exporter exporter = exporters.find(format).orElseThrow();
        boolean compliance = exporter.source() == Exporter.Source.COMPLIANCE;
        // compliance is read whole before it is written: the compliance route's bound
        int maxDays = compliance ? Math.min(config.maxRangeDays(), ComplianceReader.MAX_DAYS) : config.maxRangeDays();
        if (to.isBefore(from)) {
            semantic.add(Issue.error("/to", "inverted-range", "'to' is before 'from'."));
        } else if (ChronoUnit.DAYS.between(from, to) + 1 > maxDays) {
            semantic.add(Issue.error("/to", "range-too-long", "An export covers at most " + maxDays + " days."));
        }
        for (int i = 0; i < ids.size(); i++) {
            if (!knows(studyId, ids.get(i))) {
                semantic.add(Issue.error(
                        "/questionnaires/" + i, "unknown-questionnaire", "Not a questionnaire this system knows."));
            }
        }
        boolean auditTrail = exporter.source() == Exporter.Source.AUDIT_TRAIL;
        if (auditTrail) {
            // the trail as stored, as the audit route shows it: ids are kept, so no profile but identified applies,
            // and it holds no answers, sites or questionnaires to choose by
            if (profileCode != null && profile != Profile.IDENTIFIED) {
                semantic.add(Issue.error(
                        "/profile",
                        "profile-not-supported",
                        "The format " + format + " is the audit trail as stored: profile identified, or none."));
            }
            for (String field : List.of("siteId", "questionnaires", "labels", "layout")) {
                if (root.hasNonNull(field)) {
                    semantic.add(Issue.error(
                            "/" + field,
                            "not-supported-by-format",
                            "The format " + format + " takes no " + field + "."));
                }
            }
            profile = Profile.IDENTIFIED;
        } else if (entity != null) {
            semantic.add(Issue.error(
                    "/entity",
                    "not-supported-by-format",
                    "Only the format " + AuditCsvExporter.NAME + " takes an entity."));
        }
        if (compliance) {
            // counts of the study's schedule, not reports: nothing to choose questionnaires, labels or a layout of
            for (String field : List.of("questionnaires", "labels", "layout")) {
                if (root.hasNonNull(field)) {
                    semantic.add(Issue.error(
                            "/" + field,
                            "not-supported-by-format",
                            "The format " + format + " takes no " + field + "."));
                }
            }
            by = by == null ? ComplianceReader.Grouping.DAY : by;
        } else if (by != null) {
            semantic.add(Issue.error(
                    "/by", "not-supported-by-format", "Only the format " + ComplianceCsvExporter.NAME + " takes by."));
        }
        if (!auditTrail && !compliance && !exporter.layouts().contains(layout)) {
            semantic.add(Issue.error(
                    "/layout",
                    "layout-not-supported",
                    "The format " + format
                            + " takes the layout "
                            + String.join(
                                    " or ",
                                    exporter.layouts().stream()
                                            .map(TableLayout::code)
                                            .toList()) + "."));
        }
        if (!semantic.isEmpty()) {
            return ValidationResult.failed(
                    ValidationFailure.UNPROCESSABLE, "The export cannot be made as asked.", semantic);
        }
        boolean labels = labelsNode != null && labelsNode.asBoolean(false);
        return ValidationResult.valid(new ExportSpec(
                studyId,
                format,
                profile,
                from,
                to,
                siteId,
                new ArrayList<>(new LinkedHashSet<>(ids)),
                labels,
                layout,
                entity,
                by));
    }

    private static String text(JsonNode root, String field, boolean required, List<Issue> errors) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                errors.add(Issue.error("/" + field, "required", "Required."));
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > 64) {
            errors.add(Issue.error("/" + field, "invalid", "A short string."));
            return null;
        }
        return v.asText();
    }

    private static LocalDate date(JsonNode root, String field, List<Issue> errors) {
        String value = text(root, field, true, errors);
        if (value == null) {
            return null;
        }
        try {
            if (value.length() != 10) {
                throw new DateTimeParseException("not yyyy-mm-dd", value, 0);
            }
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(Issue.error("/" + field, "invalid-date", "A UTC day, yyyy-mm-dd."));
            return null;
        }
    }
}
