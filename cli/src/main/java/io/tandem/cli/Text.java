package io.tandem.cli;

import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * How values read in tables: enums as their Cinder strings ({@code failed-over}), the primary site as
 * {@code (primary)}, times in UTC ISO-8601, durations as {@code 4.2s} or {@code 3m04s}, and {@code -} for "none".
 */
final class Text {
    /** What an empty string, an unset time or an unspecified enum shows. */
    static final String NONE = "-";
    /** What an empty active backend id shows: the backend serves its primary site. */
    static final String PRIMARY = "(primary)";

    private Text() {}

    static String orNone(String value) {
        return value == null || value.isEmpty() ? NONE : value;
    }

    /** A backend id, where empty means the primary site. */
    static String backend(String backendId) {
        return backendId == null || backendId.isEmpty() ? PRIMARY : backendId;
    }

    static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }

    static String upDown(boolean up) {
        return up ? "up" : "down";
    }

    static String enabledDisabled(boolean disabled) {
        return disabled ? "disabled" : "enabled";
    }

    /** A number where 0 means "none" (an epoch before any commit, a served epoch of a down service). */
    static String positive(long value) {
        return value > 0 ? Long.toString(value) : NONE;
    }

    /**
     * An enum value as its Cinder/REST string: the value name without the type's prefix, lower case, with dashes
     * ({@code REPLICATION_STATUS_FAILED_OVER} is {@code failed-over}). Unspecified is {@link #NONE}; a number this
     * client does not know (a newer server) shows as {@code unknown(<n>)}.
     */
    static String enumValue(EnumDescriptor type, int number) {
        if (number == 0) {
            return NONE;
        }
        EnumValueDescriptor value = type.findValueByNumber(number);
        if (value == null) {
            return "unknown(" + number + ")";
        }
        String prefix = upperSnake(type.getName()) + "_";
        String name = value.getName();
        if (name.startsWith(prefix)) {
            name = name.substring(prefix.length());
        }
        return name.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A point in time, UTC, to the second; an unset timestamp is {@link #NONE}. */
    static String time(Timestamp timestamp) {
        return instant(timestamp, ChronoUnit.SECONDS);
    }

    /** A point in time, UTC, to the millisecond (the phases of a failover). */
    static String preciseTime(Timestamp timestamp) {
        return instant(timestamp, ChronoUnit.MILLIS);
    }

    private static String instant(Timestamp timestamp, ChronoUnit unit) {
        if (timestamp == null || timestamp.equals(Timestamp.getDefaultInstance())) {
            return NONE;
        }
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos())
                .truncatedTo(unit)
                .toString();
    }

    /** The time between two timestamps, or {@link #NONE} when either is unset. */
    static String between(Timestamp from, Timestamp to) {
        if (from.equals(Timestamp.getDefaultInstance()) || to.equals(Timestamp.getDefaultInstance())) {
            return NONE;
        }
        Duration d = Duration.between(
                Instant.ofEpochSecond(from.getSeconds(), from.getNanos()),
                Instant.ofEpochSecond(to.getSeconds(), to.getNanos()));
        return duration(d);
    }

    static String duration(com.google.protobuf.Duration duration) {
        return duration(Duration.ofSeconds(duration.getSeconds(), duration.getNanos()));
    }

    /** {@code 350ms}, {@code 4.2s}, {@code 3m04s}, {@code 1h02m03s}. */
    static String duration(Duration duration) {
        if (duration.isNegative()) {
            return "-" + duration(duration.negated());
        }
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + "ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
        }
        long seconds = duration.toSeconds();
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm%02ds", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }

    /** Text for one table cell or one error line: line breaks and runs of blanks around them become one space. */
    static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** {@code ReplicationStatus} to {@code REPLICATION_STATUS}. */
    private static String upperSnake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }
}
