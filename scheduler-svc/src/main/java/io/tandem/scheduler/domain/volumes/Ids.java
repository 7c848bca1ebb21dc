package io.tandem.scheduler.domain.volumes;

import io.tandem.core.error.InvalidArgumentException;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/** Volume ids as requests carry them: canonical UUID text, any case. */
public final class Ids {
    // UUID.fromString accepts "1-1-1-1-1"; only the canonical 8-4-4-4-12 form names a volume.
    private static final Pattern CANONICAL =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Ids() {}

    /** Parses {@code value} of request field {@code field}; INVALID_ARGUMENT naming the field when not a UUID. */
    public static UUID parse(String field, String value) {
        if (value == null || !CANONICAL.matcher(value).matches()) {
            throw new InvalidArgumentException(field + " must be a UUID, was '" + shortened(value) + "'");
        }
        return UUID.fromString(value.toLowerCase(Locale.ROOT));
    }

    /** Client text in a message, cut so that an error never echoes a megabyte back. */
    private static String shortened(String value) {
        if (value == null) {
            return "";
        }
        return value.length() <= 40 ? value : value.substring(0, 40) + "…";
    }
}
