package io.tandem.persistence.volume;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One page of a volume listing: keyset pagination on an indexed sort column with the id breaking ties, so that a
 * page costs the same at volume 10 and at volume 100,000 (no OFFSET).
 *
 * @param projectId only this project's volumes; null for every project (admins' {@code all_tenants})
 * @param name exact name filter, or null
 * @param status exact status filter, or null
 * @param clusterName exact cluster filter, or null
 * @param sortKey the column to sort by
 * @param ascending the direction
 * @param limit at most this many rows
 * @param marker the last id of the previous page, or null for the first page
 */
public record VolumeQuery(
        String projectId,
        String name,
        String status,
        String clusterName,
        SortKey sortKey,
        boolean ascending,
        int limit,
        UUID marker) {

    /** Columns a listing may sort by (Cinder's common sort keys). */
    public enum SortKey {
        CREATED_AT("created_at"),
        UPDATED_AT("updated_at"),
        ID("id"),
        NAME("name"),
        SIZE("size_gb"),
        STATUS("status");

        private final String column;

        SortKey(String column) {
            this.column = column;
        }

        public String column() {
            return column;
        }

        /**
         * The sort expression on table alias {@code alias}. Names may be NULL, and a NULL would drop out of the keyset
         * comparison, so they sort as the empty string.
         */
        public String expression(String alias) {
            return this == NAME ? "coalesce(" + alias + ".name, '')" : alias + "." + column;
        }

        /** Cinder's spelling ({@code created_at}, {@code size}, …). */
        public static Optional<SortKey> parse(String key) {
            for (SortKey k : values()) {
                if (k.name().equalsIgnoreCase(key) || k.column.equals(key)) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }
    }

    public VolumeQuery {
        Objects.requireNonNull(sortKey, "sortKey");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }
}
