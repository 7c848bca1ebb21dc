package io.tandem.scheduler.grpc;

import io.tandem.core.error.InvalidArgumentException;
import io.tandem.persistence.volume.VolumeQuery;
import io.tandem.proto.v1.SortDirection;
import io.tandem.proto.v1.VolumeSortKey;

/** ListVolumes' sort parameters as the repository's query terms. */
final class ListParameters {
    private ListParameters() {}

    static VolumeQuery.SortKey sortKey(VolumeSortKey key) {
        return switch (key) {
            case VOLUME_SORT_KEY_UNSPECIFIED, VOLUME_SORT_KEY_CREATED_AT -> VolumeQuery.SortKey.CREATED_AT;
            case VOLUME_SORT_KEY_ID -> VolumeQuery.SortKey.ID;
            case VOLUME_SORT_KEY_NAME -> VolumeQuery.SortKey.NAME;
            case VOLUME_SORT_KEY_SIZE -> VolumeQuery.SortKey.SIZE;
            case VOLUME_SORT_KEY_STATUS -> VolumeQuery.SortKey.STATUS;
            case VOLUME_SORT_KEY_UPDATED_AT -> VolumeQuery.SortKey.UPDATED_AT;
            case UNRECOGNIZED -> throw new InvalidArgumentException("sort_key is not a known sort key");
        };
    }

    /** True for ascending; unset means descending (Cinder's default). */
    static boolean ascending(SortDirection direction) {
        return switch (direction) {
            case SORT_DIRECTION_ASC -> true;
            case SORT_DIRECTION_UNSPECIFIED, SORT_DIRECTION_DESC -> false;
            case UNRECOGNIZED -> throw new InvalidArgumentException("sort_dir is not a known sort direction");
        };
    }
}
