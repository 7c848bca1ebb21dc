package io.tandem.manage.reset;

import io.tandem.commandline.Args;
import io.tandem.commandline.Command;
import io.tandem.commandline.UsageException;
import io.tandem.core.BackendIds;
import io.tandem.manage.Invocation;
import io.tandem.manage.Names;
import java.util.Optional;

/** {@code tandem-manage db reset-active-backend}: its help, and its arguments read into a {@link ResetRequest}. */
public final class ResetActiveBackendCommand {
    /** How a request names the primary, as in a failback; stored as NULL. */
    static final String DEFAULT_BACKEND = BackendIds.PRIMARY;

    private static final String DESCRIPTION =
            """
            Cinder's reset_active_backend, done right: the offline half of promoting a replication target
            (A -> B -> C). After a failover to B:

              1. freeze and disable the backend: cinder freeze-host HOST, then
                 cinder cluster-disable CLUSTER
                 (or cinder service-disable HOST cinder-volume);
              2. stop its volume services;
              3. edit their configuration: B's location is the primary now, C the target;
              4. run this command (with --dry-run first, to see the rows it would change);
              5. start the volume services: each start seeds replication_targets from the
                 edited configuration and runs the driver's updateHostReplication;
              6. thaw and enable the backend: cinder thaw-host HOST, then
                 cinder cluster-enable CLUSTER
                 (or cinder service-enable HOST cinder-volume).

            The scope is the cluster named by --cluster, or the volume service on --backend-host; a host that
            belongs to a cluster stands for its whole cluster, because the cluster row is authoritative.

            Refused, changing nothing, unless (checked in this order): (a) no volume service of the scope is
            running (no member key in etcd); (b) the scope is disabled; (c) it is frozen; (d) it has no
            unfinished failover journal row; (e) its replication status is not one an operation holds (updating,
            failing-over, enabling, disabling).

            Then one transaction, every statement a compare-and-swap on what was checked, so that a concurrent
            change makes it change nothing and is reported: the scope's row (the cluster row, or the service row
            of a non-clustered host) and every volume service of a cluster get the replication status, the active
            backend id and the epoch + 1; the scope's replication_targets rows are deleted, so that the next start
            seeds them from the edited configuration. disabled and frozen stay as they are. After the commit the
            etcd epoch key is written; a failure there is a warning (the database is authoritative). A scope that
            already is in the requested state is left alone (exit status 0).""";

    private ResetActiveBackendCommand() {}

    public static Command<Invocation> command() {
        return Command.named("reset-active-backend")
                .summary("offline promote: reset a backend's replication state and sites (services stopped)")
                .synopsis("(--backend-host HOST | --cluster NAME) [--replication-status STATUS]"
                        + " [--active-backend-id ID] [--dry-run]")
                .description(DESCRIPTION)
                .option("--cluster", "NAME", "the volume cluster to reset, e.g. cluster1@fs1")
                .option(
                        "--backend-host",
                        "HOST",
                        "the volume service's host, e.g. node1@fs1; when it belongs to a cluster, the cluster is"
                                + " reset")
                .option(
                        "--replication-status",
                        "STATUS",
                        "the replication status to set (default " + ReplicationStatuses.DEFAULT + "): one of "
                                + String.join(", ", ReplicationStatuses.SETTABLE))
                .option(
                        "--active-backend-id",
                        "ID",
                        "the backend id to record as active (default none: the primary; 'default' or empty also"
                                + " mean none)")
                .flag("--dry-run", "run the checks and print the rows it would change; change nothing")
                .runs(ResetActiveBackendCommand::run);
    }

    private static int run(Invocation invocation) throws UsageException {
        ResetRequest request = request(invocation);
        return new ResetActiveBackend(invocation.dependencies(), invocation.out(), invocation.err()).run(request);
    }

    static ResetRequest request(Invocation invocation) throws UsageException {
        Args args = invocation.args();
        Optional<String> cluster = args.value("--cluster");
        Optional<String> host = args.value("--backend-host");
        if (cluster.isPresent() == host.isPresent()) {
            throw invocation.usageError("give exactly one of --backend-host and --cluster");
        }
        String name = cluster.isPresent() ? "--cluster" : "--backend-host";
        String value = cluster.or(() -> host).orElseThrow();
        Names.check(invocation, name, value);
        String status = args.value("--replication-status").orElse(ReplicationStatuses.DEFAULT);
        if (ReplicationStatuses.HELD_BY_AN_OPERATION.contains(status)) {
            throw invocation.usageError("--replication-status " + status + " means an operation holds the backend,"
                    + " which a reset cannot set; one of: " + String.join(", ", ReplicationStatuses.SETTABLE));
        }
        if (!ReplicationStatuses.SETTABLE.contains(status)) {
            throw invocation.usageError("--replication-status: '" + status + "' is not one of: "
                    + String.join(", ", ReplicationStatuses.SETTABLE));
        }
        String activeBackendId = args.value("--active-backend-id")
                .filter(id -> !id.isEmpty() && !id.equals(DEFAULT_BACKEND))
                .orElse(null);
        return new ResetRequest(
                cluster.orElse(null), host.orElse(null), status, activeBackendId, args.has("--dry-run"));
    }
}
