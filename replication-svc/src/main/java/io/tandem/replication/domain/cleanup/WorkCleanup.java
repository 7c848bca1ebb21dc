package io.tandem.replication.domain.cleanup;

import io.tandem.core.error.InvalidArgumentException;
import io.tandem.membership.MemberInfo;
import io.tandem.persistence.service.ServiceRow;
import io.tandem.persistence.workers.WorkerRow;
import io.tandem.replication.domain.Binaries;
import io.tandem.replication.domain.inventory.Inventory;
import io.tandem.replication.domain.inventory.ServiceRecord;
import io.tandem.replication.domain.liveness.LiveView;
import io.tandem.replication.domain.liveness.Liveness;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cinder 3.24's workers cleanup: selects the services whose interrupted operations must be cleaned (by default only
 * those that are down) and asks a live cleaner to claim their workers rows. A clustered volume service is cleaned by
 * one live member of its cluster (all matched services of one cluster in one call); a non-clustered one only by
 * itself, when it is up. Cleaners must serve the backend's current epoch: a stale node must not write. When nobody
 * can be asked, or everybody asked failed, the service is reported unavailable; its rows stay for a later cleanup
 * (or for the node itself, which cleans its own rows when it restarts).
 */
@Singleton
public class WorkCleanup {
    private static final Logger LOG = LoggerFactory.getLogger(WorkCleanup.class);

    private final Inventory inventory;
    private final Liveness liveness;
    private final Cleaners cleaners;
    // Spreads successive cleanups of one cluster over its members.
    private final AtomicInteger rotation = new AtomicInteger();

    public WorkCleanup(DataSource dataSource, Liveness liveness, Cleaners cleaners) {
        this.inventory = new Inventory(dataSource);
        this.liveness = liveness;
        this.cleaners = cleaners;
    }

    /** Runs the cleanup; returns once every cleaner asked has answered or reached its deadline. */
    public CleanupResult run(CleanupRequest request, String requestId) {
        Integer owner = request.resourceId() == null ? null : ownerOf(request);
        Instant until = inventory.now();
        List<ServiceRecord> candidates = inventory.services(request.host(), request.binary()).stream()
                .filter(selectedBy(request, owner))
                .toList();
        if (candidates.isEmpty()) {
            return new CleanupResult(List.of(), List.of());
        }
        boolean schedulers = candidates.stream().anyMatch(r -> isScheduler(r.row()));
        LiveView live = liveness.read(
                candidates.stream()
                        .filter(r -> !isScheduler(r.row()))
                        .map(r -> r.row().clusterName())
                        .collect(Collectors.toSet()),
                schedulers ? Set.of(Binaries.SCHEDULER) : Set.of());
        List<ServiceRecord> matched = candidates.stream()
                .filter(r -> live.isUp(r.row()) == request.up())
                .toList();
        Outcome outcome = new Outcome();
        cleanSchedulers(matched, until, outcome);
        dispatch(batches(matched, live), request, until, requestId, outcome);
        CleanupResult result = outcome.result();
        LOG.info(
                "Workers cleanup: {} service(s) cleaning, {} unavailable",
                result.cleaning().size(),
                result.unavailable().size());
        return result;
    }

    /**
     * The service holding the resource's row, as Cinder looks it up: no row, or several, is INVALID_ARGUMENT. Tandem
     * looks it up even when a location filter is given, so that a typo in the id is reported instead of silently
     * cleaning nothing.
     */
    private Integer ownerOf(CleanupRequest request) {
        List<WorkerRow> rows = inventory.workersOf(request.resourceId(), request.resourceType());
        if (rows.isEmpty()) {
            throw new InvalidArgumentException(
                    "There is no resource with UUID " + request.resourceId() + " pending cleanup.");
        }
        if (rows.size() > 1) {
            throw new InvalidArgumentException("There are multiple resources with UUID " + request.resourceId()
                    + " pending cleanup. Please be more specific.");
        }
        WorkerRow row = rows.get(0);
        if (row.serviceId() == null) {
            // No holder: the scheduler's row before a node took it, or a holder whose service row was deleted. No
            // service id names it, so no cleaner can be told to claim it.
            throw new InvalidArgumentException("The resource with UUID " + request.resourceId()
                    + " pending cleanup is held by no registered service.");
        }
        return row.serviceId();
    }

    private static Predicate<ServiceRecord> selectedBy(CleanupRequest request, Integer owner) {
        return record -> {
            ServiceRow row = record.row();
            return CleanupRequest.CLEANABLE_BINARIES.contains(row.binary())
                    && (request.clusterName() == null || request.clusterName().equals(row.clusterName()))
                    && (request.serviceId() == null || request.serviceId() == row.id())
                    && (owner == null || owner == row.id())
                    && (request.disabled() == null || request.disabled() == row.disabled());
        };
    }

