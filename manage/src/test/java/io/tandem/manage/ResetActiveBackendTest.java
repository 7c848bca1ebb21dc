package io.tandem.manage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.membership.EpochRecord;
import io.tandem.membership.Registration;
import io.tandem.persistence.cluster.ClusterRow;
import io.tandem.persistence.service.ServiceRow;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code db reset-active-backend} through the real entry point, against a real PostgreSQL and etcd: each refusal with
 * its own message and nothing changed (the rows reloaded), the defaults, every argument honoured, both ways of naming
 * the scope, the dry run, and the epoch key.
 */
class ResetActiveBackendTest {
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static ManageFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new ManageFixture();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    /** A cluster after a failover to "secondary", with two members, its sites, ready for the reset or not. */
    private record FailedOverCluster(String name, String node1, String node2) {
        List<String> hosts() {
            return List.of(node1, node2);
        }
    }

    private static FailedOverCluster failedOverCluster(boolean disabled, boolean frozen) {
        int n = NAMES.incrementAndGet();
        String name = "cluster" + n + "@fs" + n;
        FailedOverCluster cluster = new FailedOverCluster(name, "node1-" + n + "@fs" + n, "node2-" + n + "@fs" + n);
        fixture.cluster(name, disabled, frozen, "failed-over", "secondary", 4);
        fixture.service(cluster.node1(), "volume", name, false, frozen, "failed-over", "secondary", 4);
        // A member fenced after the failover: its row is in error at the old epoch.
        fixture.service(cluster.node2(), "volume", name, true, frozen, "error", null, 3);
        fixture.site(name, "default", "/sites/a" + n, true);
        fixture.site(name, "secondary", "/sites/b" + n, false);
        return cluster;
    }

    /** Everything the reset could change, reloaded: equal before and after a refused run. */
    private static String state(FailedOverCluster cluster) {
        return fixture.clusterRow(cluster.name()).toString()
                + fixture.servicesOf(cluster.name())
                + fixture.sites(cluster.name())
                + fixture.epochKey(cluster.name());
    }

    private static void assertRefused(ManageFixture.Run run, String... fragments) {
        assertEquals(ExitStatus.REFUSED, run.status(), run::toString);
        assertEquals(1, run.errLines().size(), () -> "one line on stderr: " + run);
        assertTrue(run.err().startsWith("tandem-manage: "), run::toString);
        for (String fragment : fragments) {
            assertTrue(run.err().contains(fragment), () -> "'" + fragment + "' in " + run);
        }
        assertTrue(run.err().contains("nothing changed"), run::toString);
    }

    @Test
    void refusesWhileAVolumeServiceOfTheClusterRuns() {
        FailedOverCluster cluster = failedOverCluster(true, true);
        String before = state(cluster);
        try (Registration running = fixture.runningMember(cluster.name(), cluster.node2())) {
            assertTrue(running.isLive(), "the fake service is running");
            ManageFixture.Run run = fixture.manage("db", "reset-active-backend", "--cluster", cluster.name());
            assertRefused(run, "cluster " + cluster.name() + " is running", cluster.node2(), "stop them first");
            assertFalse(run.err().contains(cluster.node1()), "only the live host is named: " + run);
            ManageFixture.Run dryRun =
                    fixture.manage("db", "reset-active-backend", "--cluster", cluster.name(), "--dry-run");
            assertRefused(dryRun, "is running");
        }
        assertEquals(before, state(cluster));
    }

    @Test
    void refusesWhileTheClusterIsEnabledEvenIfItsServicesAreDisabled() {
        FailedOverCluster cluster = failedOverCluster(false, true);
        fixture.sql("UPDATE services SET disabled = true WHERE cluster_name = ?", cluster.name());
        String before = state(cluster);

        ManageFixture.Run run = fixture.manage("db", "reset-active-backend", "--cluster", cluster.name());

        assertRefused(run, "cluster " + cluster.name() + " is enabled", "cinder cluster-disable " + cluster.name());
        assertEquals(before, state(cluster));
    }

    @Test
    void refusesWhileTheClusterIsNotFrozen() {
        FailedOverCluster cluster = failedOverCluster(true, false);
        String before = state(cluster);

        ManageFixture.Run run = fixture.manage("db", "reset-active-backend", "--cluster", cluster.name());

        assertRefused(
                run,
                "cluster " + cluster.name() + " is not frozen",
                "freeze it first: cinder freeze-host " + cluster.node1(),
                "bin/tandem freeze --cluster " + cluster.name());
        assertEquals(before, state(cluster));
    }

