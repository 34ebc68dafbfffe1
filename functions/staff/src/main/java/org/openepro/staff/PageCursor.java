package org.openepro.staff;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;
import org.openepro.core.http.ApiException;
import org.openepro.core.http.ProblemType;

/**
 * The opaque {@code next} token of a paged answer: the last sort key returned, base64url-encoded.
 * A token is accepted only when it decodes to a key of the shape that page is sorted by, so a
 * client can neither forge a start key into another partition nor send junk to DynamoDB.
 */
final class PageCursor {
    static final Pattern TIME_KEY = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z#[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    static final Pattern SUBJECT_KEY = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private PageCursor() {}

    static String encode(String sortKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sortKey.getBytes(StandardCharsets.UTF_8));
    }

    static String decode(String token, Pattern shape) {
        try {
            String key = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (shape.matcher(key).matches()) {
                return key;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw ApiException.of(ProblemType.INVALID_PARAMETERS, "next is not a token this API issued.");
    }
}