    /**
     * Tandem's scheduler holds no workers rows: it inserts each create's row in the name of the member it chose (see
     * docs/volume-protocol.md). A scheduler with nothing to clean is reported cleaning, as Cinder reports its
     * schedulers; one that does hold rows has no cleaner and is reported unavailable.
     */
    private void cleanSchedulers(List<ServiceRecord> matched, Instant until, Outcome outcome) {
        List<ServiceRecord> schedulers =
                matched.stream().filter(r -> isScheduler(r.row())).toList();
        if (schedulers.isEmpty()) {
            return;
        }
        Set<Integer> holding =
                inventory
                        .workersHeldBy(
                                schedulers.stream().map(r -> r.row().id()).toList(), until)
                        .stream()
                        .map(WorkerRow::serviceId)
                        .collect(Collectors.toSet());
        for (ServiceRecord scheduler : schedulers) {
            boolean holds = holding.contains(scheduler.row().id());
            if (holds) {
                LOG.warn(
                        "Scheduler {} holds workers rows; no cleaner exists for them",
                        scheduler.row().host());
            }
            outcome.add(scheduler, !holds);
        }
    }

    /** One call's worth of work: services of one backend and the members that may clean them, in the order to ask. */
    private record Batch(List<ServiceRecord> services, List<Cleaner> cleaners, long epoch) {}

    private List<Batch> batches(List<ServiceRecord> matched, LiveView live) {
        Map<String, List<ServiceRecord>> byCluster = new LinkedHashMap<>();
        List<Batch> batches = new ArrayList<>();
        for (ServiceRecord record : matched) {
            if (isScheduler(record.row())) {
                continue;
            }
            if (record.clustered()) {
                byCluster
                        .computeIfAbsent(record.row().clusterName(), k -> new ArrayList<>())
                        .add(record);
            } else {
                long epoch = record.effective().epoch();
                List<Cleaner> self = live.member(null, record.row().host()).stream()
                        .filter(m -> m.epoch() == epoch)
                        .map(WorkCleanup::cleaner)
                        .toList();
                batches.add(new Batch(List.of(record), self, epoch));
            }
        }
        byCluster.forEach((cluster, services) -> {
            // One cluster row: every service of the cluster carries the same cluster epoch.
            long epoch = services.get(0).effective().epoch();
            List<Cleaner> members = live.members(cluster).stream()
                    .filter(m -> m.epoch() == epoch)
                    .map(WorkCleanup::cleaner)
                    .toList();
            batches.add(new Batch(services, rotated(members), epoch));
        });
        return batches;
    }

    private void dispatch(
            List<Batch> batches, CleanupRequest request, Instant until, String requestId, Outcome outcome) {
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (Batch batch : batches) {
            CleanupOrder order = new CleanupOrder(
                    batch.services().stream().map(r -> r.row().id()).toList(),
                    request.resourceType(),
                    request.resourceId(),
                    until,
                    batch.epoch(),
                    requestId);
            calls.add(attempt(batch, 0, order)
                    .thenAccept(cleaned -> batch.services().forEach(s -> outcome.add(s, cleaned))));
        }
        // Never fails: attempt() turns every failure into "ask the next one", and each call has a deadline.
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
    }

    private CompletableFuture<Boolean> attempt(Batch batch, int index, CleanupOrder order) {
        if (index >= batch.cleaners().size()) {
            return CompletableFuture.completedFuture(false);
        }
        Cleaner cleaner = batch.cleaners().get(index);
        CompletableFuture<Integer> call;
        try {
            call = cleaners.clean(cleaner, order);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        return call.handle((claimed, failure) -> {
                    if (failure == null) {
                        LOG.info(
                                "{} claimed {} workers row(s) of services {} (request {})",
                                cleaner.host(),
                                claimed,
                                order.serviceIds(),
                                order.requestId());
                        return CompletableFuture.completedFuture(true);
                    }
                    LOG.warn(
                            "{} could not clean services {} (request {}): {}; asking the next member",
                            cleaner.host(),
                            order.serviceIds(),
                            order.requestId(),
                            failure.getMessage());
                    return attempt(batch, index + 1, order);
                })
                .thenCompose(next -> next);
    }

    private List<Cleaner> rotated(List<Cleaner> members) {
        if (members.size() < 2) {
            return members;
        }
        int start = Math.floorMod(rotation.getAndIncrement(), members.size());
        List<Cleaner> order = new ArrayList<>(members.subList(start, members.size()));
        order.addAll(members.subList(0, start));
        return order;
    }

    private static Cleaner cleaner(MemberInfo member) {
        return new Cleaner(member.host(), member.grpcAddress());
    }

    private static boolean isScheduler(ServiceRow row) {
        return Binaries.SCHEDULER.equals(row.binary());
    }

    /** The two lists, filled from the dispatch callbacks. */
    private static final class Outcome {
        private final List<ServiceRef> cleaning = new ArrayList<>();
        private final List<ServiceRef> unavailable = new ArrayList<>();

        synchronized void add(ServiceRecord record, boolean cleaned) {
            ServiceRow row = record.row();
            ServiceRef ref = new ServiceRef(row.id(), row.host(), row.binary(), row.clusterName());
            (cleaned ? cleaning : unavailable).add(ref);
        }

        synchronized CleanupResult result() {
            Comparator<ServiceRef> byId = Comparator.comparingInt(ServiceRef::id);
            return new CleanupResult(
                    cleaning.stream().sorted(byId).toList(),
                    unavailable.stream().sorted(byId).toList());
        }
    }
}
