package io.tandem.volume.domain.lifecycle;

import io.tandem.core.error.FailedPreconditionException;
import io.tandem.core.error.NotFoundException;
import io.tandem.driver.ConnectionInfo;
import io.tandem.persistence.volume.VolumeRepository;
import io.tandem.persistence.volume.VolumeRow;
import io.tandem.volume.domain.node.NodeState;
import io.tandem.volume.domain.node.ServingNode;
import jakarta.inject.Singleton;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * InitializeConnection: how a consumer attaches a volume on the site this node's driver serves. Not a management
 * operation (allowed on a frozen backend, writes nothing), but a stale or fenced node refuses: its driver may point at
 * the site the cluster has failed over from.
 */
@Singleton
public class ConnectionInitializer {
    private static final Set<String> ATTACHABLE = Set.of("available", "in-use");

    /** The connection info and what it was built for. */
    public record Connection(ConnectionInfo info, String activeBackendId, long servedEpoch) {}

    private final DataSource dataSource;
    private final NodeState state;
    private final VolumeRepository volumes;

    public ConnectionInitializer(DataSource dataSource, NodeState state) {
        this.dataSource = dataSource;
        this.state = state;
        this.volumes = new VolumeRepository(dataSource);
    }

    public Connection initialize(String volumeId, OptionalLong expectedEpoch) {
        ServingNode node = state.requireServing();
        node.checkExpectedEpoch(expectedEpoch);
        UUID id = VolumeAccess.parseId(volumeId);
        VolumeRow volume =
                volumes.find(id).orElseThrow(() -> new NotFoundException("Volume " + id + " could not be found."));
        VolumeAccess.checkBelongs(node.identity(), volume);
        if (!ATTACHABLE.contains(volume.status())) {
            throw new FailedPreconditionException(
                    "Volume " + id + " is " + volume.status() + "; only an available volume can be attached");
        }
        EpochFence.of(node).fenced(ScopeState.read(dataSource, node.identity())).ifPresent(stale -> {
            throw stale;
        });
        ConnectionInfo info = node.driver().initializeConnection(VolumeAccess.spec(volume));
        return new Connection(
                info, node.served().activeBackendId(), node.served().epoch());
    }
}
