package io.tandem.persistence.failover;

import io.tandem.persistence.cas.ConditionalUpdate;
import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.Transactions;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The failover journal: {@code failovers} and {@code failover_members}. Every change of a row is a compare-and-swap on
 * its id, its phase and its owner, so an instance that lost the row to another (after its lease expired) changes
 * nothing, and of two instances racing for one step exactly one wins. Which phase may follow which is the caller's
 * table; this class only writes what it is told, conditionally.
 */
public final class FailoverRepository {
    /** Phases that end a row; {@code finished_at} is set exactly for these (a CHECK constraint enforces it). */
    public static final List<String> FINAL_PHASES =
            List.of("completed", "completed-with-fenced-members", "failed", "reverted");

    private static final String TABLE = "failovers";
    private static final String MEMBERS = "failover_members";
    // Every read maps with FailoverRow.from: all columns, plus new_targets unpacked into two parallel text arrays in
    // request order, so that reading the row needs no JSON library.
    private static final String COLUMNS = "f.*,"
            + " ARRAY(SELECT e.t ->> 'backend_id' FROM jsonb_array_elements(f.new_targets) WITH ORDINALITY AS e (t, n)"
            + " ORDER BY e.n) AS new_target_ids,"
            + " ARRAY(SELECT e.t ->> 'location' FROM jsonb_array_elements(f.new_targets) WITH ORDINALITY AS e (t, n)"
            + " ORDER BY e.n) AS new_target_locations";
    // new_targets from two parallel arrays (NULL arrays: no targets of its own, a failover or failback).
    private static final String NEW_TARGETS = "CASE WHEN CAST(? AS text[]) IS NULL THEN NULL ELSE"
            + " (SELECT COALESCE(jsonb_agg(jsonb_build_object('backend_id', u.b, 'location', u.l) ORDER BY u.n),"
            + " CAST('[]' AS jsonb)) FROM unnest(CAST(? AS text[]), CAST(? AS text[])) WITH ORDINALITY AS u (b, l, n))"
            + " END";
    // ON CONFLICT names the partial unique index's predicate, so that a second unfinished row for the target is
    // answered with no row instead of a unique violation that would abort the caller's transaction.
    private static final String INSERT = "WITH inserted AS (INSERT INTO failovers (kind, scope, target,"
            + " from_backend_id, to_backend_id, phase, owner, owner_lease, requested_by, request_id, previous_status,"
            + " claim_epoch, new_targets) VALUES (?, ?, ?, ?, ?, 'claimed', ?, ?, ?, ?, ?, ?, " + NEW_TARGETS + ")"
            + " ON CONFLICT (target) WHERE finished_at IS NULL DO NOTHING RETURNING *)"
            + " SELECT " + COLUMNS + " FROM inserted f";
    private static final String SELECT_ONE = "SELECT " + COLUMNS + " FROM failovers f WHERE f.id = ?";
    private static final String SELECT_UNFINISHED =
            "SELECT " + COLUMNS + " FROM failovers f WHERE f.finished_at IS NULL ORDER BY f.id";
    private static final String SELECT_UNFINISHED_OF =
            "SELECT " + COLUMNS + " FROM failovers f WHERE f.finished_at IS NULL AND f.target = ?";
    private static final String SELECT_LAST_OF =
            "SELECT " + COLUMNS + " FROM failovers f WHERE f.target = ? ORDER BY f.id DESC LIMIT 1";
    private static final String PAGE = "SELECT " + COLUMNS + " FROM failovers f"
            + " WHERE (CAST(? AS text) IS NULL OR f.target = ?)"
            + " AND (NOT ? OR f.finished_at IS NULL) AND (CAST(? AS bigint) IS NULL OR f.id < ?)"
            + " ORDER BY f.id DESC LIMIT ?";
    private static final String SELECT_MEMBERS =
            "SELECT * FROM failover_members WHERE failover_id = ANY (?) ORDER BY failover_id, host";
    private static final String INSERT_MEMBERS = "INSERT INTO failover_members (failover_id, host)"
            + " SELECT ?, h FROM unnest(CAST(? AS text[])) AS h ON CONFLICT (failover_id, host) DO NOTHING";

    private final DataSource dataSource;

