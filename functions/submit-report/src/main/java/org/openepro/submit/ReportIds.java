package org.openepro.submit;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/** Report ids: UUID version 7 (time-ordered, RFC 9562), unguessable in their random bits. */
final class ReportIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private ReportIds() {}

    static String next(Instant now) {
        long millis = now.toEpochMilli();
        long randA = RANDOM.nextLong();
        long randB = RANDOM.nextLong();
        long msb = (millis << 16) | 0x7000L | (randA & 0x0FFFL);
        long lsb = (randB & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
