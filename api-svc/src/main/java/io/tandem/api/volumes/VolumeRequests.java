package io.tandem.api.volumes;

import io.micronaut.core.annotation.Nullable;
import io.tandem.api.errors.ApiException;
import io.tandem.api.http.JsonBody;
import io.tandem.api.views.RestValues;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The bodies of the volume routes, checked as Cinder's schemas (cinder/api/schemas/volumes.py) do. */
final class VolumeRequests {
    private static final int MAX_LENGTH = 255;
    private static final Pattern UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /**
     * Keys {@code cinder create} (python3-cinderclient) always sends, mostly as null, for features Tandem lacks: accepted
     * only empty, a value is refused naming the key (Tandem creates blank volumes only).
     */
    private static final List<String> UNSUPPORTED_SOURCES =
            List.of("snapshot_id", "source_volid", "backup_id", "imageRef", "consistencygroup_id", "volume_type");

    private static final String[] CREATE_KEYS = {
        "size",
        "name",
        "description",
        "availability_zone",
        "metadata",
        "multiattach",
        "snapshot_id",
        "source_volid",
        "backup_id",
        "imageRef",
        "consistencygroup_id",
        "volume_type"
    };

    /** The one action Tandem implements. */
    static final String EXTEND = "os-extend";

    /**
     * Cinder's other volume actions (cinder/api/contrib/*): recognised so that the 400 says Tandem does not implement
     * the action rather than that the key is unknown.
     */
    private static final Set<String> CINDER_ACTIONS = Set.of(
            "os-attach",
            "os-detach",
            "os-reserve",
            "os-unreserve",
            "os-begin_detaching",
            "os-roll_detaching",
            "os-initialize_connection",
            "os-terminate_connection",
            "os-volume_upload_image",
            "os-update_readonly_flag",
            "os-retype",
            "os-set_bootable",
            "os-reset_status",
            "os-force_delete",
            "os-force_detach",
            "os-migrate_volume",
            "os-migrate_volume_completion",
            "os-unmanage",
            "os-enable_replication",
            "os-disable_replication",
            "os-failover_replication",
            "os-list_replication_targets",
            "os-promote_replica",
            "os-reenable_replica",
            "os-extend_volume_completion",
            "os-reimage",
            "revert");

    private static final String[] ACTION_KEYS =
            Stream.concat(Stream.of(EXTEND), CINDER_ACTIONS.stream()).toArray(String[]::new);

    private VolumeRequests() {}

    /** {@code POST /volumes}: {@code {"volume": {"size": 1, "name": ..., "description": ...}}}. */
    record Create(int size, String name, String description) {
        static Create parse(@Nullable String text) {
            JsonBody volume = JsonBody.parse(text, "volume").object("volume", CREATE_KEYS);
            long size = volume.integer("size")
                    .orElseThrow(() -> ApiException.badRequest("Invalid input for field/attribute volume. Value: "
                            + volume + ". 'size' is a required property"));
            if (size < 1 || size > Integer.MAX_VALUE) {
                throw ApiException.invalidInput("size must be a positive integer.");
            }
            String name = text(volume, "name");
            String description = text(volume, "description");
            for (String key : UNSUPPORTED_SOURCES) {
                if (volume.string(key).isPresent()) {
                    throw ApiException.invalidInput(
                            key + " is not supported: Tandem creates blank volumes only (send null or leave it out).");
                }
            }
            Optional<String> zone = volume.string("availability_zone");
            if (zone.isPresent() && !zone.get().equals(RestValues.ZONE)) {
                throw ApiException.invalidInput("Availability zone '" + zone.get() + "' is invalid.");
            }
            if (volume.has("metadata")) {
                try {
                    volume.object("metadata"); // an object without keys
                } catch (ApiException e) {
                    throw ApiException.invalidInput(
                            "metadata is not supported: Tandem keeps no volume metadata (send {} or null).");
                }
            }
            if (volume.bool("multiattach").orElse(false)) {
                throw ApiException.invalidInput("multiattach is not supported: Tandem attaches nothing.");
            }
            return new Create((int) size, name, description);
        }

        /** Optional display text: absent or null is empty (common.proto); at most 255 characters. */
        private static String text(JsonBody volume, String key) {
            Optional<String> value = volume.string(key);
            if (value.isPresent() && value.get().length() > MAX_LENGTH) {
                throw volume.invalid(key, "'" + value.get() + "' is too long");
            }
            return value.orElse("");
        }
    }

    /**
     * {@code POST /volumes/{id}/action}: exactly one action, {@code {"os-extend": {"new_size": N}}}; another action
     * Cinder has is refused naming it.
     */
    static int extendSize(@Nullable String text) {
        JsonBody body = JsonBody.parse(text, ACTION_KEYS);
        if (body.keys().size() != 1) {
            throw ApiException.badRequest("Malformed request body: exactly one action is expected, such as "
                    + "{\"os-extend\": {\"new_size\": 2}}, got " + body.keys().size() + ".");
        }
        String action = body.keys().iterator().next();
        if (!action.equals(EXTEND)) {
            throw ApiException.badRequest(
                    "Action " + action + " is not supported: Tandem implements " + EXTEND + " only.");
        }
        JsonBody extend = body.object(EXTEND, "new_size");
        long newSize = extend.integer("new_size")
                .orElseThrow(() -> ApiException.badRequest("Invalid input for field/attribute os-extend. Value: "
                        + extend + ". 'new_size' is a required property"));
        if (newSize < 1 || newSize > Integer.MAX_VALUE) {
            throw extend.invalid("new_size", newSize + " is not a positive size in GiB");
        }
        return (int) newSize;
    }

    /**
     * A volume id from the path in its canonical lower-case form, or empty when it cannot be one: such an id names no
     * volume, so the route answers 404 as for an unknown id (cinderclient's {@code show <name>} tries the name as an
     * id first, and only a 404 makes it search by name).
     */
    static Optional<String> volumeId(String id) {
        return UUID.matcher(id).matches() ? Optional.of(id.toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    static ApiException notFound(String id) {
        return ApiException.notFound("Volume " + id + " could not be found.");
    }
}
