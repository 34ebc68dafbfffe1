package org.openepro.schedule.scheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.openepro.core.report.Times;
import org.openepro.core.schedule.Enrollment;
import org.openepro.core.schedule.EnrollmentItems;
import org.openepro.core.schedule.Occurrence;
import org.openepro.core.schedule.OccurrenceItems;
import org.openepro.core.schedule.ScheduleKeys;
import org.openepro.schedule.plan.Replanner;
import org.openepro.schedule.protocol.Protocol;
import org.openepro.schedule.protocol.ProtocolHistory;
import org.openepro.schedule.store.ScheduleStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Brings a subject's materialised occurrences up to date with the protocol and the clock: the
 * enrollment API calls it when a subject enrolls or changes, the scheduler when a top-up falls
 * due (every {@link #TOP_UP_EVERY}, so the horizon stays between 7 and 14 days ahead) and when a
 * new protocol version must reach every enrolled subject of a study (the study's replan job,
 * resumable page by page).
 */
public final class SubjectRefresher {
    public static final Duration TOP_UP_EVERY = Duration.ofDays(7);
    private static final Duration HISTORY_TTL = Duration.ofSeconds(30);
    private static final int REPLAN_PAGE = 25;
    /** A replan job's share of one scheduler run; the rest of the run is for the slot's events. */
    static final Duration REPLAN_BUDGET = Duration.ofSeconds(60);

    private record Cached(ProtocolHistory history, Instant loadedAt) {}

    private final DynamoDbClient dynamo;
    private final ScheduleStore store;
    private final Replanner replanner = new Replanner();
    private final Clock clock;
    private final Map<String, Cached> histories = new ConcurrentHashMap<>();

    public SubjectRefresher(DynamoDbClient dynamo, ScheduleStore store, Clock clock) {
        this.dynamo = dynamo;
        this.store = store;
        this.clock = clock;
    }

    /** The study's protocol history, read at most every 30 s per container (a run reads it once). */
    public ProtocolHistory history(String studyId) {
        Instant now = clock.instant();
        Cached c = histories.get(studyId);
        if (c == null || c.loadedAt().plus(HISTORY_TTL).isBefore(now)) {
            c = new Cached(store.history(studyId), now);
            histories.put(studyId, c);
        }
        return c.history();
    }

    /** Forgets the cached history of a study (a new version was just stored by this container). */
    public void forget(String studyId) {
        histories.remove(studyId);
    }

    /**
     * Applies what the subject's state calls for (materialise, or a new version, or a zone change,
     * or cancellations when not active) and returns the changes applied.
     *
     * @param plannedVersion the protocol version the subject was last planned with (0: never)
     * @param zoneChanged    the subject's zone differs from the one their occurrences were made in
     */
    public ScheduleStore.Applied refresh(Enrollment e, int plannedVersion, boolean zoneChanged, Instant now) {
        if (!e.active()) {
            return store.apply(replanner.stop(existing(e, now), now), now);
        }
        ProtocolHistory h = history(e.subject().studyId());
        List<Occurrence> existing = existing(e, now);
        if (zoneChanged) {
            ScheduleStore.Applied moved = store.apply(replanner.changeZone(h, e, existing, now), now);
            existing = existing(e, now);
            ScheduleStore.Applied rest = store.apply(replanner.materialise(h, e, existing, now), now);
            return new ScheduleStore.Applied(
                    rest.created(), moved.replaced() + rest.replaced(), 0, moved.skipped() + rest.skipped());
        }
        int latest = h.latest().map(Protocol::version).orElse(0);
        Replanner.Changes changes = latest > plannedVersion && plannedVersion > 0
                ? replanner.applyVersion(h, e, existing, now)
                : replanner.materialise(h, e, existing, now);
        return store.apply(changes, now);
    }

    private List<Occurrence> existing(Enrollment e, Instant now) {
        LocalDate from = LocalDate.ofInstant(now, e.zone()).minusDays(3);
        return store.occurrences().forSubject(e.subject().studyId(), e.subject().subjectId(), from);
    }

    /** A top-up fell due: refresh, then move the top-up a week on (only if still the one seen). */
    public boolean topUp(Map<String, AttributeValue> item, Instant now) {
        Enrollment e = EnrollmentItems.fromItem(item);
        String seen = item.get(ScheduleKeys.DUE_AT).s();
        int latest =
                history(e.subject().studyId()).latest().map(Protocol::version).orElse(0);
        refresh(e, EnrollmentItems.plannedVersion(item), false, now);
        Instant next = now.plus(TOP_UP_EVERY);
        String pk = ScheduleKeys.enrollmentPk(e.subject().studyId()) + "#"
                + e.subject().subjectId();
        try {
            dynamo.updateItem(b -> b.tableName(store.table())
                    .key(EnrollmentItems.key(e.subject().studyId(), e.subject().subjectId()))
                    .updateExpression(
                            e.active()
                                    ? "SET dueAt = :next, dueBucket = :bucket, plannedVersion = :v"
                                    : "SET plannedVersion = :v REMOVE dueAt, dueBucket")
                    .conditionExpression("dueAt = :seen")
                    .expressionAttributeValues(
                            e.active()
                                    ? Map.of(
                                            ":next",
                                            s(Times.sortable(next)),
                                            ":bucket",
                                            s(ScheduleKeys.dueBucket(next, pk)),
                                            ":v",
                                            OccurrenceItems.n(latest),
                                            ":seen",
                                            s(seen))
                                    : Map.of(":v", OccurrenceItems.n(latest), ":seen", s(seen))));
            return true;
        } catch (ConditionalCheckFailedException ex) {
            return false;
        }
    }

    /**
     * The study's replan job: every active subject planned with an older version gets the new one,
     * page by page for up to {@link #REPLAN_BUDGET} per call; the job remembers where it stopped and
     * stays due until it has passed every subject.
     *
     * @return how many subjects were replanned
     */
    public int replanStudy(Map<String, AttributeValue> job, Instant now) {
        String studyId = job.get(OccurrenceItems.STUDY).s();
        int version = Integer.parseInt(job.get(ScheduleStore.JOB_VERSION).n());
        String seen = job.get(ScheduleKeys.DUE_AT).s();
        forget(studyId);
        AttributeValue startSk = job.get(ScheduleStore.JOB_START);
        long giveUpAt = System.nanoTime() + REPLAN_BUDGET.toNanos();
        int replanned = 0;
        boolean more = true;
        while (more && System.nanoTime() < giveUpAt) {
            var b = software.amazon.awssdk.services.dynamodb.model.QueryRequest.builder()
                    .tableName(store.table())
                    .keyConditionExpression("pk = :pk")
                    .limit(REPLAN_PAGE)
                    .expressionAttributeValues(Map.of(":pk", s(ScheduleKeys.enrollmentPk(studyId))));
            if (startSk != null) {
                b.exclusiveStartKey(
                        Map.of(ScheduleKeys.PK, s(ScheduleKeys.enrollmentPk(studyId)), ScheduleKeys.SK, startSk));
            }
            QueryResponse page = dynamo.query(b.build());
            for (Map<String, AttributeValue> item : page.items()) {
                int planned = EnrollmentItems.plannedVersion(item);
                if (planned >= version) {
                    continue;
                }
                Enrollment e = EnrollmentItems.fromItem(item);
                refresh(e, planned, false, now);
                try {
                    dynamo.updateItem(u -> u.tableName(store.table())
                            .key(EnrollmentItems.key(studyId, e.subject().subjectId()))
                            .updateExpression("SET plannedVersion = :v")
                            .conditionExpression("attribute_not_exists(plannedVersion) OR plannedVersion < :v")
                            .expressionAttributeValues(Map.of(":v", OccurrenceItems.n(version))));
                    replanned++;
                } catch (ConditionalCheckFailedException ex) {
                    // planned meanwhile by a newer refresh
                }
            }
            more = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty();
            startSk = more ? page.lastEvaluatedKey().get(ScheduleKeys.SK) : null;
        }
        var jobKey = Map.of(
                ScheduleKeys.PK, s(ScheduleKeys.protocolPk(studyId)), ScheduleKeys.SK, s(ScheduleStore.REPLAN_SK));
        AttributeValue resumeAt = startSk;
        try {
            if (more) {
                dynamo.updateItem(u -> u.tableName(store.table())
                        .key(jobKey)
                        .updateExpression("SET jobStart = :start")
                        .conditionExpression("jobVersion = :v AND dueAt = :seen")
                        .expressionAttributeValues(
                                Map.of(":start", resumeAt, ":v", OccurrenceItems.n(version), ":seen", s(seen))));
            } else {
                dynamo.updateItem(u -> u.tableName(store.table())
                        .key(jobKey)
                        .updateExpression("REMOVE dueAt, dueBucket, jobStart")
                        .conditionExpression("jobVersion = :v AND dueAt = :seen")
                        .expressionAttributeValues(Map.of(":v", OccurrenceItems.n(version), ":seen", s(seen))));
            }
        } catch (ConditionalCheckFailedException ex) {
            // a newer version restarted the job: it covers these subjects too
        }
        return replanned;
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }
}
