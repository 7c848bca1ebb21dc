package io.tandem.cli;

import io.tandem.commandline.Command;
import io.tandem.commandline.CommandGroup;
import io.tandem.proto.v1.Capabilities;
import io.tandem.proto.v1.VolumeServiceGetNodeStatusRequest;
import io.tandem.proto.v1.VolumeServiceGetNodeStatusResponse;
import java.io.PrintStream;
import java.util.Locale;

/** {@code tandem node status}: VolumeService.GetNodeStatus of one volume node. */
final class NodeCommands {
    private NodeCommands() {}

    static CommandGroup group() {
        return CommandGroup.of(
                "node",
                "one volume node",
                "One volume node, asked directly at its own gRPC address (not through replication-svc).",
                Command.named("status")
                        .summary("a volume node's own view: backend and site served, epoch, fenced, replicator")
                        .synopsis("ADDRESS")
                        .description(
                                """
                                Asks one volume node what it is and serves (VolumeService.GetNodeStatus): host and
                                cluster, driver, the backend and site it serves, the epoch it serves, whether its etcd
                                lease is alive, whether it is fenced, whether it runs the replication copies, its
                                driver's capabilities and the capacity it publishes.""")
                        .argument("ADDRESS", "the node's gRPC address, host:port (dev stack: 127.0.0.1:50061..50063)")
                        .runs(NodeCommands::status));
    }

    private static int status(Invocation invocation) {
        VolumeServiceGetNodeStatusResponse response = invocation
                .volume(invocation.args().argument("ADDRESS"))
                .getNodeStatus(VolumeServiceGetNodeStatusRequest.getDefaultInstance());
        if (invocation.json()) {
            invocation.printJson(response);
        } else {
            print(response, invocation.out());
        }
        return Tandem.OK;
    }

    static void print(VolumeServiceGetNodeStatusResponse s, PrintStream out) {
        Capabilities c = s.getCapabilities();
        Table.headless()
                .row("host:", s.getHost())
                .row("cluster:", Text.orNone(s.getClusterName()))
                .row("backend:", s.getBackendName())
                .row("driver:", s.getDriverName())
                .row("active backend:", Text.backend(s.getActiveBackendId()))
                .row("active location:", Text.orNone(s.getActiveLocation()))
                .row("served epoch:", Long.toString(s.getServedEpoch()))
                .row("lease alive:", Text.yesNo(s.getLeaseAlive()))
                .row("fenced:", Text.yesNo(s.getFenced()))
                .row("replicator:", Text.yesNo(s.getReplicator()))
                .row("active-active:", Text.yesNo(c.getSupportsActiveActive()))
                .row("replication:", Text.yesNo(c.getSupportsReplication()))
                .row("a/a replication:", Text.yesNo(c.getSupportsActiveActiveReplication()))
                .row("driver targets:", Text.orNone(String.join(", ", c.getReplicationTargetIdsList())))
                .row(
                        "capacity:",
                        s.hasCapacity()
                                ? String.format(
                                        Locale.ROOT,
                                        "%.1f GiB free of %.1f GiB",
                                        s.getCapacity().getFreeCapacityGb(),
                                        s.getCapacity().getTotalCapacityGb())
                                : Text.NONE)
                .row("started:", Text.time(s.getStartedAt()))
                .print(out);
    }
}
