package io.tandem.manage.reset;

import io.tandem.manage.Dependencies;
import io.tandem.manage.ExitStatus;
import io.tandem.manage.RefusedException;
import io.tandem.membership.EpochRecord;
import io.tandem.membership.EtcdKeys;
import io.tandem.membership.EtcdMembership;
import io.tandem.membership.MemberInfo;
import io.tandem.persistence.jdbc.Transactions;
import java.io.PrintStream;
import java.sql.Connection;
import java.util.List;
import javax.sql.DataSource;

/**
 * {@code db reset-active-backend}: Cinder's {@code reset_active_backend} with the checks its spec asked for and its
 * code left out (the services stopped, the compare-and-swap's result honoured, every argument used). Resolve the
 * scope, read it, check it, then either show the plan (dry run) or apply it in one transaction and write the epoch key.
 *
 * <p>A reset that finds the scope already in the requested state changes nothing and succeeds, so running it twice,
 * or twice at once, leaves one reset behind: of two racing runs one commits, the other's compare-and-swap finds the
 * epoch moved, re-reads and finds nothing left to do.
 */
public final class ResetActiveBackend {
    private final Dependencies dependencies;
    private final PrintStream out;
    private final PrintStream err;

    public ResetActiveBackend(Dependencies dependencies, PrintStream out, PrintStream err) {
        this.dependencies = dependencies;
        this.out = out;
        this.err = err;
    }

    /** Runs the reset; returns the exit status. Refusals are thrown ({@link RefusedException}). */
    public int run(ResetRequest request) {
        DataSource database = dependencies.database();
        Scope scope = Transactions.withConnection(database, c -> ScopeResolver.resolve(c, request));
        if (scope.namedHost() != null) {
            out.println("Host " + scope.namedHost() + " belongs to cluster " + scope.name() + ": the cluster row is"
                    + " authoritative, so the reset applies to the cluster and every volume service in it.");
        }
        ResetPlan plan = plan(scope, request);
        if (plan.alreadyDone()) {
            return nothingToChange(plan, request.dryRun(), " is already reset");
        }
        if (request.dryRun()) {
            out.println("Dry run: nothing was changed. The reset of " + scope.describe()
                    + " would go ahead and change these rows in one transaction:");
            ResetReport.rows(out, plan.rows());
            out.println("It would then write the etcd epoch key " + epochKey(scope) + ": "
                    + ResetReport.epochRecord(plan.newEpoch(), plan.activeBackendId()) + ".");
            return ExitStatus.DONE;
        }
        ResetRows changed;
        try {
            changed = Transactions.inTransaction(database, c -> ResetWrites.apply(c, plan));
        } catch (ResetWrites.ConcurrentChangeException e) {
            return afterLostRace(scope, request, e.getMessage());
        }
        out.println("Reset " + scope.describe() + " in one transaction; rows changed:");
        ResetReport.rows(out, changed);
        writeEpochKey(scope, changed.newEpoch(), changed.activeBackendId());
        ResetReport.nextSteps(out, plan.before());
        return ExitStatus.DONE;
    }

    /** Reads the scope and checks it: refuses (throws) when a precondition does not hold. */
    private ResetPlan plan(Scope scope, ResetRequest request) {
        ScopeSnapshot snapshot = Transactions.inTransaction(dependencies.database(), c -> {
            // One snapshot for every part, so that the checks and the plan see one state.
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            return ScopeSnapshot.read(c, scope);
        });
        ResetChecks.verify(snapshot, liveHosts(scope));
        return new ResetPlan(snapshot, request.replicationStatus(), request.activeBackendId());
    }

    /** The scope's volume services that have a member key (members/<cluster>/<host>, members/_/<host>). */
    private List<String> liveHosts(Scope scope) {
        EtcdMembership etcd = dependencies.etcd();
        if (scope.isCluster()) {
            return etcd.liveMembers(scope.name()).members().stream()
                    .map(MemberInfo::host)
                    .sorted()
                    .toList();
        }
        return etcd.member(null, scope.name()).map(MemberInfo::host).stream().toList();
    }

    /**
     * The transaction found the rows changed since they were read, and changed nothing. Read again: when the scope now
     * is what was asked for (another reset got there first), there is nothing left to do; anything else is reported.
     */
    private int afterLostRace(Scope scope, ResetRequest request, String what) {
        ResetPlan again = plan(scope, request);
        if (again.alreadyDone()) {
            return nothingToChange(again, request.dryRun(), " was reset by a concurrent run meanwhile");
        }
        throw new RefusedException(scope.describe() + " changed while it was being reset (" + what
                + " no longer matched what was checked); nothing changed; run the command again");
    }

    private int nothingToChange(ResetPlan plan, boolean dryRun, String how) {
        ScopeSnapshot snapshot = plan.before();
        Scope scope = snapshot.scope();
        out.println(capitalized(scope.describe()) + how + ": " + ResetReport.state(snapshot.row())
                + (scope.isCluster() ? ", its volume services agree" : "")
                + ", and it has no replication_targets rows. Nothing to change.");
        if (!dryRun) {
            // Also repairs an earlier run whose epoch key write failed.
            writeEpochKey(scope, snapshot.row().epoch(), snapshot.row().activeBackendId());
            ResetReport.nextSteps(out, snapshot);
        }
        return ExitStatus.DONE;
    }

    /**
     * Tells members watching the epoch key about the new epoch. The database is authoritative (a starting service
     * reads the scope row), so a failure here is a warning, not a failed reset.
     */
    private void writeEpochKey(Scope scope, long epoch, String activeBackendId) {
        String key = epochKey(scope);
        try {
            EpochRecord stored =
                    dependencies.etcd().epochs().write(scope.name(), new EpochRecord(epoch, activeBackendId));
            if (stored.epoch() == epoch) {
                out.println("etcd: " + key + " = " + ResetReport.epochRecord(epoch, activeBackendId) + ".");
            } else {
                warn("etcd already holds epoch " + stored.epoch() + " at " + key + ", newer than the database's "
                        + epoch + "; left as it is: the services read the database when they start");
            }
        } catch (RuntimeException e) {
            warn("the database is reset, but the etcd epoch key " + key + " was not written ("
                    + oneLine(e.getMessage()) + "); the services read the database when they start; run the"
                    + " command again once etcd answers to write it");
        }
    }

    private String epochKey(Scope scope) {
        return new EtcdKeys(dependencies.settings().etcdPrefix()).epoch(scope.name());
    }

    private void warn(String message) {
        err.println("tandem-manage: warning: " + message);
    }

    private static String capitalized(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
