package io.tandem.volume.domain.node;

import io.tandem.core.error.FailedPreconditionException;
import io.tandem.driver.DriverCapabilities;
import io.tandem.volume.config.ReplicationTargetConfiguration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 3 of the start: configurations a node must refuse to run, each failing the start with one line (Cinder's
 * checks in {@code VolumeManager.__init__} and {@code init_host}).
 */
final class StartupRules {
    /** Cinder's wording when a clustered backend has replication_device set on a driver without "a/a" support. */
    static final String NO_CLUSTERED_REPLICATION = "Driver doesn't support clustered replication.";

    private static final Logger LOG = LoggerFactory.getLogger(StartupRules.class);

    private StartupRules() {}

    /**
     * @param configured the replication targets of the configuration (as Cinder checks {@code replication_device}),
     *     not the table: the rule is about how this process was set up
     * @throws FailedPreconditionException when a clustered node's driver cannot run Active/Active, or cannot
     *     replicate in a cluster while targets are configured
     */
    static void check(NodeIdentity node, DriverCapabilities driver, List<ReplicationTargetConfiguration> configured) {
        if (!node.clustered()) {
            if (!configured.isEmpty() && !driver.supportsReplication()) {
                LOG.warn(
                        "Replication targets {} are configured for {}, but driver '{}' does not replicate; they are"
                                + " recorded and ignored",
                        configured,
                        node.describe(),
                        driver.driverName());
            }
            return;
        }
        if (!driver.supportsActiveActive()) {
            throw new FailedPreconditionException("Cannot start " + node.describe() + ": driver '" + driver.driverName()
                    + "' does not support Active/Active, so it cannot run in a cluster");
        }
        if (!configured.isEmpty() && !driver.supportsActiveActiveReplication()) {
            throw new FailedPreconditionException("Cannot start " + node.describe() + ": "
                    + NO_CLUSTERED_REPLICATION + " Driver '" + driver.driverName()
                    + "' does not declare Active/Active replication, but replication targets are configured "
                    + configured);
        }
    }
}
