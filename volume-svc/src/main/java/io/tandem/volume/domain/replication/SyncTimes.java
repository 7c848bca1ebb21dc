package io.tandem.volume.domain.replication;

import io.tandem.driver.VolumeSync;
import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.volume.domain.lifecycle.EpochFence;
import io.tandem.volume.domain.node.ServingNode;
import java.sql.Array;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Records {@code volumes.last_sync_at} after a replication cycle: one statement for all the volumes of the cycle (two
 * arrays unnested in the FROM clause), so a cycle over thousands of volumes costs one round trip. Fenced like every
 * write of the node: nothing is recorded once a failover committed a newer epoch, whose sites the copy no longer
 * describes. A time is never moved backwards, and only replicated volumes (status enabled) get one.
 */
final class SyncTimes {
    private final DataSource dataSource;

    SyncTimes(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** @return how many volumes got the new time */
    int record(ServingNode node, List<VolumeSync> synced) {
        if (synced.isEmpty()) {
            return 0;
        }
        EpochFence fence = EpochFence.of(node);
        String[] ids = new String[synced.size()];
        String[] times = new String[synced.size()];
        for (int i = 0; i < synced.size(); i++) {
            ids[i] = synced.get(i).volumeId();
            times[i] = synced.get(i).syncedAt().toString();
        }
        return Transactions.withConnection(dataSource, c -> {
            Array idArray = c.createArrayOf("text", ids);
            Array timeArray = c.createArrayOf("text", times);
            List<Object> params = new ArrayList<>(List.of(idArray, timeArray));
            String belongs = fence.volumeBelongsSql(params);
            params.addAll(List.of(fence.servedEpochParams()));
            String sql = "UPDATE volumes v SET last_sync_at = s.synced_at"
                    + " FROM unnest(?::text[]::uuid[], ?::text[]::timestamptz[]) AS s (id, synced_at)"
                    + " WHERE v.id = s.id AND v.replication_status = 'enabled' AND " + belongs
                    + " AND " + fence.servedEpochSql()
                    + " AND (v.last_sync_at IS NULL OR v.last_sync_at < s.synced_at)";
            try {
                return Queries.update(c, sql, params.toArray());
            } finally {
                idArray.free();
                timeArray.free();
            }
        });
    }
}
