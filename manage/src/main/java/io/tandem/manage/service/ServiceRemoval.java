package io.tandem.manage.service;

import io.tandem.core.ServiceBinary;
import io.tandem.manage.Dependencies;
import io.tandem.manage.ExitStatus;
import io.tandem.manage.RefusedException;
import io.tandem.membership.EtcdKeys;
import io.tandem.membership.EtcdMembership;
import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.persistence.service.ServiceRow;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Removes a service's row. Cinder's version deletes whatever it is given; here a service that is alive would register
 * again and a workers row would lose its holder (the foreign key sets it NULL, hiding the unfinished operation from
 * its cluster's cleanup), so both refuse.
 */
public final class ServiceRemoval {
    private static final String SERVICE = "SELECT * FROM services WHERE host = ? AND binary_name = ?";
    private static final String WORKERS = "SELECT count(*) FROM workers WHERE service_id = ?";
    // Conditional on what was checked: the row is still the one read, and still holds no workers row.
    private static final String DELETE = "DELETE FROM services WHERE id = ? AND host = ? AND binary_name = ?"
            + " AND NOT EXISTS (SELECT 1 FROM workers w WHERE w.service_id = services.id)";

    private final Dependencies dependencies;
    private final PrintStream out;

    public ServiceRemoval(Dependencies dependencies, PrintStream out) {
        this.dependencies = dependencies;
        this.out = out;
    }

    /**
     * Removes the service of {@code binary} on {@code host}; returns the exit status, refusals are thrown.
     *
     * @param given the binary as the operator typed it, for the messages (Cinder prints it so)
     */
    public int remove(ServiceBinary binary, String given, String host) {
        DataSource database = dependencies.database();
        String what = "service " + given + " on host " + host;
        ServiceRow service = Transactions.withConnection(database, c -> find(c, binary, host))
                .orElseThrow(() -> new RefusedException("no " + given + " service on host " + host
                        + " (cinder service-list lists the services); nothing changed"));
        String liveKey = liveKey(binary, service);
        if (liveKey != null) {
            throw new RefusedException(
                    what + " is running (its key " + liveKey + " is in etcd); stop it first;" + " nothing changed");
        }
        long workers = Transactions.withConnection(database, c -> workers(c, service.id()));
        if (workers > 0) {
            throw new RefusedException(what + " still holds " + workers + " workers row(s) (operations it did not"
                    + " finish); run `cinder work-cleanup --host " + host + "` first; nothing changed");
        }
        int deleted = Transactions.withConnection(
                database, c -> Queries.update(c, DELETE, service.id(), host, binary.stored()));
        if (deleted != 1) {
            throw new RefusedException(what + " changed while it was being removed (a workers row appeared or the row"
                    + " went); nothing changed; run the command again");
        }
        out.println("Service " + given + " on host " + host + " removed.");
        return ExitStatus.DONE;
    }

    /** The etcd key that says the service is alive, or null when it has none. */
    private String liveKey(ServiceBinary binary, ServiceRow service) {
        EtcdMembership etcd = dependencies.etcd();
        EtcdKeys keys = etcd.keys();
        if (binary == ServiceBinary.VOLUME) {
            // A volume node registers under its cluster, or under "_" when it is not clustered.
            return etcd.member(service.clusterName(), service.host()).isPresent()
                    ? keys.member(service.clusterName(), service.host())
                    : null;
        }
        boolean live = etcd.liveServices(binary).stream().anyMatch(s -> s.host().equals(service.host()));
        return live ? keys.service(binary.stored(), service.host()) : null;
    }

    private static Optional<ServiceRow> find(Connection c, ServiceBinary binary, String host) throws SQLException {
        return Queries.one(c, SERVICE, ServiceRow::from, host, binary.stored());
    }

    private static long workers(Connection c, int serviceId) throws SQLException {
        return Queries.one(c, WORKERS, r -> r.getLong(1), serviceId).orElse(0L);
    }
}
