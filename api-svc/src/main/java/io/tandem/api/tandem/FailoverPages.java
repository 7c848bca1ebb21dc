package io.tandem.api.tandem;

import io.micronaut.core.annotation.Nullable;
import io.tandem.proto.v1.Failover;
import io.tandem.proto.v1.ListFailoversRequest;
import io.tandem.proto.v1.ListFailoversResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * REST's {@code limit} and {@code marker} over ListFailovers' opaque page tokens.
 *
 * <p>The REST marker is the id of the last row of the previous page (as Cinder's markers are): the page continues with
 * the rows of lower id. The gRPC contract pages with tokens that are opaque to callers, so api-svc never builds one:
 * with a marker it reads from the newest row, following the tokens in the backend's largest pages, skips the rows at
 * or above the marker, and keeps {@code limit} rows. That costs one call per 500 rows newer than the marker; the
 * journal has a row per failover, failback or promote, so it stays small, and keyset pages make the result exact
 * whatever rows are inserted meanwhile. A marker needs not name an existing row (any id works as a bound). Without a
 * marker, one call of {@code limit} rows answers.
 */
final class FailoverPages {
    /** ListFailovers' largest page. */
    static final int MAX_PAGE_SIZE = 500;

    /** ListFailovers' page when none is asked for. */
    static final int DEFAULT_PAGE_SIZE = 50;

    /** One REST page: its rows, newest first, and whether more rows follow them. */
    record Page(List<Failover> rows, boolean more) {}

    private FailoverPages() {}

    /**
     * The page of at most {@code limit} (1 to 500) rows below {@code marker} (null: from the newest), matching {@code
     * target} (null: any) and {@code unfinishedOnly}.
     */
    static Page read(
            Function<ListFailoversRequest, ListFailoversResponse> backend,
            @Nullable String target,
            boolean unfinishedOnly,
            int limit,
            @Nullable Long marker) {
        ListFailoversRequest.Builder request = ListFailoversRequest.newBuilder()
                .setUnfinishedOnly(unfinishedOnly)
                .setPageSize(marker == null ? limit : MAX_PAGE_SIZE);
        if (target != null) {
            request.setTarget(target);
        }
        List<Failover> rows = new ArrayList<>();
        String token = "";
        while (true) {
            ListFailoversResponse page =
                    backend.apply(request.setPageToken(token).build());
            for (Failover failover : page.getFailoversList()) {
                if (marker != null && failover.getId() >= marker) {
                    continue;
                }
                if (rows.size() == limit) {
                    return new Page(rows, true);
                }
                rows.add(failover);
            }
            String next = page.getNextPageToken();
            if (next.isEmpty() || next.equals(token)) {
                // The last page (a token that does not move would loop forever: treat it as the end).
                return new Page(rows, false);
            }
            if (rows.size() == limit) {
                // A token means rows follow, all older than these.
                return new Page(rows, true);
            }
            token = next;
        }
    }
}