    @Test
    void refusesWhileAFailoverJournalRowIsUnfinished() {
        FailedOverCluster cluster = failedOverCluster(true, true);
        long id = fixture.unfinishedFailover("cluster", cluster.name(), "promoting");
        String before = state(cluster);

        ManageFixture.Run run = fixture.manage("db", "reset-active-backend", "--cluster", cluster.name());

        assertRefused(
                run,
                "cluster " + cluster.name() + " has an unfinished failover journal row " + id,
                "kind failover",
                "phase promoting");
        assertEquals(before, state(cluster));
    }

    @Test
    void refusesWhileAnOperationHoldsTheStatus() {
        FailedOverCluster cluster = failedOverCluster(true, true);
        fixture.sql("UPDATE clusters SET replication_status = 'updating' WHERE name = ?", cluster.name());
        String before = state(cluster);

        ManageFixture.Run run = fixture.manage("db", "reset-active-backend", "--cluster", cluster.name());

        assertRefused(run, "cluster " + cluster.name() + " is in replication status updating");
        assertEquals(before, state(cluster));
    }

    @Test
    void checksInOrderRunningFirstThenDisabledThenFrozenThenJournal() {
        FailedOverCluster cluster = failedOverCluster(false, false);
        fixture.unfinishedFailover("cluster", cluster.name(), "claimed");
        try (Registration running = fixture.runningMember(cluster.name(), cluster.node1())) {
            assertTrue(running.isLive(), "the fake service is running");
            assertRefused(fixture.manage("db", "reset-active-backend", "--cluster", cluster.name()), "is running");
        }
        assertRefused(fixture.manage("db", "reset-active-backend", "--cluster", cluster.name()), "is enabled");
        fixture.sql("UPDATE clusters SET disabled = true WHERE name = ?", cluster.name());
        assertRefused(fixture.manage("db", "reset-active-backend", "--cluster", cluster.name()), "is not frozen");
        fixture.sql("UPDATE clusters SET frozen = true WHERE name = ?", cluster.name());
        assertRefused(
                fixture.manage("db", "reset-active-backend", "--cluster", cluster.name()),
                "unfinished failover journal row");
    }

    @Test
    void resetsToTheDefaultsTheClusterItsServicesAndItsSites() {
        FailedOverCluster cluster = failedOverCluster(true, true);
        fixture.site("other@fs", "secondary", "/sites/other", false);
        ClusterRow before = fixture.clusterRow(cluster.name());
        List<ServiceRow> servicesBefore = fixture.servicesOf(cluster.name());

        ManageFixture.Run run = fixture.manage("db", "reset-active-backend", "--cluster", cluster.name());

        assertEquals(ExitStatus.DONE, run.status(), run::toString);
        assertEquals("", run.err());
        ClusterRow after = fixture.clusterRow(cluster.name());
        assertEquals("disabled", after.replicationStatus());
        assertNull(after.activeBackendId());
        assertEquals(before.epoch() + 1, after.epoch());
        assertTrue(after.disabled() && after.frozen(), "disabled and frozen are the admin's to clear");
        List<ServiceRow> services = fixture.servicesOf(cluster.name());
        assertEquals(2, services.size());
        for (int i = 0; i < services.size(); i++) {
            ServiceRow service = services.get(i);
            assertEquals("disabled", service.replicationStatus(), service::toString);
            assertNull(service.activeBackendId(), service::toString);
            assertEquals(after.epoch(), service.epoch(), service::toString);
            assertEquals(servicesBefore.get(i).disabled(), service.disabled(), "disabled untouched");
            assertEquals(servicesBefore.get(i).frozen(), service.frozen(), "frozen untouched");
        }
        assertEquals(List.of(), fixture.sites(cluster.name()));
        assertEquals(List.of("secondary@/sites/other/target"), fixture.sites("other@fs"), "other scopes untouched");
        assertEquals(Optional.of(new EpochRecord(after.epoch(), null)), fixture.epochKey(cluster.name()));

        assertTrue(run.out().contains("Reset cluster " + cluster.name()), run::toString);
        assertTrue(
                run.out()
                        .contains("replication_status failed-over -> disabled, active_backend_id secondary ->"
                                + " NULL, epoch 4 -> 5"),
                run::toString);
        assertTrue(
                run.out()
                        .contains("replication_status error -> disabled, active_backend_id NULL (unchanged),"
                                + " epoch 3 -> 5"),
                run::toString);
        assertTrue(run.out().contains("backend_id secondary (target, /sites/b"), run::toString);
        assertTrue(
                run.out().contains("etcd: " + fixture.prefix + "/epochs/" + cluster.name() + " = epoch 5"),
                run::toString);
        assertTrue(run.out().contains("Next steps:"), run::toString);
        assertTrue(run.out().contains("cinder thaw-host " + cluster.node1()), run::toString);
        assertTrue(run.out().contains("cinder cluster-enable " + cluster.name()), run::toString);
    }

