package io.tandem.api.volumes;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpParameters;
import io.tandem.api.auth.Caller;
import io.tandem.api.errors.ApiException;
import io.tandem.proto.v1.ListVolumesRequest;
import io.tandem.proto.v1.SortDirection;
import io.tandem.proto.v1.VolumeSortKey;
import io.tandem.proto.v1.VolumeStatus;
import io.tandem.runtime.proto.StoredValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The query string of {@code GET /volumes} and {@code /volumes/detail}, read as Cinder reads it (cinder/api/common.py,
 * cinder/api/v3/volumes.py): {@code limit}, {@code marker}, {@code sort} (or the deprecated {@code sort_key} / {@code
 * sort_dir}), the filters {@code name} and {@code status}, and {@code all_tenants} (plus {@code project_id} with it,
 * as {@code cinder list --tenant} sends) for admins. Any other key is refused, so a filter Tandem lacks never
 * silently lists everything.
 *
 * @param request the gRPC request, or null when the answer is known to be empty (a status the enum does not have)
 */
record VolumeListQuery(@Nullable ListVolumesRequest request) {
    private static final Set<String> KEYS =
            Set.of("limit", "marker", "sort", "sort_key", "sort_dir", "name", "status", "all_tenants", "project_id");
    private static final Set<String> TRUE = Set.of("1", "t", "true", "on", "y", "yes");
    private static final Set<String> FALSE = Set.of("0", "f", "false", "off", "n", "no");
    private static final Map<String, VolumeSortKey> SORT_KEYS = Map.of(
            "created_at", VolumeSortKey.VOLUME_SORT_KEY_CREATED_AT,
            "id", VolumeSortKey.VOLUME_SORT_KEY_ID,
            "name", VolumeSortKey.VOLUME_SORT_KEY_NAME,
            // cinderclient sends the name key as the model's column, display_name.
            "display_name", VolumeSortKey.VOLUME_SORT_KEY_NAME,
            "size", VolumeSortKey.VOLUME_SORT_KEY_SIZE,
            "status", VolumeSortKey.VOLUME_SORT_KEY_STATUS,
            "updated_at", VolumeSortKey.VOLUME_SORT_KEY_UPDATED_AT);

    /**
     * @param project the path's project, or the caller's for paths without one
     */
    static VolumeListQuery parse(HttpParameters parameters, Caller caller, String project) {
        List<String> unknown = parameters.names().stream()
                .filter(k -> !KEYS.contains(k))
                .sorted()
                .toList();
        if (!unknown.isEmpty()) {
            throw ApiException.badRequest(
                    "Invalid filters " + String.join(",", unknown) + " are found in query options.");
        }
        ListVolumesRequest.Builder grpc = ListVolumesRequest.newBuilder().setProjectId(project);
        // Validated for everyone, as Cinder does; only an admin's counts (a member's is ignored, as Cinder ignores it).
        boolean allTenants = bool(parameters, "all_tenants");
        String projectFilter = parameters.get("project_id");
        if (projectFilter != null && !caller.admin()) {
            throw ApiException.badRequest("Invalid filters project_id are found in query options.");
        }
        if (caller.admin() && projectFilter != null && !projectFilter.isEmpty()) {
            grpc.setProjectId(projectFilter); // one other project: no need for all of them
        } else if (caller.admin() && allTenants) {
            grpc.setAllTenants(true).clearProjectId();
        }
        String name = parameters.get("name");
        if (name != null) {
            grpc.setName(name);
        }
        String status = parameters.get("status");
        if (status != null) {
            VolumeStatus value = StoredValues.volumeStatus(status);
            if (value == VolumeStatus.VOLUME_STATUS_UNSPECIFIED) {
                return new VolumeListQuery(null); // no volume has it
            }
            grpc.setStatus(value);
        }
        grpc.setLimit(limit(parameters.get("limit")));
        String marker = parameters.get("marker");
        if (marker != null) {
            grpc.setMarker(marker);
        }
        sort(parameters, grpc);
        return new VolumeListQuery(grpc.build());
    }