    public FailoverRepository(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Inserts the row in phase {@code claimed}; empty when the target already has an unfinished row (the partial
     * unique index decides, so two claims can never both insert).
     */
    public static Optional<FailoverRow> insert(Connection connection, NewFailover f) throws SQLException {
        Array ids = null;
        Array locations = null;
        if (f.newTargets() != null) {
            ids = connection.createArrayOf(
                    "text", f.newTargets().stream().map(NewTarget::backendId).toArray());
            locations = connection.createArrayOf(
                    "text", f.newTargets().stream().map(NewTarget::location).toArray());
        }
        try {
            return Queries.one(
                    connection,
                    INSERT,
                    FailoverRow::from,
                    f.kind(),
                    f.scope(),
                    f.target(),
                    f.fromBackendId(),
                    f.toBackendId(),
                    f.owner(),
                    f.ownerLease(),
                    f.requestedBy(),
                    f.requestId(),
                    f.previousStatus(),
                    f.claimEpoch(),
                    ids,
                    ids,
                    locations);
        } finally {
            if (ids != null) {
                ids.free();
                locations.free();
            }
        }
    }

    /**
     * How long ago row {@code id} was claimed, by the database's clock (every instance's deadlines then agree, whatever
     * their own clocks say); zero when the row is not there.
     */
    public Duration sinceClaimed(long id) {
        return Transactions.withConnection(dataSource, c -> Queries.one(
                        c,
                        "SELECT CAST(EXTRACT(EPOCH FROM now() - claimed_at) * 1000 AS bigint) FROM failovers"
                                + " WHERE id = ?",
                        r -> Duration.ofMillis(Math.max(0, r.getLong(1))),
                        id)
                .orElse(Duration.ZERO));
    }

    /** The row, if it exists. */
    public Optional<FailoverRow> find(long id) {
        return Transactions.withConnection(dataSource, c -> find(c, id));
    }

    /** {@link #find(long)} on the caller's connection. */
    public static Optional<FailoverRow> find(Connection connection, long id) throws SQLException {
        return Queries.one(connection, SELECT_ONE, FailoverRow::from, id);
    }

    /** Every unfinished row, oldest first. */
    public List<FailoverRow> unfinished() {
        return Transactions.withConnection(dataSource, c -> Queries.list(c, SELECT_UNFINISHED, FailoverRow::from));
    }

    /** The unfinished row of {@code target}, if any (there is at most one). */
    public Optional<FailoverRow> unfinished(String target) {
        return Transactions.withConnection(dataSource, c -> unfinished(c, target));
    }

    /** {@link #unfinished(String)} on the caller's connection. */
    public static Optional<FailoverRow> unfinished(Connection connection, String target) throws SQLException {
        return Queries.one(connection, SELECT_UNFINISHED_OF, FailoverRow::from, target);
    }

    /**
     * The newest row of {@code target}, finished or not, in the caller's transaction: what the target went through
     * last (a promote may be retried from {@code error} only when a promote left it there).
     */
    public static Optional<FailoverRow> last(Connection connection, String target) throws SQLException {
        return Queries.one(connection, SELECT_LAST_OF, FailoverRow::from, target);
    }

    /** {@link #last(Connection, String)} in its own connection. */
    public Optional<FailoverRow> last(String target) {
        return Transactions.withConnection(dataSource, c -> last(c, target));
    }

    /**
     * One page, newest first (by id, descending), keyset-paged: rows inserted meanwhile never shift a later page.
     *
     * @param target only this target; null = all
     * @param unfinishedOnly only rows that are not final
     * @param beforeId only ids below this one (the previous page's {@link FailoverPage#nextBeforeId()}); null = from
     *     the newest
     * @param limit rows per page, at least 1
     */
    public FailoverPage page(String target, boolean unfinishedOnly, Long beforeId, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        List<FailoverRow> rows = Transactions.withConnection(
                dataSource,
                c -> Queries.list(
                        c, PAGE, FailoverRow::from, target, target, unfinishedOnly, beforeId, beforeId, limit + 1));
        if (rows.size() <= limit) {
            return new FailoverPage(rows, null);
        }
        List<FailoverRow> page = rows.subList(0, limit);
        return new FailoverPage(page, page.get(limit - 1).id());
    }

    /** The member rows of each of {@code ids}, by host; ids without members map to an empty list. */
    public Map<Long, List<FailoverMemberRow>> members(Collection<Long> ids) {
        Map<Long, List<FailoverMemberRow>> byId = new LinkedHashMap<>();
        ids.forEach(id -> byId.put(id, new ArrayList<>()));
        if (ids.isEmpty()) {
            return byId;
        }
        Transactions.withConnection(dataSource, c -> {
            Array array = c.createArrayOf("bigint", ids.toArray());
            for (FailoverMemberRow row : Queries.list(c, SELECT_MEMBERS, FailoverMemberRow::from, array)) {
                byId.get(row.failoverId()).add(row);
            }
            return null;
        });
        return byId;
    }

    /** The member rows of one journal row, by host. */
    public List<FailoverMemberRow> members(long id) {
        return members(List.of(id)).get(id);
    }

    /** Moves the row from {@code fromPhase} to the unfinished {@code toPhase} if {@code owner} still drives it. */
    public boolean advance(long id, String owner, String fromPhase, String toPhase) {
        return Transactions.withConnection(dataSource, c -> advance(c, id, owner, fromPhase, toPhase));
    }

    /** {@link #advance(long, String, String, String)} on the caller's connection. */
    public static boolean advance(Connection connection, long id, String owner, String fromPhase, String toPhase)
            throws SQLException {
        requireUnfinished(toPhase);
        return owned(id, owner, fromPhase).set("phase", toPhase).execute(connection) == 1;
    }

    /**
     * Takes an unfinished row over from {@code expectedOwner} (its instance is gone) for {@code newOwner}. Of several
     * instances that saw the same owner exactly one wins.
     */
    public boolean takeOver(long id, String expectedOwner, String newOwner, Long newLease) {
        return ConditionalUpdate.table(TABLE)
                        .eq("id", id)
                        .eq("owner", expectedOwner)
                        .eq("finished_at", null)
                        .set("owner", newOwner)
                        .set("owner_lease", newLease)
                        .execute(dataSource)
                == 1;
    }

    /** Records which member is being asked to run the promote (so that a resumed row asks it first). */
    public boolean recordPromoter(long id, String owner, String promoterHost) {
        return owned(id, owner, "promoting").set("promoter_host", promoterHost).execute(dataSource) == 1;
    }

    /** Records that {@code promoterHost}'s promote returned, now. */
    public boolean recordPromoted(long id, String owner, String promoterHost) {
        return owned(id, owner, "promoting")
                        .set("promoter_host", promoterHost)
                        .setExpression("promoted_at", "now()")
                        .execute(dataSource)
                == 1;
    }

    /**
     * The journal's part of the commit transaction: {@code promoting → completing} with the committed epoch and the
     * commit time ({@code clock_timestamp()}, the moment of this statement rather than the transaction's start).
     */
    public static boolean commit(Connection connection, long id, String owner, long epoch) throws SQLException {
        return owned(id, owner, "promoting")
                        .set("phase", "completing")
                        .set("epoch", epoch)
                        .setExpression("promoted_at", "COALESCE(promoted_at, now())")
                        .setExpression("committed_at", "clock_timestamp()")
                        .execute(connection)
                == 1;
    }

    /**
     * Ends the row: {@code fromPhase → finalPhase}, with {@code error} (null = none), {@code completed_at} and {@code
     * finished_at} now, and no owner any more.
     */
    public static boolean finish(
            Connection connection, long id, String owner, String fromPhase, String finalPhase, String error)
            throws SQLException {
        if (!FINAL_PHASES.contains(finalPhase)) {
            throw new IllegalArgumentException(finalPhase + " is not a final phase");
        }
        return owned(id, owner, fromPhase)
                        .set("phase", finalPhase)
                        .set("error", error)
                        .setExpression("completed_at", "clock_timestamp()")
                        .setExpression("finished_at", "clock_timestamp()")
                        .set("owner", null)
                        .set("owner_lease", null)
                        .execute(connection)
                == 1;
    }

    /** {@link #finish(Connection, long, String, String, String, String)} in its own transaction. */
    public boolean finish(long id, String owner, String fromPhase, String finalPhase, String error) {
        return Transactions.withConnection(dataSource, c -> finish(c, id, owner, fromPhase, finalPhase, error));
    }

    /** Adds a member row per host (no acknowledgement yet); hosts that have one already are skipped. */
    public static int insertMembers(Connection connection, long id, Collection<String> hosts) throws SQLException {
        if (hosts.isEmpty()) {
            return 0;
        }
        Array array = connection.createArrayOf("text", hosts.toArray());
        return Queries.update(connection, INSERT_MEMBERS, id, array);
    }

    /** Records {@code host}'s acknowledgement of {@code epoch} after {@code attempts} calls in all. */
    public boolean recordAck(long id, String host, long epoch, int attempts) {
        return ConditionalUpdate.table(MEMBERS)
                        .eq("failover_id", id)
                        .eq("host", host)
                        .eq("fenced", false)
                        .set("acked_epoch", epoch)
                        .setExpression("acked_at", "now()")
                        .set("attempts", attempts)
                        .set("error", null)
                        .execute(dataSource)
                == 1;
    }

    /** Records a failed FailoverCompleted call to {@code host}: {@code attempts} calls in all, the last one's error. */
    public boolean recordFailedAttempt(long id, String host, int attempts, String error) {
        return ConditionalUpdate.table(MEMBERS)
                        .eq("failover_id", id)
                        .eq("host", host)
                        .eq("acked_epoch", null)
                        .set("attempts", attempts)
                        .set("error", error)
                        .execute(dataSource)
                == 1;
    }

    /** Marks {@code host} fenced (it never acknowledged) with the error that explains it. */
    public static boolean fence(Connection connection, long id, String host, String error) throws SQLException {
        return ConditionalUpdate.table(MEMBERS)
                        .eq("failover_id", id)
                        .eq("host", host)
                        .eq("acked_epoch", null)
                        .set("fenced", true)
                        .set("error", error)
                        .execute(connection)
                == 1;
    }

    /** Notes an error on a member row without fencing it (e.g. the member went down and converges on restart). */
    public boolean noteMember(long id, String host, String error) {
        return ConditionalUpdate.table(MEMBERS)
                        .eq("failover_id", id)
                        .eq("host", host)
                        .set("error", error)
                        .execute(dataSource)
                == 1;
    }

    private static ConditionalUpdate owned(long id, String owner, String phase) {
        return ConditionalUpdate.table(TABLE)
                .eq("id", id)
                .eq("owner", Objects.requireNonNull(owner, "owner"))
                .eq("phase", phase)
                .eq("finished_at", null);
    }

    private static void requireUnfinished(String phase) {
        if (FINAL_PHASES.contains(phase)) {
            throw new IllegalArgumentException(phase + " is final: use finish()");
        }
    }
}
