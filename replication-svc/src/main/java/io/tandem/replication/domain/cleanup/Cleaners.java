package io.tandem.replication.domain.cleanup;

import java.util.concurrent.CompletableFuture;

/** How the domain reaches volume nodes to clean workers rows; implemented over gRPC, each call with a deadline. */
public interface Cleaners {
    /**
     * Asks {@code cleaner} to claim the rows {@code order} selects. Completes with the number of rows it claimed, or
     * fails (unreachable, deadline, refused) so that the caller can ask another member.
     */
    CompletableFuture<Integer> clean(Cleaner cleaner, CleanupOrder order);
}