    /** Cinder's limit: an integer, not negative; 0 (or none) is the default page; larger ones the backend lowers. */
    private static int limit(@Nullable String text) {
        if (text == null) {
            return 0;
        }
        long limit;
        try {
            limit = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            if (text.strip().matches("-?\\d+")) {
                limit = text.strip().startsWith("-") ? -1 : Long.MAX_VALUE;
            } else {
                throw ApiException.badRequest("limit param must be an integer");
            }
        }
        if (limit < 0) {
            throw ApiException.badRequest("limit param must be positive");
        }
        return (int) Math.min(limit, Integer.MAX_VALUE);
    }

    /**
     * {@code sort=key[:dir]} or {@code sort_key=key&sort_dir=dir}, not both. Tandem sorts by one column with id
     * breaking ties; a second key is accepted only when it is that tiebreaker ({@code name:asc,id:asc}).
     */
    private static void sort(HttpParameters parameters, ListVolumesRequest.Builder grpc) {
        String sort = parameters.get("sort");
        String sortKey = parameters.get("sort_key");
        String sortDir = parameters.get("sort_dir");
        if (sort != null && (sortKey != null || sortDir != null)) {
            throw ApiException.badRequest("The 'sort_key' and 'sort_dir' parameters are deprecated and cannot be used"
                    + " with the 'sort' parameter.");
        }
        List<String[]> keys = new ArrayList<>();
        if (sort != null) {
            for (String item : sort.split(",")) {
                if (item.isBlank()) {
                    continue;
                }
                String[] parts = item.split(":", 2);
                keys.add(new String[] {parts[0].strip(), parts.length > 1 ? parts[1].strip() : null});
            }
        } else if (sortKey != null || sortDir != null) {
            keys.add(new String[] {sortKey == null ? "created_at" : sortKey.strip(), sortDir});
        }
        if (keys.isEmpty()) {
            return; // created_at descending
        }
        VolumeSortKey key = sortKey(keys.get(0)[0]);
        SortDirection direction = direction(keys.get(0)[1]);
        for (String[] extra : keys.subList(1, keys.size())) {
            boolean tiebreaker = extra[0].equals("id") && (extra[1] == null || direction(extra[1]) == direction);
            if (!tiebreaker) {
                throw ApiException.invalidInput("Tandem sorts by one key, with id (in the same direction) breaking"
                        + " ties: " + keys.stream().map(k -> k[0]).collect(Collectors.joining(",")) + ".");
            }
        }
        grpc.setSortKey(key).setSortDir(direction);
    }

    private static VolumeSortKey sortKey(String key) {
        VolumeSortKey value = SORT_KEYS.get(key);
        if (value == null) {
            throw ApiException.invalidInput("Invalid sort key: " + key + ".");
        }
        return value;
    }

    private static SortDirection direction(@Nullable String dir) {
        if (dir == null || dir.isBlank()) {
            return SortDirection.SORT_DIRECTION_DESC;
        }
        return switch (dir.strip().toLowerCase(Locale.ROOT)) {
            case "asc" -> SortDirection.SORT_DIRECTION_ASC;
            case "desc" -> SortDirection.SORT_DIRECTION_DESC;
            default -> throw ApiException.invalidInput("Unknown sort direction " + dir + ", must be 'desc' or 'asc'.");
        };
    }

    /** oslo's boolean strings, as Cinder's get_bool_param accepts them; absent is false. */
    private static boolean bool(HttpParameters parameters, String key) {
        String value = parameters.get(key);
        if (value == null) {
            return false;
        }
        String text = value.strip().toLowerCase(Locale.ROOT);
        if (TRUE.contains(text)) {
            return true;
        }
        if (FALSE.contains(text)) {
            return false;
        }
        throw ApiException.invalidInput("Value '" + value + "' for '" + key + "' is not a boolean.");
    }
}
