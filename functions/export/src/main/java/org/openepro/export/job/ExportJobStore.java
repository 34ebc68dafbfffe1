package org.openepro.export.job;

import static org.openepro.core.dynamo.Item.n;
import static org.openepro.core.dynamo.Item.s;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openepro.core.audit.AuditEvent;
import org.openepro.core.audit.AuditLog;
import org.openepro.core.json.Json;
import org.openepro.core.schedule.ComplianceReader;
import org.openepro.export.format.TableLayout;
import org.openepro.export.profile.Profile;
import org.openepro.export.source.QueryPosition;
import org.openepro.export.stream.MultipartSink;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Export jobs in the exports table. Every state change is a conditional update on the lease, so
 * a duplicate or late queue message can never run a job twice at once, resume from a stale
 * checkpoint, or change a finished job.
 *
 * <p>Lease: a worker owns a job from {@link #claim} until it checkpoints, finishes, fails or
 * releases it, or until {@code leaseUntil} passes (the invocation died); only then may another
 * message claim it.
 */
public final class ExportJobStore {
    public static final String JOB_SK = "JOB";
    // the job item's attribute names
    private static final String PK = "pk";
    private static final String SK = "sk";
    private static final String EXPORT_ID = "exportId";
    private static final String STUDY_ID = "studyId";
    private static final String FORMAT = "format";
    private static final String PROFILE = "profile";
    private static final String FROM = "from";
    private static final String TO = "to";
    private static final String SITE_ID = "siteId";
    private static final String QUESTIONNAIRES = "questionnaires";
    private static final String LABELS = "labels";
    private static final String LAYOUT = "layout";
    private static final String ENTITY = "entity";
    private static final String BY = "by";
    private static final String REQUESTED_BY = "requestedBy";
    private static final String CREATED_AT = "createdAt";
    private static final String STATUS = "status";
    private static final String SEGMENT = "segment";
    private static final String ATTEMPTS = "attempts";
    private static final String ROW_COUNT = "rowCount";
    private static final String BYTES = "bytes";
    private static final String QUESTIONNAIRE_VERSIONS = "questionnaireVersions";
    private static final String REQUEST_URL = "requestUrl";
    private static final String LEASE_OWNER = "leaseOwner";
    private static final String LEASE_UNTIL = "leaseUntil";
    private static final String SHA256 = "sha256";
    private static final String COMPLETED_AT = "completedAt";
    private static final String FAILURE_REASON = "failureReason";
    private static final String CHECKPOINT = "checkpoint";
    private static final String PROVENANCE = "provenance";
    private static final String EXPIRES_AT = "expiresAt";
    // its checkpoint map's
    private static final String CP_UPLOAD_ID = "uploadId";
    private static final String CP_ETAGS = "etags";
    private static final String CP_UPLOADED_BYTES = "uploadedBytes";
    private static final String CP_SHA256_STATE = "sha256State";
    private static final String CP_TAIL_KEY = "tailKey";
    private static final String CP_TAIL_BYTES = "tailBytes";
    private static final String CP_DAY = "day";
    private static final String CP_START_KEY = "startKey";
    private static final String CP_WRITER_STATE = "writerState";
    private static final String CP_AS_OF = "asOf";
    private static final String CP_FILE_ROWS = "fileRows";
    private static final String CP_SUBJECTS_KEY = "subjectsKey";
    private static final Pattern NAME = Pattern.compile("#[A-Za-z0-9]+");

    private final DynamoDbClient dynamo;
    private final String table;

    public ExportJobStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public static String pk(String exportId) {
        return "X#" + exportId;
    }

    /** Stores a new QUEUED job and its audit event in one transaction: both or neither. */
    public void create(ExportJob job, Instant expiresAt, AuditLog audit, AuditEvent requested) {
        Map<String, AttributeValue> item = toItem(job);
        item.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(expiresAt.getEpochSecond())));
        dynamo.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder()
                        .put(Put.builder()
                                .tableName(table)
                                .item(item)
                                .conditionExpression("attribute_not_exists(pk)")
                                .build())
                        .build(),
                audit.transactionItem(requested)));
    }

    public Optional<ExportJob> get(String exportId) {
        Map<String, AttributeValue> item = dynamo.getItem(
                        b -> b.tableName(table).consistentRead(true).key(key(exportId)))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    /** Takes the lease of a job that is not finished and not held by a live invocation; empty otherwise. */
    public Optional<ExportJob> claim(String exportId, String owner, Instant now, Instant leaseUntil) {
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(update(exportId)
                            .updateExpression(
                                    "SET #status = :running, #leaseOwner = :o, #leaseUntil = :u, #segment = #segment + :one")
                            .conditionExpression("attribute_exists(#pk) AND #status IN (:queued, :running) "
                                    + "AND (attribute_not_exists(#leaseOwner) OR #leaseUntil < :now)")
                            .expressionAttributeNames(names("#pk", "#status", "#leaseOwner", "#leaseUntil", "#segment"))
                            .expressionAttributeValues(Map.of(
                                    ":running",
                                    s(ExportStatus.RUNNING.name()),
                                    ":queued",
                                    s(ExportStatus.QUEUED.name()),
                                    ":o",
                                    s(owner),
                                    ":u",
                                    n(leaseUntil.toEpochMilli()),
                                    ":now",
                                    n(now.toEpochMilli()),
                                    ":one",
                                    n(1)))
                            .returnValues(ReturnValue.ALL_NEW)
                            .build())
                    .attributes();
            return Optional.of(fromItem(item));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    /** Saves a suspension point and gives the lease up, so the continuation message can claim the job. */
    public boolean checkpoint(
            String exportId,
            String owner,
            JobCheckpoint checkpoint,
            long rowCount,
            List<String> questionnaireVersions) {
        return conditional(
                exportId,
                owner,
                "SET #checkpoint = :cp, #rowCount = :rows, #bytes = :bytes, #questionnaireVersions = :qv "
                        + "REMOVE #leaseOwner, #leaseUntil",
                Map.of(
                        ":cp",
                        AttributeValue.fromM(checkpointItem(checkpoint)),
                        ":rows",
                        n(rowCount),
                        ":bytes",
                        n(checkpoint.file().totalBytes()),
                        ":qv",
                        strings(questionnaireVersions)));
    }

    public boolean succeed(
            String exportId,
            String owner,
            long rowCount,
            long bytes,
            String sha256,
            List<String> questionnaireVersions,
            Instant completedAt,
            Provenance provenance) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":prov", s(provenance.toJson().toString()));
        values.put(":done", s(ExportStatus.SUCCEEDED.name()));
        values.put(":rows", n(rowCount));
        values.put(":bytes", n(bytes));
        values.put(":sha", s(sha256));
        values.put(":qv", strings(questionnaireVersions));
        values.put(":at", s(completedAt.toString()));
        return conditional(
                exportId,
                owner,
                "SET #status = :done, #rowCount = :rows, #bytes = :bytes, #sha256 = :sha, "
                        + "#questionnaireVersions = :qv, #completedAt = :at, #provenance = :prov "
                        + "REMOVE #leaseOwner, #leaseUntil, #checkpoint",
                values);
    }

    /** Ends the job as FAILED with a reason code users can act on; {@code owner} null for a job no one holds. */
    public boolean fail(String exportId, String owner, String reason, Instant at) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":failed", s(ExportStatus.FAILED.name()));
        values.put(":reason", s(reason));
        values.put(":at", s(at.toString()));
        String update = "SET #status = :failed, #failureReason = :reason, #completedAt = :at "
                + "REMOVE #leaseOwner, #leaseUntil, #checkpoint";
        if (owner != null) {
            return conditional(exportId, owner, update, values);
        }
        values.put(":queued", s(ExportStatus.QUEUED.name()));
        try {
            dynamo.updateItem(update(exportId)
                    .updateExpression(update)
                    .conditionExpression("#status = :queued AND attribute_not_exists(#leaseOwner)")
                    .expressionAttributeNames(names(update, "#status", "#leaseOwner"))
                    .expressionAttributeValues(values)
                    .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Gives the lease up after an error, counting the attempt; the checkpoint stays for the retry. */
    public Optional<Integer> release(String exportId, String owner) {
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(update(exportId)
                            .updateExpression("SET #attempts = #attempts + :one REMOVE #leaseOwner, #leaseUntil")
                            .conditionExpression("#leaseOwner = :o")
                            .expressionAttributeNames(names("#attempts", "#leaseOwner", "#leaseUntil"))
                            .expressionAttributeValues(Map.of(":o", s(owner), ":one", n(1)))
                            .returnValues(ReturnValue.ALL_NEW)
                            .build())
                    .attributes();
            return Optional.of(Integer.parseInt(item.get(ATTEMPTS).n()));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    private boolean conditional(
            String exportId, String owner, String updateExpression, Map<String, AttributeValue> values) {
        Map<String, AttributeValue> all = new HashMap<>(values);
        all.put(":o", s(owner));
        all.put(":running", s(ExportStatus.RUNNING.name()));
        try {
            dynamo.updateItem(update(exportId)
                    .updateExpression(updateExpression)
                    .conditionExpression("#leaseOwner = :o AND #status = :running")
                    .expressionAttributeNames(names(updateExpression, "#leaseOwner", "#status"))
                    .expressionAttributeValues(all)
                    .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Expression attribute names for every {@code #name} given or used in {@code expression}. */
    private static Map<String, String> names(String expression, String... more) {
        Map<String, String> names = new HashMap<>();
        Matcher m = NAME.matcher(expression);
        while (m.find()) {
            names.put(m.group(), m.group().substring(1));
        }
        for (String n : more) {
            names.put(n, n.substring(1));
        }
        return names;
    }

    private UpdateItemRequest.Builder update(String exportId) {
        return UpdateItemRequest.builder().tableName(table).key(key(exportId));
    }

    private static Map<String, AttributeValue> key(String exportId) {
        return Map.of(PK, s(pk(exportId)), SK, s(JOB_SK));
    }

    static Map<String, AttributeValue> toItem(ExportJob job) {
        Map<String, AttributeValue> item = new HashMap<>(key(job.exportId()));
        ExportSpec spec = job.spec();
        item.put(EXPORT_ID, s(job.exportId()));
        item.put(STUDY_ID, s(spec.studyId()));
        item.put(FORMAT, s(spec.format()));
        item.put(PROFILE, s(spec.profile().code()));
        item.put(FROM, s(spec.from().toString()));
        item.put(TO, s(spec.to().toString()));
        if (spec.siteId() != null) {
            item.put(SITE_ID, s(spec.siteId()));
        }
        item.put(QUESTIONNAIRES, strings(spec.questionnaires()));
        item.put(LABELS, AttributeValue.fromBool(spec.labels()));
        item.put(LAYOUT, s(spec.layout().code()));
        if (spec.entity() != null) {
            item.put(ENTITY, s(spec.entity()));
        }
        if (spec.by() != null) {
            item.put(BY, s(spec.by().code()));
        }
        item.put(REQUESTED_BY, s(job.requestedBy()));
        item.put(CREATED_AT, s(job.createdAt().toString()));
        item.put(STATUS, s(job.status().name()));
        item.put(SEGMENT, n(job.segment()));
        item.put(ATTEMPTS, n(job.attempts()));
        item.put(ROW_COUNT, n(job.rowCount()));
        item.put(BYTES, n(job.bytes()));
        item.put(QUESTIONNAIRE_VERSIONS, strings(job.questionnaireVersions()));
        if (job.requestUrl() != null) {
            item.put(REQUEST_URL, s(job.requestUrl()));
        }
        return item;
    }

    static ExportJob fromItem(Map<String, AttributeValue> item) {
        ExportSpec spec = new ExportSpec(
                str(item, STUDY_ID),
                str(item, FORMAT),
                Profile.fromCode(str(item, PROFILE)).orElseThrow(),
                LocalDate.parse(str(item, FROM)),
                LocalDate.parse(str(item, TO)),
                str(item, SITE_ID),
                list(item, QUESTIONNAIRES),
                item.containsKey(LABELS) && item.get(LABELS).bool(),
                TableLayout.fromCode(str(item, LAYOUT)).orElse(null),
                str(item, ENTITY),
                item.containsKey(BY)
                        ? ComplianceReader.Grouping.fromCode(str(item, BY)).orElseThrow()
                        : null);
        return new ExportJob(
                str(item, EXPORT_ID),
                spec,
                str(item, REQUESTED_BY),
                Instant.parse(str(item, CREATED_AT)),
                ExportStatus.valueOf(str(item, STATUS)),
                (int) num(item, SEGMENT),
                str(item, LEASE_OWNER),
                item.containsKey(LEASE_UNTIL) ? Instant.ofEpochMilli(num(item, LEASE_UNTIL)) : null,
                (int) num(item, ATTEMPTS),
                num(item, ROW_COUNT),
                num(item, BYTES),
                str(item, SHA256),
                list(item, QUESTIONNAIRE_VERSIONS),
                item.containsKey(COMPLETED_AT) ? Instant.parse(str(item, COMPLETED_AT)) : null,
                str(item, FAILURE_REASON),
                item.containsKey(CHECKPOINT) ? checkpoint(item.get(CHECKPOINT).m()) : null,
                str(item, REQUEST_URL),
                provenance(str(item, PROVENANCE)));
    }

    private static Provenance provenance(String json) {
        if (json == null) {
            return null;
        }
        try {
            return Provenance.fromJson(Json.mapper().readTree(json));
        } catch (IOException e) {
            throw new IllegalStateException("a stored provenance is not JSON", e);
        }
    }

    private static Map<String, AttributeValue> checkpointItem(JobCheckpoint cp) {
        MultipartSink.Checkpoint f = cp.file();
        Map<String, AttributeValue> m = new HashMap<>();
        if (f.uploadId() != null) {
            m.put(CP_UPLOAD_ID, s(f.uploadId()));
        }
        m.put(CP_ETAGS, strings(f.etags()));
        m.put(CP_UPLOADED_BYTES, n(f.uploadedBytes()));
        m.put(CP_SHA256_STATE, s(f.sha256State()));
        if (f.tailKey() != null) {
            m.put(CP_TAIL_KEY, s(f.tailKey()));
        }
        m.put(CP_TAIL_BYTES, n(f.tailBytes()));
        m.put(CP_DAY, s(cp.position().day().toString()));
        if (cp.position().startKey() != null) {
            Map<String, AttributeValue> start = new HashMap<>();
            cp.position().startKey().forEach((k, v) -> start.put(k, s(v)));
            m.put(CP_START_KEY, AttributeValue.fromM(start));
        }
        m.put(CP_WRITER_STATE, s(cp.writerState()));
        m.put(CP_AS_OF, s(cp.asOf().toString()));
        m.put(CP_FILE_ROWS, n(cp.fileRows()));
        if (cp.subjectsKey() != null) {
            m.put(CP_SUBJECTS_KEY, s(cp.subjectsKey()));
        }
        return m;
    }

    private static JobCheckpoint checkpoint(Map<String, AttributeValue> m) {
        Map<String, String> start = null;
        if (m.containsKey(CP_START_KEY)) {
            start = new HashMap<>();
            for (var e : m.get(CP_START_KEY).m().entrySet()) {
                start.put(e.getKey(), e.getValue().s());
            }
        }
        MultipartSink.Checkpoint file = new MultipartSink.Checkpoint(
                str(m, CP_UPLOAD_ID),
                list(m, CP_ETAGS),
                num(m, CP_UPLOADED_BYTES),
                str(m, CP_SHA256_STATE),
                str(m, CP_TAIL_KEY),
                num(m, CP_TAIL_BYTES));
        return new JobCheckpoint(
                file,
                new QueryPosition(LocalDate.parse(str(m, CP_DAY)), start),
                str(m, CP_WRITER_STATE),
                m.containsKey(CP_AS_OF) ? Instant.parse(str(m, CP_AS_OF)) : null,
                num(m, CP_FILE_ROWS),
                str(m, CP_SUBJECTS_KEY));
    }

    private static AttributeValue strings(List<String> values) {
        List<AttributeValue> out = new ArrayList<>(values.size());
        values.forEach(v -> out.add(s(v)));
        return AttributeValue.fromL(out);
    }

    private static String str(Map<String, AttributeValue> m, String k) {
        AttributeValue v = m.get(k);
        return v == null ? null : v.s();
    }

    private static long num(Map<String, AttributeValue> m, String k) {
        AttributeValue v = m.get(k);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }

    private static List<String> list(Map<String, AttributeValue> m, String k) {
        AttributeValue v = m.get(k);
        if (v == null || !v.hasL()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(v.l().size());
        v.l().forEach(x -> out.add(x.s()));
        return out;
    }
}