    @Test
    void honoursEveryArgument() {
        FailedOverCluster cluster = failedOverCluster(true, true);

        ManageFixture.Run run = fixture.manage(
                "db",
                "reset-active-backend",
                "--cluster",
                cluster.name(),
                "--replication-status",
                "enabled",
                "--active-backend-id",
                "site-b");

        assertEquals(ExitStatus.DONE, run.status(), run::toString);
        ClusterRow after = fixture.clusterRow(cluster.name());
        assertEquals("enabled", after.replicationStatus());
        assertEquals("site-b", after.activeBackendId());
        assertEquals(5, after.epoch());
        for (ServiceRow service : fixture.servicesOf(cluster.name())) {
            assertEquals("enabled", service.replicationStatus(), service::toString);
            assertEquals("site-b", service.activeBackendId(), service::toString);
            assertEquals(5, service.epoch(), service::toString);
        }
        assertEquals(Optional.of(new EpochRecord(5, "site-b")), fixture.epochKey(cluster.name()));
    }

    @Test
    void defaultAndEmptyActiveBackendIdMeanThePrimary() {
        for (String none : List.of("default", "")) {
            FailedOverCluster cluster = failedOverCluster(true, true);
            ManageFixture.Run run = fixture.manage(
                    "db",
                    "reset-active-backend",
                    "--cluster=" + cluster.name(),
                    "--replication-status=failed-over",
                    "--active-backend-id=" + none);
            assertEquals(ExitStatus.DONE, run.status(), run::toString);
            ClusterRow after = fixture.clusterRow(cluster.name());
            assertEquals("failed-over", after.replicationStatus());
            assertNull(after.activeBackendId(), "'" + none + "' is stored as NULL");
        }
    }

    @Test
    void aClusteredBackendHostStandsForItsCluster() {
        FailedOverCluster cluster = failedOverCluster(true, true);

        ManageFixture.Run run = fixture.manage("db", "reset-active-backend", "--backend-host", cluster.node2());

        assertEquals(ExitStatus.DONE, run.status(), run::toString);
        assertTrue(
                run.out()
                        .contains("Host " + cluster.node2() + " belongs to cluster " + cluster.name()
                                + ": the cluster row is authoritative"),
                run::toString);
        assertEquals(5, fixture.clusterRow(cluster.name()).epoch());
        for (ServiceRow service : fixture.servicesOf(cluster.name())) {
            assertEquals(5, service.epoch(), "every member of the cluster: " + service);
            assertEquals("disabled", service.replicationStatus());
        }
        assertEquals(List.of(), fixture.sites(cluster.name()));
        assertTrue(run.out().contains("cinder thaw-host " + cluster.node2()), "the host named: " + run);
    }

    @Test
    void aNonClusteredBackendHostIsItsOwnScope() {
        int n = NAMES.incrementAndGet();
        String host = "solo" + n + "@fs" + n;
        String neighbour = "neighbour" + n + "@fs" + n;
        fixture.service(host, "volume", null, false, false, "failed-over", "secondary", 2);
        fixture.service(neighbour, "volume", null, true, true, "failed-over", "secondary", 2);
        fixture.site(host, "default", "/sites/solo-a", true);
        fixture.site(host, "secondary", "/sites/solo-b", false);

        ManageFixture.Run enabled = fixture.manage("db", "reset-active-backend", "--backend-host", host);
        assertRefused(enabled, "host " + host + " is enabled", "cinder service-disable " + host + " cinder-volume");
        fixture.sql("UPDATE services SET disabled = true WHERE host = ?", host);
        ManageFixture.Run thawed = fixture.manage("db", "reset-active-backend", "--backend-host", host);
        assertRefused(thawed, "host " + host + " is not frozen", "cinder freeze-host " + host);
        fixture.sql("UPDATE services SET frozen = true WHERE host = ?", host);
        try (Registration running = fixture.runningMember(null, host)) {
            assertTrue(running.isLive(), "the fake service is running");
            assertRefused(
                    fixture.manage("db", "reset-active-backend", "--backend-host", host),
                    "host " + host + " is running");
        }
        assertEquals(2, fixture.serviceRow(host, "volume").orElseThrow().epoch(), "refusals changed nothing");

        ManageFixture.Run run = fixture.manage("db", "reset-active-backend", "--backend-host", host);

        assertEquals(ExitStatus.DONE, run.status(), run::toString);
        assertFalse(run.out().contains("belongs to cluster"), run::toString);
        ServiceRow after = fixture.serviceRow(host, "volume").orElseThrow();
        assertEquals("disabled", after.replicationStatus());
        assertNull(after.activeBackendId());
        assertEquals(3, after.epoch());
        assertTrue(after.disabled() && after.frozen());
        assertEquals(List.of(), fixture.sites(host));
        assertEquals(Optional.of(new EpochRecord(3, null)), fixture.epochKey(host));
        ServiceRow untouched = fixture.serviceRow(neighbour, "volume").orElseThrow();
        assertEquals("failed-over", untouched.replicationStatus());
        assertEquals(2, untouched.epoch());
        assertTrue(run.out().contains("cinder service-enable " + host + " cinder-volume"), run::toString);
        assertTrue(run.out().contains("bin/tandem thaw --host " + host), run::toString);
    }

