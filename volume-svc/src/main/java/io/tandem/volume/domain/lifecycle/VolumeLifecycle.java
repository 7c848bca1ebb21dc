package io.tandem.volume.domain.lifecycle;

import io.tandem.core.error.FailedPreconditionException;
import io.tandem.core.error.InvalidArgumentException;
import io.tandem.core.error.NotFoundException;
import io.tandem.driver.DriverException;
import io.tandem.driver.VolumeDriver;
import io.tandem.driver.VolumeSpec;
import io.tandem.persistence.volume.VolumeRepository;
import io.tandem.persistence.volume.VolumeRow;
import io.tandem.persistence.workers.WorkerRow;
import io.tandem.volume.domain.node.CapacityPublisher;
import io.tandem.volume.domain.node.NodeState;
import io.tandem.volume.domain.node.ServingNode;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Create, delete and extend on this node, following docs/volume-protocol.md: the scheduler has moved the volume to the
 * working status of {@link VolumeOperation} with its workers row; the node takes the row ({@link WorkerTakeover}),
 * runs the driver outside any transaction, and records the outcome ({@link VolumeWrites}). A driver failure is an
 * outcome, not an error of the call: the volume goes to the failure status with a reason and the row is returned.
 */
@Singleton
public class VolumeLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeLifecycle.class);

    /** One driver call; returns the columns to set on success. */
    @FunctionalInterface
    private interface DriverStep {
        Map<String, Object> run(VolumeDriver driver, VolumeSpec volume);
    }

    private final NodeState state;
    private final InFlightVolumes inFlight;
    private final CapacityPublisher capacity;
    private final VolumeRepository volumes;
    private final WorkerTakeover takeover;
    private final VolumeWrites writes;

    public VolumeLifecycle(
            DataSource dataSource, NodeState state, InFlightVolumes inFlight, CapacityPublisher capacity) {
        this.state = state;
        this.inFlight = inFlight;
        this.capacity = capacity;
        this.volumes = new VolumeRepository(dataSource);
        this.takeover = new WorkerTakeover(dataSource);
        this.writes = new VolumeWrites(dataSource);
    }

    /**
     * Creates a placed volume; an {@code available} one is returned as it is (the call is a retry).
     *
     * @return the row: available, or error when the driver failed
     */
    public VolumeRow create(String volumeId, OptionalLong expectedEpoch) {
        ServingNode node = admit(expectedEpoch);
        VolumeRow volume = load(node, volumeId).orElseThrow(() -> notFound(volumeId));
        if ("available".equals(volume.status())) {
            return volume;
        }
        return run(node, VolumeOperation.CREATE, volume, (driver, spec) -> {
                    String location = driver.createVolume(spec).providerLocation();
                    return Map.of("provider_location", location);
                })
                .orElseThrow();
    }

    /**
     * Deletes a volume in deleting; a volume whose row is gone is deleted already (the call is a retry).
     *
     * @return empty when deleted; the row in error_deleting when the driver failed
     */
    public Optional<VolumeRow> delete(String volumeId, OptionalLong expectedEpoch) {
        ServingNode node = admit(expectedEpoch);
        Optional<VolumeRow> volume = load(node, volumeId);
        if (volume.isEmpty()) {
            return Optional.empty();
        }
        return run(node, VolumeOperation.DELETE, volume.get(), (driver, spec) -> {
            driver.deleteVolume(spec);
            return Map.of();
        });
    }

    /**
     * Grows a volume in extending to {@code newSizeGb}; one already available at that size is returned as it is.
     *
     * @return the row: available at the new size, or error_extending when the driver failed
     */
    public VolumeRow extend(String volumeId, int newSizeGb, OptionalLong expectedEpoch) {
        ServingNode node = admit(expectedEpoch);
        VolumeRow volume = load(node, volumeId).orElseThrow(() -> notFound(volumeId));
        if ("available".equals(volume.status()) && volume.sizeGb() == newSizeGb) {
            return volume;
        }
        if (newSizeGb <= volume.sizeGb()) {
            throw new InvalidArgumentException("new_size_gb " + newSizeGb + " of volume " + volume.id()
                    + " is not greater than its size of " + volume.sizeGb() + " GiB");
        }
        return run(node, VolumeOperation.EXTEND, volume, (driver, spec) -> {
                    driver.extendVolume(spec, newSizeGb);
                    return Map.of("size_gb", newSizeGb);
                })
                .orElseThrow();
    }

    private ServingNode admit(OptionalLong expectedEpoch) {
        ServingNode node = state.requireServing();
        node.checkExpectedEpoch(expectedEpoch);
        return node;
    }

    private Optional<VolumeRow> load(ServingNode node, String volumeId) {
        Optional<VolumeRow> volume = volumes.find(VolumeAccess.parseId(volumeId));
        volume.ifPresent(v -> VolumeAccess.checkBelongs(node.identity(), v));
        return volume;
    }

    private Optional<VolumeRow> run(ServingNode node, VolumeOperation op, VolumeRow volume, DriverStep step) {
        if (!op.workingStatus().equals(volume.status())) {
            throw new FailedPreconditionException("Volume " + volume.id() + " is " + volume.status() + ", not "
                    + op.workingStatus() + "; the scheduler moves it there before asking a node to " + op.verb()
                    + " it");
        }
        try (InFlightVolumes.Ticket ignored = inFlight.enter(volume.id(), op.verb())) {
            WorkerRow held = takeover.take(node, op, volume);
            Map<String, Object> success;
            try {
                success = step.run(node.driver(), VolumeAccess.spec(volume));
            } catch (RuntimeException e) {
                // The driver contract says DriverException; anything else is a driver bug, still an outcome to record.
                if (e instanceof DriverException) {
                    LOG.warn("Driver failed to {} volume {}: {}", op.verb(), volume.id(), e.getMessage());
                } else {
                    LOG.error("Driver bug while trying to {} volume {}", op.verb(), volume.id(), e);
                }
                VolumeRow failed = writes.fail(node, op, volume, held, e.getMessage());
                capacity.changed();
                return Optional.of(failed);
            }
            Optional<VolumeRow> after = writes.succeed(node, op, volume, held, success);
            capacity.changed();
            return after;
        }
    }

    private static NotFoundException notFound(String volumeId) {
        return new NotFoundException("Volume " + UUID.fromString(volumeId) + " could not be found.");
    }
}
