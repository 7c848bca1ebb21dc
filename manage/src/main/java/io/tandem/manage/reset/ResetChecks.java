package io.tandem.manage.reset;

import io.tandem.manage.RefusedException;
import java.util.List;

/**
 * The preconditions of a reset, checked in a fixed order so that the operator fixes one thing at a time, each with a
 * message of its own naming the scope and what to do. The reset goes behind the services' back, so every one of them
 * must be stopped; disabled and frozen are Cinder's own preconditions (they keep new work and management operations
 * away once the services start again); an unfinished journal row or a held status means an operation still owns the
 * backend.
 */
final class ResetChecks {
    private ResetChecks() {}

    /**
     * Refuses unless every precondition holds.
     *
     * @param liveHosts the hosts of the scope's volume services that have a member key in etcd
     */
    static void verify(ScopeSnapshot snapshot, List<String> liveHosts) {
        Scope scope = snapshot.scope();
        ScopeRow row = snapshot.row();
        if (!liveHosts.isEmpty()) {
            throw new RefusedException(
                    scope.describe() + " is running: volume service(s) " + String.join(", ", liveHosts)
                            + " still have a member key in etcd; stop them first (the reset is an offline repair); nothing"
                            + " changed");
        }
        if (!row.disabled()) {
            throw new RefusedException(
                    scope.describe() + " is enabled; disable it first: " + disableCommand(scope) + "; nothing changed");
        }
        if (!row.frozen()) {
            throw new RefusedException(scope.describe() + " is not frozen; freeze it first: " + freezeCommand(snapshot)
                    + "; nothing changed");
        }
        if (snapshot.unfinished().isPresent()) {
            JournalRow journal = snapshot.unfinished().get();
            throw new RefusedException(scope.describe() + " has an unfinished failover journal row " + journal.id()
                    + " (kind " + journal.kind() + ", phase " + journal.phase() + "); let replication-svc finish it"
                    + " first (bin/tandem failover-journal show " + journal.id() + "); nothing changed");
        }
        if (ReplicationStatuses.HELD_BY_AN_OPERATION.contains(row.replicationStatus())) {
            throw new RefusedException(scope.describe() + " is in replication status " + row.replicationStatus()
                    + ", which an operation holds; start its volume services so that it finishes (a start finishes"
                    + " or takes over an updating claim), stop them again, then reset; nothing changed");
        }
    }

    private static String disableCommand(Scope scope) {
        return scope.isCluster()
                ? "cinder cluster-disable " + scope.name()
                : "cinder service-disable " + scope.name() + " cinder-volume";
    }

    private static String freezeCommand(ScopeSnapshot snapshot) {
        Scope scope = snapshot.scope();
        if (!scope.isCluster()) {
            return "cinder freeze-host " + scope.name();
        }
        String tandem = "bin/tandem freeze --cluster " + scope.name();
        // Cinder's freeze-host takes a host, and a host stands for its whole cluster.
        return snapshot.anyHost()
                .map(host -> "cinder freeze-host " + host + " (it freezes the whole cluster) or " + tandem)
                .orElse(tandem);
    }
}
