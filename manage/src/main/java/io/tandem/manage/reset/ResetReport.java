package io.tandem.manage.reset;

import io.tandem.persistence.service.ServiceRow;
import io.tandem.persistence.targets.SiteRow;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** How a reset reads on stdout: the rows (old → new), the epoch key, and the operator's next steps. */
final class ResetReport {
    /** How a NULL column reads: the active backend id NULL means the primary. */
    static final String NULL = "NULL";

    private ResetReport() {}

    /** One line per row: the scope row, each service, each replication_targets row deleted. */
    static void rows(PrintStream out, ResetRows rows) {
        List<String[]> lines = new ArrayList<>();
        ScopeRow scopeRow = rows.scopeRow();
        lines.add(new String[] {
            scopeRow.table(),
            scopeRow.name(),
            changes(scopeRow.replicationStatus(), scopeRow.activeBackendId(), scopeRow.epoch(), rows)
        });
        for (ServiceRow service : rows.services()) {
            lines.add(new String[] {
                "services",
                service.host(),
                changes(service.replicationStatus(), service.activeBackendId(), service.epoch(), rows)
            });
        }
        for (SiteRow site : rows.sites()) {
            lines.add(new String[] {
                "replication_targets",
                rows.scope().name(),
                "backend_id " + site.backendId() + " (" + (site.primary() ? "primary" : "target") + ", "
                        + site.location() + "): deleted"
            });
        }
        int table = lines.stream().mapToInt(l -> l[0].length()).max().orElse(0);
        int name = lines.stream().mapToInt(l -> l[1].length()).max().orElse(0);
        for (String[] line : lines) {
            out.println("  " + pad(line[0], table) + "  " + pad(line[1], name) + "  " + line[2]);
        }
        if (rows.sites().isEmpty()) {
            out.println("  (no replication_targets rows to delete)");
        }
    }

    /** The scope's state when there is nothing to change. */
    static String state(ScopeRow row) {
        return "replication_status " + row.replicationStatus() + ", active_backend_id " + orNull(row.activeBackendId())
                + ", epoch " + row.epoch();
    }

    /** The epoch record written to etcd, in words. */
    static String epochRecord(long epoch, String activeBackendId) {
        return "epoch " + epoch + ", active backend " + (activeBackendId == null ? "(primary)" : activeBackendId);
    }

    /** What the operator does after a reset: start, thaw, enable, in that order (a thaw needs a running member). */
    static void nextSteps(PrintStream out, ScopeSnapshot snapshot) {
        Scope scope = snapshot.scope();
        out.println("Next steps:");
        if (scope.isCluster()) {
            out.println("  1. Start the volume services of cluster " + scope.name() + " with their edited"
                    + " configuration: the first start seeds replication_targets from it and runs the driver's"
                    + " updateHostReplication.");
            String tandem = "bin/tandem thaw --cluster " + scope.name();
            out.println("  2. Thaw it: "
                    + snapshot.anyHost()
                            .map(host -> "cinder thaw-host " + host + " (a host stands for its cluster) or " + tandem)
                            .orElse(tandem));
            out.println("  3. Enable it: cinder cluster-enable " + scope.name());
        } else {
            out.println("  1. Start the volume service on host " + scope.name() + " with its edited configuration:"
                    + " its start seeds replication_targets from it and runs the driver's updateHostReplication.");
            out.println(
                    "  2. Thaw it: cinder thaw-host " + scope.name() + " or bin/tandem thaw --host " + scope.name());
            out.println("  3. Enable it: cinder service-enable " + scope.name() + " cinder-volume");
        }
    }

    private static String changes(String status, String activeBackendId, long epoch, ResetRows rows) {
        return "replication_status " + change(status, rows.replicationStatus()) + ", active_backend_id "
                + change(orNull(activeBackendId), orNull(rows.activeBackendId())) + ", epoch "
                + change(Long.toString(epoch), Long.toString(rows.newEpoch()));
    }

    private static String change(String from, String to) {
        return Objects.equals(from, to) ? from + " (unchanged)" : from + " -> " + to;
    }

    private static String orNull(String value) {
        return value == null ? NULL : value;
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(width - text.length());
    }
}
