package io.tandem.manage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.membership.Registration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code service remove}: dead services go, live ones and those holding workers rows stay, unknown ones are named. */
class ServiceRemoveTest {
    private static ManageFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new ManageFixture();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static void assertRefused(ManageFixture.Run run, String... fragments) {
        assertEquals(ExitStatus.REFUSED, run.status(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        for (String fragment : fragments) {
            assertTrue(run.err().contains(fragment), () -> "'" + fragment + "' in " + run);
        }
    }

    @Test
    void removesAStoppedVolumeService() {
        fixture.service("gone1@fs", "volume", "rm@fs", true, false, "enabled", null, 1);
        fixture.service("stays1@fs", "volume", "rm@fs", true, false, "enabled", null, 1);

        ManageFixture.Run run = fixture.manage("service", "remove", "gone1@fs");

        assertEquals(ExitStatus.DONE, run.status(), run::toString);
        assertEquals("Service volume on host gone1@fs removed.\n", run.out());
        assertEquals("", run.err());
        assertTrue(fixture.serviceRow("gone1@fs", "volume").isEmpty());
        assertTrue(fixture.serviceRow("stays1@fs", "volume").isPresent());
    }

    @Test
    void acceptsCindersBinaryNames() {
        fixture.service("gone2@fs", "volume", null, false, false, "not-capable", null, 0);
        fixture.service("gone2@fs", "scheduler", null, false, false, "not-capable", null, 0);

        ManageFixture.Run volume = fixture.manage("service", "remove", "cinder-volume", "gone2@fs");
        assertEquals(ExitStatus.DONE, volume.status(), volume::toString);
        assertEquals("Service cinder-volume on host gone2@fs removed.\n", volume.out());
        assertTrue(fixture.serviceRow("gone2@fs", "volume").isEmpty());
        assertTrue(fixture.serviceRow("gone2@fs", "scheduler").isPresent(), "only the binary named");

        ManageFixture.Run scheduler = fixture.manage("service", "remove", "cinder-scheduler", "gone2@fs");
        assertEquals(ExitStatus.DONE, scheduler.status(), scheduler::toString);
        assertTrue(fixture.serviceRow("gone2@fs", "scheduler").isEmpty());
    }

    @Test
    void refusesALiveVolumeServiceThenRemovesItOnceStopped() {
        fixture.service("live1@fs", "volume", "live@fs", false, false, "enabled", null, 0);
        try (Registration running = fixture.runningMember("live@fs", "live1@fs")) {
            assertTrue(running.isLive(), "the fake service is running");
            ManageFixture.Run run = fixture.manage("service", "remove", "volume", "live1@fs");
            assertRefused(
                    run,
                    "service volume on host live1@fs is running",
                    fixture.prefix + "/members/live@fs/live1@fs",
                    "stop it first");
            assertTrue(fixture.serviceRow("live1@fs", "volume").isPresent());
        }
        ManageFixture.Run run = fixture.manage("service", "remove", "volume", "live1@fs");
        assertEquals(ExitStatus.DONE, run.status(), run::toString);
        assertTrue(fixture.serviceRow("live1@fs", "volume").isEmpty());
    }

    @Test
    void refusesALiveNonClusteredVolumeServiceAndALiveScheduler() {
        fixture.service("live2@fs", "volume", null, false, false, "enabled", null, 0);
        fixture.service("sched1", "scheduler", null, false, false, "not-capable", null, 0);
        try (Registration node = fixture.runningMember(null, "live2@fs");
                Registration scheduler = fixture.runningService("scheduler", "sched1")) {
            assertTrue(node.isLive() && scheduler.isLive(), "the fake services are running");
            assertRefused(
                    fixture.manage("service", "remove", "live2@fs"),
                    "is running",
                    fixture.prefix + "/members/_/live2@fs");
            assertRefused(
                    fixture.manage("service", "remove", "scheduler", "sched1"),
                    "service scheduler on host sched1 is running",
                    fixture.prefix + "/services/scheduler/sched1");
        }
        assertTrue(fixture.serviceRow("live2@fs", "volume").isPresent());
        assertTrue(fixture.serviceRow("sched1", "scheduler").isPresent());
    }

    @Test
    void refusesWhileWorkersRowsBelongToIt() {
        int id = fixture.service("busy1@fs", "volume", "busy@fs", false, false, "enabled", null, 0);
        fixture.worker(id);
        fixture.worker(id);

        ManageFixture.Run run = fixture.manage("service", "remove", "busy1@fs");

        assertRefused(run, "still holds 2 workers row(s)", "cinder work-cleanup --host busy1@fs", "nothing changed");
        assertTrue(fixture.serviceRow("busy1@fs", "volume").isPresent());
        fixture.sql("DELETE FROM workers WHERE service_id = ?", id);
        assertEquals(
                ExitStatus.DONE, fixture.manage("service", "remove", "busy1@fs").status());
    }

    @Test
    void refusesAnUnknownHostNamingIt() {
        fixture.service("known@fs", "scheduler", null, false, false, "not-capable", null, 0);

        assertRefused(fixture.manage("service", "remove", "nobody@fs"), "no volume service on host nobody@fs");
        assertRefused(fixture.manage("service", "remove", "known@fs"), "no volume service on host known@fs");
    }

    @Test
    void anUnknownBinaryIsAUsageError() {
        ManageFixture.Run run = fixture.manage("service", "remove", "cinder-backup", "x@fs");
        assertEquals(ExitStatus.USAGE, run.status(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().contains("unknown binary 'cinder-backup'"), run::toString);
    }
}
