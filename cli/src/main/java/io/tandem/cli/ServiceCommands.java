package io.tandem.cli;

import io.tandem.commandline.Command;
import io.tandem.commandline.CommandGroup;
import io.tandem.proto.v1.ListServicesRequest;
import io.tandem.proto.v1.ListServicesResponse;
import io.tandem.proto.v1.ReplicationStatus;
import io.tandem.proto.v1.Service;
import java.util.List;

/** {@code tandem service list}: ReplicationService.ListServices. */
final class ServiceCommands {
    private ServiceCommands() {}

    static CommandGroup group() {
        return CommandGroup.of(
                "service",
                "registered services",
                "Registered services of every binary (volume nodes, scheduler, replication, api).",
                Command.named("list")
                        .summary("list the services with up/down, replication fields and epochs")
                        .synopsis("[--host H] [--binary B]")
                        .description(
                                """
                                Lists the registered services (ReplicationService.ListServices), ordered by host:
                                up or down (a live etcd lease), enabled or disabled, and for volume services the
                                replication status, the backend served, frozen, the epoch stored on the row and the
                                epoch the live member reports serving (lower than its cluster's epoch = fenced).""")
                        .option("--host", "H", "only the service on this host, e.g. node1@fs1")
                        .option("--binary", "B", "only services of this binary: volume, scheduler, replication, api")
                        .runs(ServiceCommands::list));
    }

    private static int list(Invocation invocation) {
        ListServicesRequest.Builder request = ListServicesRequest.newBuilder();
        invocation.args().value("--host").ifPresent(request::setHost);
        invocation.args().value("--binary").ifPresent(request::setBinary);
        ListServicesResponse response = invocation.replication().listServices(request.build());
        if (invocation.json()) {
            invocation.printJson(response);
        } else {
            table(response.getServicesList()).print(invocation.out());
        }
        return Tandem.OK;
    }

    static Table table(List<Service> services) {
        Table table = Table.of(
                "HOST",
                "BINARY",
                "CLUSTER",
                "STATE",
                "STATUS",
                "REPLICATION",
                "ACTIVE-BACKEND",
                "FROZEN",
                "EPOCH",
                "SERVED-EPOCH",
                "UPDATED");
        for (Service s : services) {
            // Only volume services have replication fields; the others show "-" there.
            boolean volume = s.getReplicationStatus() != ReplicationStatus.REPLICATION_STATUS_UNSPECIFIED;
            table.row(
                    s.getHost(),
                    s.getBinary(),
                    Text.orNone(s.getClusterName()),
                    Text.upDown(s.getIsUp()),
                    Text.enabledDisabled(s.getDisabled()),
                    Text.enumValue(ReplicationStatus.getDescriptor(), s.getReplicationStatusValue()),
                    volume ? Text.backend(s.getActiveBackendId()) : Text.NONE,
                    volume ? Text.yesNo(s.getFrozen()) : Text.NONE,
                    volume ? Long.toString(s.getEpoch()) : Text.NONE,
                    Text.positive(s.getServedEpoch()),
                    Text.time(s.getUpdatedAt()));
        }
        return table;
    }
}