    @Test
    void dryRunPrintsTheRowsAndChangesNothing() {
        FailedOverCluster cluster = failedOverCluster(true, true);
        String before = state(cluster);

        ManageFixture.Run run = fixture.manage(
                "db", "reset-active-backend", "--cluster", cluster.name(), "--dry-run", "--active-backend-id", "b");

        assertEquals(ExitStatus.DONE, run.status(), run::toString);
        assertEquals("", run.err());
        assertEquals(before, state(cluster));
        assertEquals(Optional.empty(), fixture.epochKey(cluster.name()));
        String out = run.out();
        assertTrue(out.startsWith("Dry run: nothing was changed."), out);
        assertTrue(
                out.contains("clusters ")
                        && out.contains(cluster.name() + "  replication_status failed-over ->"
                                + " disabled, active_backend_id secondary -> b, epoch 4 -> 5"),
                out);
        for (String host : cluster.hosts()) {
            assertTrue(out.contains("services ") && out.contains(host), out);
        }
        assertTrue(out.contains("backend_id default (primary, /sites/a"), out);
        assertTrue(out.contains("backend_id secondary (target, /sites/b"), out);
        assertTrue(
                out.contains("It would then write the etcd epoch key " + fixture.prefix + "/epochs/" + cluster.name()
                        + ": epoch 5, active backend b."),
                out);
        assertFalse(out.contains("Next steps"), out);
    }

    @Test
    void aSecondResetFindsNothingToChange() {
        FailedOverCluster cluster = failedOverCluster(true, true);
        assertEquals(
                ExitStatus.DONE,
                fixture.manage("db", "reset-active-backend", "--cluster", cluster.name())
                        .status());
        String after = state(cluster);

        ManageFixture.Run again = fixture.manage("db", "reset-active-backend", "--cluster", cluster.name());

        assertEquals(ExitStatus.DONE, again.status(), again::toString);
        assertTrue(
                again.out().contains("is already reset") && again.out().contains("Nothing to change"), again::toString);
        assertEquals(after, state(cluster), "no second epoch");
        ManageFixture.Run other = fixture.manage(
                "db", "reset-active-backend", "--cluster", cluster.name(), "--replication-status", "enabled");
        assertEquals(ExitStatus.DONE, other.status(), other::toString);
        assertEquals(6, fixture.clusterRow(cluster.name()).epoch(), "another status is another reset");
    }

    @Test
    void refusesUnknownScopesNamingThem() {
        ManageFixture.Run cluster = fixture.manage("db", "reset-active-backend", "--cluster", "nowhere@fs");
        assertRefused(cluster, "no volume cluster named nowhere@fs");
        ManageFixture.Run host = fixture.manage("db", "reset-active-backend", "--backend-host", "ghost@fs");
        assertRefused(host, "no volume service on host ghost@fs");
        String scheduler = "sched" + NAMES.incrementAndGet() + "@host";
        fixture.service(scheduler, "scheduler", null, true, true, "not-capable", null, 0);
        assertRefused(
                fixture.manage("db", "reset-active-backend", "--backend-host", scheduler),
                "no volume service on host " + scheduler);
    }

    @Test
    void anEpochKeyThatCannotBeWrittenIsAWarningNotAFailure() {
        FailedOverCluster cluster = failedOverCluster(true, true);
        // etcd already says epoch 5 with another backend: the write is refused; the database stays authoritative.
        fixture.membership.epochs().write(cluster.name(), new EpochRecord(5, "elsewhere"));

        ManageFixture.Run run = fixture.manage("db", "reset-active-backend", "--cluster", cluster.name());

        assertEquals(ExitStatus.DONE, run.status(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(
                run.err()
                        .startsWith("tandem-manage: warning: the database is reset, but the etcd epoch key "
                                + fixture.prefix + "/epochs/" + cluster.name() + " was not written"),
                run::toString);
        assertEquals(5, fixture.clusterRow(cluster.name()).epoch());
        assertEquals(List.of(), fixture.sites(cluster.name()));
        assertTrue(run.out().contains("Next steps:"), run::toString);
    }
}
