package io.tandem.replication.domain.failover;

import io.tandem.core.error.InvalidArgumentException;
import io.tandem.core.error.NotFoundException;
import io.tandem.persistence.failover.FailoverMemberRow;
import io.tandem.persistence.failover.FailoverPage;
import io.tandem.persistence.failover.FailoverRepository;
import io.tandem.persistence.failover.FailoverRow;
import io.tandem.persistence.failover.NewTarget;
import io.tandem.replication.domain.liveness.Liveness;
import io.tandem.runtime.config.ServiceConfiguration;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The Failover, Promote, ListFailovers and GetFailover operations: the claim happens in the caller's thread (its
 * refusals are the RPC's answer), the rest of the protocol on {@link FailoverRunner}'s threads.
 */
@Singleton
public class Failovers {
    /** Page size when the request gives none. */
    public static final int DEFAULT_PAGE_SIZE = 50;
    /** Larger page sizes are lowered to this. */
    public static final int MAX_PAGE_SIZE = 500;

    private final FailoverClaims claims;
    private final PromoteClaims promoteClaims;
    private final FailoverRepository journal;
    private final FailoverRunner runner;

    public Failovers(
            DataSource dataSource,
            Liveness liveness,
            Transitions transitions,
            FailoverRunner runner,
            ServiceConfiguration service) {
        this.claims = new FailoverClaims(dataSource, liveness, transitions, service.getHost());
        this.promoteClaims = new PromoteClaims(dataSource, liveness, transitions, service.getHost());
        this.journal = new FailoverRepository(dataSource);
        this.runner = runner;
    }

    /**
     * Claims a failover (or failback, {@code backendId} {@code default}) of {@code cluster} or {@code host} and starts
     * running it; returns the row as claimed.
     */
    public FailoverView failover(String cluster, String host, String backendId, String requestedBy, String requestId) {
        FailoverRow row = claims.claim(cluster, host, backendId, requestedBy, requestId);
        runner.submit(row.id());
        return new FailoverView(row, List.of());
    }

    /**
     * Claims a promote of {@code cluster} or {@code host}: the site it serves becomes its primary with {@code
     * targets} (empty: none). Starts running it and returns the row as claimed.
     */
    public FailoverView promote(
            String cluster, String host, List<NewTarget> targets, String requestedBy, String requestId) {
        FailoverRow row = promoteClaims.claim(cluster, host, targets, requestedBy, requestId);
        runner.submit(row.id());
        return new FailoverView(row, List.of());
    }

    /** One page, newest first; see ListFailoversRequest for the limits. */
    public FailoverList list(String target, boolean unfinishedOnly, int pageSize, String pageToken) {
        if (pageSize < 0) {
            throw new InvalidArgumentException("page_size must not be negative.");
        }
        int limit = pageSize == 0 ? DEFAULT_PAGE_SIZE : Math.min(pageSize, MAX_PAGE_SIZE);
        Long before = PageTokens.decode(pageToken);
        FailoverPage page = journal.page(target, unfinishedOnly, before, limit);
        Map<Long, List<FailoverMemberRow>> members =
                journal.members(page.rows().stream().map(FailoverRow::id).toList());
        List<FailoverView> views = page.rows().stream()
                .map(row -> new FailoverView(row, members.get(row.id())))
                .toList();
        return new FailoverList(views, page.nextBeforeId() == null ? "" : PageTokens.encode(page.nextBeforeId()));
    }

    /** One row with its members. */
    public FailoverView get(long id) {
        if (id <= 0) {
            throw new InvalidArgumentException("id must be positive.");
        }
        FailoverRow row =
                journal.find(id).orElseThrow(() -> new NotFoundException("Failover " + id + " could not be found."));
        return new FailoverView(row, journal.members(id));
    }
}
