package io.tandem.cli;

import io.tandem.commandline.Command;
import io.tandem.commandline.CommandGroup;
import io.tandem.proto.v1.Cluster;
import io.tandem.proto.v1.GetClusterRequest;
import io.tandem.proto.v1.GetClusterResponse;
import io.tandem.proto.v1.ListClustersRequest;
import io.tandem.proto.v1.ListClustersResponse;
import io.tandem.proto.v1.ReplicationStatus;
import io.tandem.proto.v1.ReplicationTarget;
import io.tandem.proto.v1.ReplicationTargetRole;
import java.io.PrintStream;
import java.util.List;

/** {@code tandem cluster list|show}: ReplicationService.ListClusters and GetCluster. */
final class ClusterCommands {
    private ClusterCommands() {}

    static CommandGroup group() {
        return CommandGroup.of(
                "cluster",
                "volume clusters",
                "Volume clusters: the volume nodes that manage one backend together, and their replication state.",
                Command.named("list")
                        .summary("list the clusters with their state and replication status")
                        .synopsis("[--detailed]")
                        .description(
                                """
                                Lists every cluster (ReplicationService.ListClusters), ordered by name: up or down
                                (some member holds a live etcd lease), enabled or disabled for new volumes,
                                replication status, the backend it serves and whether it is frozen.""")
                        .flag("--detailed", "also the epoch, members, last heartbeat, disabled reason, last change")
                        .runs(ClusterCommands::list),
                Command.named("show")
                        .summary("show one cluster, with its sites")
                        .synopsis("NAME [--binary BINARY]")
                        .description(
                                """
                                Shows one cluster (ReplicationService.GetCluster): every field, and the sites of its
                                backend (the primary and its replication targets), marking the one it serves.""")
                        .argument("NAME", "cluster name, <cluster>@<backend>, e.g. cluster1@fs1")
                        .option("--binary", "BINARY", "binary of its members (default: volume)")
                        .runs(ClusterCommands::show));
    }

    private static int list(Invocation invocation) {
        ListClustersResponse response = invocation.replication().listClusters(ListClustersRequest.getDefaultInstance());
        if (invocation.json()) {
            invocation.printJson(response);
        } else {
            table(response.getClustersList(), invocation.args().has("--detailed"))
                    .print(invocation.out());
        }
        return Tandem.OK;
    }

    private static int show(Invocation invocation) {
        GetClusterRequest request = GetClusterRequest.newBuilder()
                .setName(invocation.args().argument("NAME"))
                .setBinary(invocation.args().value("--binary").orElse(""))
                .build();
        GetClusterResponse response = invocation.replication().getCluster(request);
        if (invocation.json()) {
            invocation.printJson(response);
        } else {
            print(response.getCluster(), invocation.out());
        }
        return Tandem.OK;
    }

    static Table table(List<Cluster> clusters, boolean detailed) {
        Table table = detailed
                ? Table.of(
                        "NAME",
                        "BINARY",
                        "STATE",
                        "STATUS",
                        "REPLICATION",
                        "ACTIVE-BACKEND",
                        "FROZEN",
                        "EPOCH",
                        "HOSTS",
                        "DOWN",
                        "LAST-HEARTBEAT",
                        "DISABLED-REASON",
                        "UPDATED")
                : Table.of("NAME", "BINARY", "STATE", "STATUS", "REPLICATION", "ACTIVE-BACKEND", "FROZEN");
        for (Cluster c : clusters) {
            String[] basic = {
                c.getName(),
                c.getBinary(),
                Text.upDown(c.getIsUp()),
                Text.enabledDisabled(c.getDisabled()),
                Text.enumValue(ReplicationStatus.getDescriptor(), c.getReplicationStatusValue()),
                Text.backend(c.getActiveBackendId()),
                Text.yesNo(c.getFrozen())
            };
            if (!detailed) {
                table.row(basic);
                continue;
            }
            table.row(
                    basic[0],
                    basic[1],
                    basic[2],
                    basic[3],
                    basic[4],
                    basic[5],
                    basic[6],
                    Long.toString(c.getEpoch()),
                    Integer.toString(c.getNumHosts()),
                    Integer.toString(c.getNumDownHosts()),
                    Text.time(c.getLastHeartbeat()),
                    Text.orNone(c.getDisabledReason()),
                    Text.time(c.getUpdatedAt()));
        }
        return table;
    }

    static void print(Cluster c, PrintStream out) {
        Table.headless()
                .row("name:", c.getName())
                .row("binary:", c.getBinary())
                .row("state:", Text.upDown(c.getIsUp()))
                .row("status:", Text.enabledDisabled(c.getDisabled()))
                .row("disabled reason:", Text.orNone(c.getDisabledReason()))
                .row("replication:", Text.enumValue(ReplicationStatus.getDescriptor(), c.getReplicationStatusValue()))
                .row("active backend:", Text.backend(c.getActiveBackendId()))
                .row("frozen:", Text.yesNo(c.getFrozen()))
                .row("epoch:", Long.toString(c.getEpoch()))
                .row("hosts:", c.getNumHosts() + " (" + c.getNumDownHosts() + " down)")
                .row("last heartbeat:", Text.time(c.getLastHeartbeat()))
                .row("created:", Text.time(c.getCreatedAt()))
                .row("updated:", Text.time(c.getUpdatedAt()))
                .print(out);
        out.println();
        printSites(c.getReplicationTargetsList(), c.getActiveBackendId(), out);
    }

    /** The sites of a backend, marking the one served ({@code activeBackendId}; empty = the primary). */
    static void printSites(List<ReplicationTarget> sites, String activeBackendId, PrintStream out) {
        if (sites.isEmpty()) {
            out.println("sites: none recorded");
            return;
        }
        out.println("sites:");
        Table table = Table.of("ROLE", "BACKEND-ID", "LOCATION", "ACTIVE");
        for (ReplicationTarget site : sites) {
            boolean primary = site.getRole() == ReplicationTargetRole.REPLICATION_TARGET_ROLE_PRIMARY;
            boolean active = primary
                    ? activeBackendId.isEmpty()
                    : !activeBackendId.isEmpty() && site.getBackendId().equals(activeBackendId);
            table.row(
                    Text.enumValue(ReplicationTargetRole.getDescriptor(), site.getRoleValue()),
                    Text.orNone(site.getBackendId()),
                    Text.orNone(site.getLocation()),
                    Text.yesNo(active));
        }
        table.indented("  ").print(out);
    }
}
