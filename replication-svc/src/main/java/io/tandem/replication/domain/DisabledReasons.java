package io.tandem.replication.domain;

import io.tandem.core.error.InvalidArgumentException;

/** The {@code disabled_reason} of a service or cluster, with Cinder's limit. */
public final class DisabledReasons {
    /** Cinder's column is a String(255); REST clients expect longer reasons to be refused, not cut. */
    public static final int MAX_LENGTH = 255;

    private DisabledReasons() {}

    /** The reason to store: null for none (REST renders null), the text otherwise; too long is INVALID_ARGUMENT. */
    public static String check(String reason) {
        if (reason == null || reason.isEmpty()) {
            return null;
        }
        if (reason.length() > MAX_LENGTH) {
            throw new InvalidArgumentException(
                    "disabled_reason must be at most " + MAX_LENGTH + " characters; it has " + reason.length() + ".");
        }
        return reason;
    }
}
