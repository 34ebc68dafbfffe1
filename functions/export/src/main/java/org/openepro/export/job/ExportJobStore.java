package org.openepro.export.job;

import static org.openepro.core.dynamo.Item.n;
import static org.openepro.core.dynamo.Item.s;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openepro.core.audit.AuditEvent;
import org.openepro.core.audit.AuditLog;
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
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("#[A-Za-z0-9]+");

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
        item.put("expiresAt", AttributeValue.fromN(Long.toString(expiresAt.getEpochSecond())));
        dynamo.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                        .conditionExpression("attribute_not_exists(pk)").build()).build(),
                audit.transactionItem(requested)));
    }

    public Optional<ExportJob> get(String exportId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true).key(key(exportId)))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    /** Takes the lease of a job that is not finished and not held by a live invocation; empty otherwise. */
    public Optional<ExportJob> claim(String exportId, String owner, Instant now, Instant leaseUntil) {
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(update(exportId)
                    .updateExpression("SET #status = :running, #leaseOwner = :o, #leaseUntil = :u, #segment = #segment + :one")
                    .conditionExpression("attribute_exists(#pk) AND #status IN (:queued, :running) "
                            + "AND (attribute_not_exists(#leaseOwner) OR #leaseUntil < :now)")
                    .expressionAttributeNames(names("#pk", "#status", "#leaseOwner", "#leaseUntil", "#segment"))
                    .expressionAttributeValues(Map.of(":running", s(ExportStatus.RUNNING.name()),
                            ":queued", s(ExportStatus.QUEUED.name()), ":o", s(owner),
                            ":u", n(leaseUntil.toEpochMilli()), ":now", n(now.toEpochMilli()), ":one", n(1)))
                    .returnValues(ReturnValue.ALL_NEW).build()).attributes();
            return Optional.of(fromItem(item));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    /** Saves a suspension point and gives the lease up, so the continuation message can claim the job. */
    public boolean checkpoint(String exportId, String owner, JobCheckpoint checkpoint, long rowCount,
                              List<String> questionnaireVersions) {
        return conditional(exportId, owner,
                "SET #checkpoint = :cp, #rowCount = :rows, #bytes = :bytes, #questionnaireVersions = :qv "
                        + "REMOVE #leaseOwner, #leaseUntil",
                Map.of(":cp", AttributeValue.fromM(checkpointItem(checkpoint)), ":rows", n(rowCount),
                        ":bytes", n(checkpoint.file().totalBytes()), ":qv", strings(questionnaireVersions)));
    }

    public boolean succeed(String exportId, String owner, long rowCount, long bytes, String sha256,
                           List<String> questionnaireVersions, Instant completedAt, Provenance provenance) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":prov", s(provenance.toJson().toString()));
        values.put(":done", s(ExportStatus.SUCCEEDED.name()));
        values.put(":rows", n(rowCount));
        values.put(":bytes", n(bytes));
        values.put(":sha", s(sha256));
        values.put(":qv", strings(questionnaireVersions));
        values.put(":at", s(completedAt.toString()));
        return conditional(exportId, owner,
                "SET #status = :done, #rowCount = :rows, #bytes = :bytes, #sha256 = :sha, "
                        + "#questionnaireVersions = :qv, #completedAt = :at, #provenance = :prov "
                        + "REMOVE #leaseOwner, #leaseUntil, #checkpoint", values);
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
            dynamo.updateItem(update(exportId).updateExpression(update)
                    .conditionExpression("#status = :queued AND attribute_not_exists(#leaseOwner)")
                    .expressionAttributeNames(names(update, "#status", "#leaseOwner"))
                    .expressionAttributeValues(values).build());
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
                    .returnValues(ReturnValue.ALL_NEW).build()).attributes();
            return Optional.of(Integer.parseInt(item.get("attempts").n()));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    private boolean conditional(String exportId, String owner, String updateExpression,
                                Map<String, AttributeValue> values) {
        Map<String, AttributeValue> all = new HashMap<>(values);
        all.put(":o", s(owner));
        all.put(":running", s(ExportStatus.RUNNING.name()));
        try {
            dynamo.updateItem(update(exportId).updateExpression(updateExpression)
                    .conditionExpression("#leaseOwner = :o AND #status = :running")
                    .expressionAttributeNames(names(updateExpression, "#leaseOwner", "#status"))
                    .expressionAttributeValues(all).build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Expression attribute names for every {@code #name} given or used in {@code expression}. */
    private static Map<String, String> names(String expression, String... more) {
        Map<String, String> names = new HashMap<>();
        java.util.regex.Matcher m = NAME.matcher(expression);
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
        return Map.of("pk", s(pk(exportId)), "sk", s(JOB_SK));
    }

    static Map<String, AttributeValue> toItem(ExportJob job) {
        Map<String, AttributeValue> item = new HashMap<>(key(job.exportId()));
        ExportSpec spec = job.spec();
        item.put("exportId", s(job.exportId()));
        item.put("studyId", s(spec.studyId()));
        item.put("format", s(spec.format()));
        item.put("profile", s(spec.profile().code()));
        item.put("from", s(spec.from().toString()));
        item.put("to", s(spec.to().toString()));
        if (spec.siteId() != null) {
            item.put("siteId", s(spec.siteId()));
        }
        item.put("questionnaires", strings(spec.questionnaires()));
        item.put("labels", AttributeValue.fromBool(spec.labels()));
        item.put("layout", s(spec.layout().code()));
        if (spec.entity() != null) {
            item.put("entity", s(spec.entity()));
        }
        item.put("requestedBy", s(job.requestedBy()));
        item.put("createdAt", s(job.createdAt().toString()));
        item.put("status", s(job.status().name()));
        item.put("segment", n(job.segment()));
        item.put("attempts", n(job.attempts()));
        item.put("rowCount", n(job.rowCount()));
        item.put("bytes", n(job.bytes()));
        item.put("questionnaireVersions", strings(job.questionnaireVersions()));
        if (job.requestUrl() != null) {
            item.put("requestUrl", s(job.requestUrl()));
        }
        return item;
    }

    static ExportJob fromItem(Map<String, AttributeValue> item) {
        ExportSpec spec = new ExportSpec(str(item, "studyId"), str(item, "format"),
                Profile.fromCode(str(item, "profile")).orElseThrow(), LocalDate.parse(str(item, "from")),
                LocalDate.parse(str(item, "to")), str(item, "siteId"), list(item, "questionnaires"),
                item.containsKey("labels") && item.get("labels").bool(),
                org.openepro.export.format.TableLayout.fromCode(str(item, "layout")).orElse(null), str(item, "entity"));
        return new ExportJob(str(item, "exportId"), spec, str(item, "requestedBy"),
                Instant.parse(str(item, "createdAt")), ExportStatus.valueOf(str(item, "status")),
                (int) num(item, "segment"), str(item, "leaseOwner"),
                item.containsKey("leaseUntil") ? Instant.ofEpochMilli(num(item, "leaseUntil")) : null,
                (int) num(item, "attempts"), num(item, "rowCount"), num(item, "bytes"), str(item, "sha256"),
                list(item, "questionnaireVersions"),
                item.containsKey("completedAt") ? Instant.parse(str(item, "completedAt")) : null,
                str(item, "failureReason"),
                item.containsKey("checkpoint") ? checkpoint(item.get("checkpoint").m()) : null,
                str(item, "requestUrl"), provenance(str(item, "provenance")));
    }

    private static Provenance provenance(String json) {
        if (json == null) {
            return null;
        }
        try {
            return Provenance.fromJson(org.openepro.core.json.Json.mapper().readTree(json));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a stored provenance is not JSON", e);
        }
    }

    private static Map<String, AttributeValue> checkpointItem(JobCheckpoint cp) {
        MultipartSink.Checkpoint f = cp.file();
        Map<String, AttributeValue> m = new HashMap<>();
        if (f.uploadId() != null) {
            m.put("uploadId", s(f.uploadId()));
        }
        m.put("etags", strings(f.etags()));
        m.put("uploadedBytes", n(f.uploadedBytes()));
        m.put("sha256State", s(f.sha256State()));
        if (f.tailKey() != null) {
            m.put("tailKey", s(f.tailKey()));
        }
        m.put("tailBytes", n(f.tailBytes()));
        m.put("day", s(cp.position().day().toString()));
        if (cp.position().startKey() != null) {
            Map<String, AttributeValue> start = new HashMap<>();
            cp.position().startKey().forEach((k, v) -> start.put(k, s(v)));
            m.put("startKey", AttributeValue.fromM(start));
        }
        m.put("writerState", s(cp.writerState()));
        m.put("asOf", s(cp.asOf().toString()));
        m.put("fileRows", n(cp.fileRows()));
        if (cp.subjectsKey() != null) {
            m.put("subjectsKey", s(cp.subjectsKey()));
        }
        return m;
    }

    private static JobCheckpoint checkpoint(Map<String, AttributeValue> m) {
        Map<String, String> start = null;
        if (m.containsKey("startKey")) {
            start = new HashMap<>();
            for (var e : m.get("startKey").m().entrySet()) {
                start.put(e.getKey(), e.getValue().s());
            }
        }
        MultipartSink.Checkpoint file = new MultipartSink.Checkpoint(str(m, "uploadId"), list(m, "etags"),
                num(m, "uploadedBytes"), str(m, "sha256State"), str(m, "tailKey"), num(m, "tailBytes"));
        return new JobCheckpoint(file, new QueryPosition(LocalDate.parse(str(m, "day")), start), str(m, "writerState"),
                m.containsKey("asOf") ? Instant.parse(str(m, "asOf")) : null, num(m, "fileRows"), str(m, "subjectsKey"));
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
