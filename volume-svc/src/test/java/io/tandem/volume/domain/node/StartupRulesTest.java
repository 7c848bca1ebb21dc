package io.tandem.volume.domain.node;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.core.error.FailedPreconditionException;
import io.tandem.driver.DriverCapabilities;
import io.tandem.volume.config.ReplicationTargetConfiguration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Step 3 of the start, for driver capabilities the reference drivers do not have. */
class StartupRulesTest {
    private static final NodeIdentity CLUSTERED = new NodeIdentity(1, "n1@b", "c1@b", "b", Instant.EPOCH);
    private static final NodeIdentity ALONE = new NodeIdentity(2, "solo@b", null, "b", Instant.EPOCH);

    @Test
    void aClusterNeedsAnActiveActiveDriver() {
        var single = new DriverCapabilities("single", false, true, false);
        var refused =
                assertThrows(FailedPreconditionException.class, () -> StartupRules.check(CLUSTERED, single, List.of()));
        assertTrue(refused.getMessage().contains("does not support Active/Active"), refused.getMessage());
        assertDoesNotThrow(() -> StartupRules.check(ALONE, single, List.of(target())));
    }

    @Test
    void clusteredReplicationNeedsActiveActiveReplication() {
        var noAaReplication = new DriverCapabilities("aa", true, true, false);
        var refused = assertThrows(
                FailedPreconditionException.class,
                () -> StartupRules.check(CLUSTERED, noAaReplication, List.of(target())));
        assertTrue(refused.getMessage().contains(StartupRules.NO_CLUSTERED_REPLICATION));
        assertDoesNotThrow(() -> StartupRules.check(CLUSTERED, noAaReplication, List.of()));
        assertDoesNotThrow(() ->
                StartupRules.check(CLUSTERED, new DriverCapabilities("full", true, true, true), List.of(target())));
    }

    private static ReplicationTargetConfiguration target() {
        ReplicationTargetConfiguration target = new ReplicationTargetConfiguration(0);
        target.setBackendId("secondary");
        target.setLocation("/sites/b");
        return target;
    }
}
