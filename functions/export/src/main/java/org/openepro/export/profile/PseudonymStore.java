package org.openepro.export.profile;

import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The per-study pseudonym mapping, in the exports table ({@code pk = P#study}, {@code sk = S#subject}).
 * A pseudonym is random (60 bits from SecureRandom, Crockford base32), never derived from the id,
 * so it cannot be reversed or recomputed by anyone holding the id list; the mapping never leaves
 * the backend. The first export that meets a subject creates the entry with a conditional put;
 * a concurrent export that lost the race reads the winner's. Entries do not expire.
 */
public final class PseudonymStore implements PseudonymSource {
    private static final char[] BASE32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private final DynamoDbClient dynamo;
    private final String table;
    private final SecureRandom random;

    public PseudonymStore(DynamoDbClient dynamo, String table, SecureRandom random) {
        this.dynamo = dynamo;
        this.table = table;
        this.random = random;
    }

    public static String pk(String studyId) {
        return "P#" + studyId;
    }

    public static String sk(String subjectId) {
        return "S#" + subjectId;
    }

    @Override
    public Pseudonym pseudonym(String studyId, String subjectId, LocalDate anchorIfNew) {
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS(pk(studyId)),
                "sk", AttributeValue.fromS(sk(subjectId)));
        Pseudonym existing = read(key);
        if (existing != null) {
            return existing;
        }
        Pseudonym created = new Pseudonym(draw(), anchorIfNew);
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(Map.of("pk", key.get("pk"), "sk", key.get("sk"),
                            "pseudonym", AttributeValue.fromS(created.value()),
                            "anchorDay", AttributeValue.fromS(created.anchor().toString())))
                    .conditionExpression("attribute_not_exists(pk)"));
            return created;
        } catch (ConditionalCheckFailedException raced) {
            Pseudonym winner = read(key);
            if (winner == null) {
                throw new IllegalStateException("pseudonym vanished after a conditional put failed");
            }
            return winner;
        }
    }

    private Pseudonym read(Map<String, AttributeValue> key) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return null;
        }
        return new Pseudonym(item.get("pseudonym").s(), LocalDate.parse(item.get("anchorDay").s()));
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
