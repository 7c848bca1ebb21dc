package io.tandem.manage.service;

import io.tandem.commandline.Command;
import io.tandem.commandline.UsageException;
import io.tandem.core.ServiceBinary;
import io.tandem.manage.Invocation;
import io.tandem.manage.Names;

/** {@code tandem-manage service remove [BINARY] HOST}: Cinder's {@code cinder-manage service remove}. */
public final class ServiceRemoveCommand {
    private static final String DESCRIPTION =
            """
            Deletes the row of a service that is gone for good (Cinder: cinder-manage service remove BINARY HOST),
            so that service listings stop showing it as down.

            Refused, changing nothing, while the service is alive (its key in etcd: members/<cluster>/<host> for a
            volume service, services/<binary>/<host> for the others) or while workers rows still belong to it
            (operations it did not finish: run cinder work-cleanup first, so that a live member finishes them).
            The delete itself is conditional on no workers row, so a row that appears meanwhile makes it change
            nothing.""";

    private ServiceRemoveCommand() {}

    public static Command<Invocation> command() {
        return Command.named("remove")
                .summary("delete the row of a stopped service (no workers rows left)")
                .synopsis("[BINARY] HOST")
                .description(DESCRIPTION)
                .optionalArgument(
                        "BINARY",
                        "volume (default), scheduler, replication or api; Cinder's cinder-volume and"
                                + " cinder-scheduler are accepted too")
                .argument("HOST", "the service's host, e.g. node3@fs1")
                .runs(ServiceRemoveCommand::run);
    }

    private static int run(Invocation invocation) throws UsageException {
        String given = invocation.args().optionalArgument("BINARY").orElse(ServiceBinary.VOLUME.stored());
        ServiceBinary binary = ServiceBinary.parse(given)
                .orElseThrow(() -> invocation.usageError("unknown binary '" + given
                        + "' (one of: volume, scheduler, replication, api; or cinder-volume, cinder-scheduler)"));
        String host = invocation.args().argument("HOST");
        Names.check(invocation, "HOST", host);
        return new ServiceRemoval(invocation.dependencies(), invocation.out()).remove(binary, given, host);
    }
}
