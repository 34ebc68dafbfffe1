package org.openepro.export.profile;

import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import org.openepro.core.dynamo.Item;
import org.openepro.core.dynamo.Writes;
import org.openepro.core.log.Log;
import org.openepro.export.source.FirstReportDay;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The per-study pseudonym mapping, in the exports table ({@code pk = P#study}, {@code sk = S#subject}).
 * A pseudonym is random (60 bits from SecureRandom, Crockford base32), never derived from the id,
 * so it cannot be reversed or recomputed by anyone holding the id list; the mapping never leaves
 * the backend. The first export that meets a subject creates the entry with a conditional put;
 * a concurrent export that lost the race reads the winner's. Entries do not expire.
 *
 * <p>The anchor (study day 1) is the day of the subject's first report in the study, read from the
 * subject's timeline when the entry is created, not the first report that export happened to
 * read: otherwise an export of a later range, run first, would fix day 1 there and every later
 * export would count the subject's earlier reports as negative days. Only if the timeline has no
 * entry yet (it is written with the report row, so this is not expected) is the report at hand
 * the anchor, and the earlier of the two days is always taken.
 */
public final class PseudonymStore implements PseudonymSource {
    private static final char[] BASE32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private static final Log LOG = Log.get(PseudonymStore.class);
    private static final String PSEUDONYM = "pseudonym";
    private static final String ANCHOR_DAY = "anchorDay";

    private final DynamoDbClient dynamo;
    private final String table;
    private final FirstReportDay firstReports;
    private final SecureRandom random;

    /** @param table the exports table, which holds the mapping */
    public PseudonymStore(DynamoDbClient dynamo, String table, FirstReportDay firstReports, SecureRandom random) {
        this.dynamo = dynamo;
        this.table = table;
        this.firstReports = firstReports;
        this.random = random;
    }

    public static String pk(String studyId) {
        return "P#" + studyId;
    }

    public static String sk(String subjectId) {
        return "S#" + subjectId;
    }

    @Override
    public Pseudonym pseudonym(String studyId, String subjectId, LocalDate seenOn) {
        Map<String, AttributeValue> key = Map.of("pk", Item.s(pk(studyId)), "sk", Item.s(sk(subjectId)));
        Pseudonym existing = read(key);
        if (existing != null) {
            return existing;
        }
        Pseudonym created = new Pseudonym(draw(), anchor(studyId, subjectId, seenOn));
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(Map.of(
                            "pk",
                            key.get("pk"),
                            "sk",
                            key.get("sk"),
                            PSEUDONYM,
                            Item.s(created.value()),
                            ANCHOR_DAY,
                            Item.s(created.anchor().toString())))
                    .conditionExpression(Writes.NEW_ITEM)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return created;
        } catch (ConditionalCheckFailedException raced) {
            // another export drew first: its pseudonym comes back with the refusal, no second read
            Pseudonym winner = pseudonym(Item.of(raced.hasItem() ? raced.item() : null));
            if (winner == null) {
                throw new IllegalStateException("pseudonym vanished after a conditional put failed");
            }
            return winner;
        }
    }

    private LocalDate anchor(String studyId, String subjectId, LocalDate seenOn) {
        Optional<LocalDate> first = firstReports.of(studyId, subjectId);
        if (first.isEmpty()) {
            LOG.warn("export.anchor.timeline.missing");
            return seenOn;
        }
        return first.get().isAfter(seenOn) ? seenOn : first.get();
    }

    private Pseudonym read(Map<String, AttributeValue> key) {
        return pseudonym(Item.of(dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true))
                .item()));
    }

    private static Pseudonym pseudonym(Item item) {
        return item.isEmpty() ? null : new Pseudonym(item.string(PSEUDONYM), LocalDate.parse(item.string(ANCHOR_DAY)));
    }

    private String draw() {
        long bits = random.nextLong();
        char[] out = new char[13];
        out[0] = 'P';
        for (int i = 1; i < out.length; i++) {
            out[i] = BASE32[(int) (bits & 31)];
            bits >>>= 5;
        }
        return new String(out);
    }
}
