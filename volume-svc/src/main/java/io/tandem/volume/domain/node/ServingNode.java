package io.tandem.volume.domain.node;

import io.tandem.core.error.FailedPreconditionException;
import io.tandem.driver.DriverContext;
import io.tandem.driver.VolumeDriver;
import java.util.OptionalLong;

/**
 * A consistent view of a started node for one call: its identity, what it serves and the driver serving it. Taken once
 * per call from {@link NodeState}, so that a call never mixes the epoch of one moment with the driver of another.
 */
public record ServingNode(
        NodeIdentity identity, ServedBackend served, VolumeDriver driver, DriverContext driverContext) {

    /**
     * Refuses a call whose caller expects another epoch than the one served (the proto's {@code expected_epoch}).
     *
     * @throws FailedPreconditionException naming both epochs
     */
    public void checkExpectedEpoch(OptionalLong expected) {
        if (expected.isPresent() && expected.getAsLong() != served.epoch()) {
            throw new FailedPreconditionException(identity.describe() + " serves epoch " + served.epoch()
                    + ", not the expected epoch " + expected.getAsLong());
        }
    }
}
