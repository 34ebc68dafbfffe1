package org.openepro.export.format;

import java.time.Instant;

/** ISO-8601 UTC with milliseconds (2026-03-01T08:15:00.000Z) into a char array, without a formatter or a String. */
final class IsoTime {
    static final int LENGTH = 24;

    private IsoTime() {}

    /** Writes {@code t} at {@code dst[0..]}; returns the length, or -1 for a year outside 0000-9999. */
    static int format(Instant t, char[] dst) {
        long seconds = t.getEpochSecond();
        long days = Math.floorDiv(seconds, 86_400L);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        // civil date from days since 1970-01-01 (H. Hinnant's algorithm)
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long y = yoe + era * 400;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int d = (int) (doy - (153 * mp + 2) / 5 + 1);
        int m = (int) (mp < 10 ? mp + 3 : mp - 9);
        if (m <= 2) {
            y++;
        }
        if (y < 0 || y > 9999) {
            return -1;
        }
        two(dst, 0, (int) (y / 100));
        two(dst, 2, (int) (y % 100));
        dst[4] = '-';
        two(dst, 5, m);
        dst[7] = '-';
        two(dst, 8, d);
        dst[10] = 'T';
        two(dst, 11, secondOfDay / 3600);
        dst[13] = ':';
        two(dst, 14, secondOfDay / 60 % 60);
        dst[16] = ':';
        two(dst, 17, secondOfDay % 60);
        dst[19] = '.';
        int millis = t.getNano() / 1_000_000;
        dst[20] = (char) ('0' + millis / 100);
        two(dst, 21, millis % 100);
        dst[23] = 'Z';
        return LENGTH;
    }

    private static void two(char[] dst, int at, int v) {
        dst[at] = (char) ('0' + v / 10);
        dst[at + 1] = (char) ('0' + v % 10);
    }

    /**
     * The UTC offset of an ISO-8601 date-time as written ({@code 2026-03-01T09:15:00+01:00} gives
     * {@code +01:00}; {@code Z} gives {@code +00:00}); null for null, or text that carries no offset.
     */
    static String offsetOf(String dateTime) {
        if (dateTime == null || dateTime.length() < 11 || dateTime.indexOf('T') < 0) {
            return null;
        }
        char last = dateTime.charAt(dateTime.length() - 1);
        if (last == 'Z' || last == 'z') {
            return "+00:00";
        }
        if (dateTime.length() >= 6) {
            String tail = dateTime.substring(dateTime.length() - 6);
            if ((tail.charAt(0) == '+' || tail.charAt(0) == '-')
                    && tail.charAt(3) == ':'
                    && Character.isDigit(tail.charAt(1))
                    && Character.isDigit(tail.charAt(2))
                    && Character.isDigit(tail.charAt(4))
                    && Character.isDigit(tail.charAt(5))) {
                return tail.equals("-00:00") ? "+00:00" : tail;
            }
        }
        return null;
    }
}
