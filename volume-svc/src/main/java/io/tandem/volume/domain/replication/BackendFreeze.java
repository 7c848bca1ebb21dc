package io.tandem.volume.domain.replication;

import io.tandem.driver.DriverException;
import io.tandem.volume.domain.lifecycle.EpochFence;
import io.tandem.volume.domain.lifecycle.ScopeState;
import io.tandem.volume.domain.node.DriverCalls;
import io.tandem.volume.domain.node.NodeState;
import io.tandem.volume.domain.node.ServingNode;
import jakarta.inject.Singleton;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * Freeze and Thaw: tell the storage what replication-svc has decided. The database's {@code frozen} flag, set before
 * freeze and cleared only after a successful thaw, is what refuses management operations; the node only runs the
 * driver, and only while it serves the current epoch unfenced (a stale member's driver may point at the wrong site).
 */
@Singleton
public class BackendFreeze {
    /** Cinder's message when the driver fails to thaw; replication-svc leaves the database frozen. */
    static final String THAW_FAILED = "Backend reported error during thaw_host operation.";

    private final DataSource dataSource;
    private final NodeState state;

    public BackendFreeze(DataSource dataSource, NodeState state) {
        this.dataSource = dataSource;
        this.state = state;
    }

    /** Runs the driver's freezeBackend; a no-op for most drivers. */
    public void freeze(OptionalLong expectedEpoch) {
        ServingNode node = admit(expectedEpoch);
        DriverCalls.run("freezeBackend", () -> node.driver().freezeBackend());
    }

    /**
     * Runs the driver's thawBackend.
     *
     * @throws DriverException with Cinder's message followed by the driver's
     */
    public void thaw(OptionalLong expectedEpoch) {
        ServingNode node = admit(expectedEpoch);
        try {
            DriverCalls.run("thawBackend", () -> node.driver().thawBackend());
        } catch (DriverException e) {
            throw new DriverException(THAW_FAILED + " " + e.getMessage(), e);
        }
    }

    private ServingNode admit(OptionalLong expectedEpoch) {
        ServingNode node = state.requireServing();
        node.checkExpectedEpoch(expectedEpoch);
        EpochFence.of(node).fenced(ScopeState.read(dataSource, node.identity())).ifPresent(refusal -> {
            throw refusal;
        });
        return node;
    }
}
