package io.tandem.replication.domain.failover;

import io.tandem.core.error.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * ListFailovers page tokens: the id the next page continues below, opaque to clients. A token this service did not
 * issue (not base64url, wrong prefix, not a positive id) is INVALID_ARGUMENT.
 */
final class PageTokens {
    private static final String PREFIX = "failovers-before:";

    private PageTokens() {}

    static String encode(long beforeId) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((PREFIX + beforeId).getBytes(StandardCharsets.UTF_8));
    }

    /** The id of {@code token}, or null for the empty token (the first page). */
    static Long decode(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (text.startsWith(PREFIX)) {
                long id = Long.parseLong(text.substring(PREFIX.length()));
                if (id > 0) {
                    return id;
                }
            }
        } catch (IllegalArgumentException e) {
            // Not base64url, or not a number: not ours. NumberFormatException is an IllegalArgumentException.
        }
        throw new InvalidArgumentException("page_token was not issued by this service.");
    }
}
