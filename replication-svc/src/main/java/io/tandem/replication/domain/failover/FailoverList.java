package io.tandem.replication.domain.failover;

import java.util.List;

/**
 * One page of ListFailovers.
 *
 * @param nextPageToken the token of the next page; empty when this is the last
 */
public record FailoverList(List<FailoverView> failovers, String nextPageToken) {
    public FailoverList {
        failovers = List.copyOf(failovers);
    }
}
