package io.tandem.volume.domain.cleanup;

import io.tandem.core.ServiceBinary;
import io.tandem.core.error.InvalidArgumentException;
import io.tandem.membership.EtcdMembership;
import io.tandem.membership.MemberInfo;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.persistence.service.ServiceRepository;
import io.tandem.persistence.service.ServiceRow;
import io.tandem.persistence.workers.WorkerRow;
import io.tandem.persistence.workers.WorkerRows;
import io.tandem.volume.config.VolumeNodeConfiguration;
import io.tandem.volume.domain.lifecycle.VolumeAccess;
import io.tandem.volume.domain.node.NodeExecutors;
import io.tandem.volume.domain.node.NodeIdentity;
import io.tandem.volume.domain.node.NodeState;
import io.tandem.volume.domain.node.ServingNode;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CleanupWorkers (Cinder's {@code do_cleanup} asked for by an admin through WorkCleanup): claims the rows of the given
 * services of this node's cluster (or of the node itself), returns what it took, and finishes them in the background.
 * Rows of a member that is live are left alone, whatever the request says: a live holder is working on them.
 */
@Singleton
public class CleanupRequests {
    private static final Logger LOG = LoggerFactory.getLogger(CleanupRequests.class);
    private static final String VOLUME = ServiceBinary.VOLUME.stored();
    private static final Set<String> RESOURCE_TYPES = Set.of("Volume", "Snapshot");

    /**
     * What to clean.
     *
     * @param serviceIds services whose rows to clean; empty = this node
     * @param until only rows last updated at or before it; empty = now
     */
    public record Request(
            List<Integer> serviceIds,
            Optional<String> resourceType,
            Optional<String> resourceId,
            Optional<Instant> until,
            OptionalLong expectedEpoch) {}

    /** One row this call claimed. */
    public record ClaimedRow(String resourceType, String resourceId, String status, int previousServiceId) {}

    private final EtcdMembership membership;
    private final NodeState state;
    private final WorkerCleaner cleaner;
    private final NodeExecutors executors;
    private final VolumeNodeConfiguration config;
    private final ServiceRepository services;
    private final DataSource dataSource;

    public CleanupRequests(
            DataSource dataSource,
            EtcdMembership membership,
            NodeState state,
            WorkerCleaner cleaner,
            NodeExecutors executors,
            VolumeNodeConfiguration config) {
        this.membership = membership;
        this.state = state;
        this.cleaner = cleaner;
        this.executors = executors;
        this.config = config;
        this.services = new ServiceRepository(dataSource);
        this.dataSource = dataSource;
    }

    /** Claims the matching rows; their cleaning continues in the background. */
    public List<ClaimedRow> cleanup(Request request) {
        ServingNode node = state.requireServing();
        node.checkExpectedEpoch(request.expectedEpoch());
        cleaner.fencing(node).ifPresent(fenced -> {
            throw fenced;
        });
        request.resourceType().filter(t -> !RESOURCE_TYPES.contains(t)).ifPresent(t -> {
            throw new InvalidArgumentException("resource_type '" + t + "' is not Volume or Snapshot");
        });
        String resourceId = request.resourceId()
                .map(VolumeAccess::parseId)
                .map(Object::toString)
                .orElse(null);
        List<Integer> ids = notLive(node.identity(), checkedServices(node.identity(), request.serviceIds()));
        // Cinder's "until" is inclusive; the query's bound is exclusive, and the column keeps microseconds.
        Instant before = request.until().orElseGet(Instant::now).plus(1, ChronoUnit.MICROS);
        List<WorkerRow> rows =
                Transactions.withConnection(dataSource, c -> WorkerRows.listByServicesUpdatedBefore(c, ids, before))
                        .stream()
                        .filter(row -> request.resourceType()
                                .map(row.resourceType()::equals)
                                .orElse(true))
                        .filter(row -> resourceId == null || resourceId.equals(row.resourceId()))
                        .toList();
        List<WorkerCleaner.Claimed> claimed = cleaner.claim(node, rows);
        List<ClaimedRow> answer = new ArrayList<>();
        for (WorkerCleaner.Claimed row : claimed) {
            answer.add(new ClaimedRow(
                    row.row().resourceType(), row.row().resourceId(), row.row().status(), row.previousServiceId()));
            finishLater(node, row);
        }
        return answer;
    }

    private List<ServiceRow> checkedServices(NodeIdentity node, List<Integer> requested) {
        Set<Integer> ids = new LinkedHashSet<>(requested.isEmpty() ? List.of(node.serviceId()) : requested);
        List<ServiceRow> rows = new ArrayList<>();
        for (int id : ids) {
            ServiceRow service = services.findById(id)
                    .filter(s -> VOLUME.equals(s.binary()))
                    .filter(s -> s.id() == node.serviceId()
                            || (node.clustered() && node.cluster().equals(s.clusterName())))
                    .orElseThrow(() -> new InvalidArgumentException(
                            "Service " + id + " is neither " + node.describe() + " nor a member of its cluster"));
            rows.add(service);
        }
        return rows;
    }

    private List<Integer> notLive(NodeIdentity node, List<ServiceRow> requested) {
        Set<String> live = node.clustered()
                ? membership.liveMembers(node.cluster()).members().stream()
                        .map(MemberInfo::host)
                        .collect(Collectors.toSet())
                : Set.of();
        List<Integer> ids = new ArrayList<>();
        for (ServiceRow service : requested) {
            // This node's own rows are fine: those in flight are skipped by the cleaner's claim.
            if (service.id() != node.serviceId() && live.contains(service.host())) {
                LOG.info("Not cleaning the rows of {}: it is live and finishes them itself", service.host());
            } else {
                ids.add(service.id());
            }
        }
        return ids;
    }

    private void finishLater(ServingNode node, WorkerCleaner.Claimed row) {
        try {
            executors
                    .cleanup()
                    .execute(() -> cleaner.finish(node, row, WorkerCleaner.Cause.HOLDER_DIED, config.getOrphanAge()));
        } catch (RejectedExecutionException e) {
            row.ticket().close(); // shutting down: the row stays claimed by this node and is cleaned at its restart
        }
    }
}
