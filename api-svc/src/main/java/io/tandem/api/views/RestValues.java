package io.tandem.api.views;

import com.google.protobuf.Timestamp;
import io.micronaut.core.annotation.Nullable;
import io.tandem.proto.v1.ReplicationStatus;
import io.tandem.runtime.proto.StoredValues;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Values between the tandem.v1 messages and their REST spelling, shared by every view and controller (common.proto's
 * conventions on the one side, Cinder's on the other).
 */
public final class RestValues {
    /** Cinder's zone name for every service: Tandem has no availability zones. */
    public static final String ZONE = "nova";

    // oslo's PERFECT_TIME_FORMAT: UTC without an offset, always six fraction digits.
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    /**
     * Cinder's {@code cinder_host} format for a host in a request body: hostname[.domain][@backend[#pool]], plus the
     * characters drivers put in pool names.
     */
    public static final Pattern HOST = Pattern.compile("[a-zA-Z0-9-._#@:/+\\[\\]]*");

    private RestValues() {}

    /** gRPC binary to REST: clients know Cinder's process names. */
    public static String restBinary(String binary) {
        return switch (binary) {
            case "volume" -> "cinder-volume";
            case "scheduler" -> "cinder-scheduler";
            default -> binary;
        };
    }

    /** REST binary to gRPC; anything else passes as is (and then matches nothing, or is refused by the backend). */
    public static String grpcBinary(String binary) {
        return switch (binary) {
            case "cinder-volume" -> "volume";
            case "cinder-scheduler" -> "scheduler";
            default -> binary;
        };
    }

    /** A timestamp in Cinder's format; unset (never) is null. */
    @Nullable
    public static String time(Timestamp timestamp) {
        if (timestamp.equals(Timestamp.getDefaultInstance())) {
            return null;
        }
        return TIME.format(StoredValues.instant(timestamp));
    }

    /** Optional text: the empty string means none (common.proto), which REST renders as null. */
    @Nullable
    public static String text(String value) {
        return value.isEmpty() ? null : value;
    }

    /** Cinder's spelling ({@code failed-over}); unset, or a value newer than this build, is null. */
    @Nullable
    public static String replicationStatus(ReplicationStatus status) {
        return status == ReplicationStatus.UNRECOGNIZED ? null : StoredValues.storedReplicationStatus(status);
    }

    /**
     * A boolean written as text, in a query string or a body that takes strings: true/false, yes/no or 1/0, in any case
     * (docs/openapi.yaml's BooleanString); null when {@code value} is none of them, for the caller's 400.
     */
    @Nullable
    public static Boolean booleanString(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> Boolean.TRUE;
            case "false", "no", "0" -> Boolean.FALSE;
            default -> null;
        };
    }
}
