package io.tandem.api.workers;

import io.tandem.api.errors.ApiException;
import io.tandem.api.http.JsonBody;
import io.tandem.api.views.RestValues;
import io.tandem.proto.v1.WorkCleanupRequest;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /workers/cleanup}, checked as Cinder's schema (cinder/api/schemas/workers.py) and
 * WorkerController do, and turned into replication-svc's filters. Every key is optional; null is the same as absent.
 */
final class WorkerRequests {
    static final String[] KEYS = {
        "cluster_name", "host", "service_id", "binary", "is_up", "disabled", "resource_id", "resource_type"
    };
    private static final int MAX_LENGTH = 255;
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,11}");
    private static final Pattern UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private WorkerRequests() {}

    static WorkCleanupRequest parse(JsonBody body) {
        WorkCleanupRequest.Builder cleanup = WorkCleanupRequest.newBuilder();
        text(body, "cluster_name").ifPresent(cleanup::setClusterName);
        text(body, "host").ifPresent(cleanup::setHost);
        serviceId(body).ifPresent(cleanup::setServiceId);
        binary(body).ifPresent(cleanup::setBinary);
        // Absent is_up is left unset: replication-svc then cleans only services that are down (Cinder's default).
        flag(body, "is_up").ifPresent(cleanup::setIsUp);
        flag(body, "disabled").ifPresent(cleanup::setDisabled);
        resourceId(body).ifPresent(cleanup::setResourceId);
        resourceType(body).ifPresent(cleanup::setResourceType);
        return cleanup.build();
    }

    private static Optional<String> text(JsonBody body, String key) {
        Optional<String> value = body.string(key);
        if (value.isPresent() && value.get().length() > MAX_LENGTH) {
            throw body.invalid(key, "'" + value.get() + "' is too long");
        }
        return value;
    }

    /** An integer, or a string of at most 11 digits (cinderclient sends strings); it must fit a service id. */
    private static Optional<Integer> serviceId(JsonBody body) {
        if (!body.has("service_id")) {
            return Optional.empty();
        }
        long id;
        try {
            id = body.integer("service_id").orElseThrow();
        } catch (ApiException notAnInteger) {
            String text = string(body, "service_id", "It must be a non-negative integer.");
            if (!DIGITS.matcher(text).matches()) {
                throw body.invalid("service_id", "'" + text + "' does not match '^[0-9]*$'");
            }
            id = Long.parseLong(text);
        }
        if (id < 0 || id > Integer.MAX_VALUE) {
            throw body.invalid("service_id", "It must be a non-negative integer of at most " + Integer.MAX_VALUE + ".");
        }
        return Optional.of((int) id);
    }

    /** cinder-volume or cinder-scheduler, sent as Tandem's names. */
    private static Optional<String> binary(JsonBody body) {
        Optional<String> binary = body.string("binary");
        if (binary.isPresent()
                && !binary.get().equals("cinder-volume")
                && !binary.get().equals("cinder-scheduler")) {
            throw body.invalid("binary", "'" + binary.get() + "' is not one of ['cinder-volume', 'cinder-scheduler']");
        }
        return binary.map(RestValues::grpcBinary);
    }

    /** A JSON boolean or a boolean string ("true"/"false", "yes"/"no", "1"/"0"; cinderclient sends strings). */
    private static Optional<Boolean> flag(JsonBody body, String key) {
        if (!body.has(key)) {
            return Optional.empty();
        }
        try {
            return body.bool(key);
        } catch (ApiException notABoolean) {
            String reason = "It must be a boolean, or one of the strings true/false, yes/no, 1/0.";
            Boolean value = RestValues.booleanString(string(body, key, reason));
            if (value == null) {
                throw body.invalid(key, reason);
            }
            return Optional.of(value);
        }
    }

    private static Optional<String> resourceId(JsonBody body) {
        Optional<String> id = body.string("resource_id");
        if (id.isPresent() && !UUID.matcher(id.get()).matches()) {
            throw ApiException.invalidInput("Resource ID must be a UUID, and " + id.get() + " is not.");
        }
        // Volume ids are stored in the lower-case canonical form.
        return id.map(s -> s.toLowerCase(Locale.ROOT));
    }

    /**
     * Title-cased as Cinder does ({@code volume} → {@code Volume}), then one of Cinder's cleanable types. Snapshot is
     * passed on: replication-svc refuses it while Tandem has no snapshots (400 with its message).
     */
    private static Optional<String> resourceType(JsonBody body) {
        Optional<String> type = text(body, "resource_type").map(WorkerRequests::titleCase);
        if (type.isPresent() && !type.get().equals("Volume") && !type.get().equals("Snapshot")) {
            throw ApiException.invalidInput("Resource type " + type.get() + " not valid, must be Volume or Snapshot");
        }
        return type;
    }

    /** Python's str.title(): each run of letters starts upper-case and continues lower-case. */
    static String titleCase(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isLetter(c)) {
                out.append(inWord ? Character.toLowerCase(c) : Character.toUpperCase(c));
                inWord = true;
            } else {
                out.append(c);
                inWord = false;
            }
        }
        return out.toString();
    }

    /** The string under {@code key}, or a 400 with {@code reason} when it is another type. */
    private static String string(JsonBody body, String key, String reason) {
        try {
            return body.string(key).orElseThrow();
        } catch (ApiException notAString) {
            throw body.invalid(key, reason);
        }
    }
}
