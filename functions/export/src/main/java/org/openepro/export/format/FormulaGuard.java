package org.openepro.export.format;

/**
 * Formula-injection defence for text cells (OWASP "CSV injection"): a text that a spreadsheet
 * would evaluate, one starting with {@code = + - @}, tab or carriage return, is written with a
 * leading apostrophe (and quoted in CSV). Numbers are never touched: they are written as numbers,
 * and a text that is only a signed number (-3, +2.5) or a UTC offset (+01:00, -05:30) is left as is
 * since it cannot be a formula.
 */
final class FormulaGuard {
    private FormulaGuard() {}

    static boolean needsGuard(String text) {
        if (text.isEmpty()) {
            return false;
        }
        char c = text.charAt(0);
        if (c != '=' && c != '+' && c != '-' && c != '@' && c != '\t' && c != '\r') {
            return false;
        }
        return !plainNumber(text) && !utcOffset(text);
    }

    /** [+-]HH:MM, as the authoredOffset column holds */
    private static boolean utcOffset(String s) {
        return s.length() == 6
                && (s.charAt(0) == '+' || s.charAt(0) == '-')
                && s.charAt(3) == ':'
                && digit(s.charAt(1))
                && digit(s.charAt(2))
                && digit(s.charAt(4))
                && digit(s.charAt(5));
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    static String guarded(String text) {
        return needsGuard(text) ? "'" + text : text;
    }

    /** [+-]digits[.digits][e[+-]digits] */
    private static boolean plainNumber(String s) {
        int i = 0;
        int n = s.length();
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digits = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exp = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
                exp++;
            }
            if (exp == 0) {
                return false;
            }
        }
        return i == n;
    }
}
