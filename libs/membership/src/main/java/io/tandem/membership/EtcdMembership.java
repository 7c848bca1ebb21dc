package io.tandem.membership;

import static io.tandem.membership.EtcdCalls.bytes;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.tandem.core.ServiceBinary;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tandem's membership in etcd, one per process: registration with a lease, listing and watching the live members of a
 * cluster, live services, capacity stats, the epoch keys ({@link #epochs()}) and the replicator keys
 * ({@link #replicators()}).
 *
 * <p>Blocking methods are meant for the edges (service start, tests) and are bounded by the configured operation
 * timeout; the {@code …Async} variants return futures. Every etcd failure surfaces as an {@code UnavailableException}
 * whose one-line message names the endpoints. {@link #close()} closes the registrations (revoking their leases) and
 * watches made through it, then the etcd client.
 */
public final class EtcdMembership implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdMembership.class);

    private final EtcdContext ctx;
    private final EpochStore epochs;
    private final ReplicatorKeys replicators;
    private final UpdateClaims updateClaims;

    private EtcdMembership(EtcdContext ctx) {
        this.ctx = ctx;
        this.epochs = new EpochStore(ctx);
        this.replicators = new ReplicatorKeys(ctx);
        this.updateClaims = new UpdateClaims(ctx);
    }

    /** Creates the etcd client; it connects lazily, so an unreachable etcd shows at the first call, not here. */
    public static EtcdMembership connect(MembershipConfig config) {
        Client client = Client.builder()
                .endpoints(config.endpoints().toArray(String[]::new))
                // Fail fast instead of queueing while etcd is down: our own deadlines and backoff decide.
                .waitForReady(false)
                .connectTimeout(config.operationTimeout())
                .retryMaxDuration(config.operationTimeout())
                .retryDelay(config.retryInitialDelay().toMillis())
                .retryMaxDelay(config.retryMaxDelay().toMillis())
                .keepaliveTime(config.connectionKeepaliveTime())
                .keepaliveTimeout(config.connectionKeepaliveTimeout())
                .build();
        EtcdContext ctx = new EtcdContext(
                client,
                config,
                new EtcdKeys(config.prefix()),
                new EtcdCalls(config.endpointList(), config.operationTimeout()),
                Executors.newSingleThreadScheduledExecutor(daemon("tandem-lease-watchdog")),
                Executors.newSingleThreadExecutor(daemon("tandem-lease-loss")),
                ConcurrentHashMap.newKeySet());
        return new EtcdMembership(ctx);
    }

    public MembershipConfig config() {
        return ctx.config();
    }

    public EtcdKeys keys() {
        return ctx.keys();
    }

    /**
     * Drops the connection to etcd without revoking anything, as a crashed process would: keepalives stop, and this
     * process's keys vanish only when etcd expires their leases, a TTL later. For failure drills and tests; this
     * membership is unusable afterwards (close it as usual).
     */
    public void abandon() {
        ctx.client().close();
    }

    /** The epoch keys. */
    public EpochStore epochs() {
        return epochs;
    }

    /** The replicator keys: which member of a backend runs its replication copies. */
    public ReplicatorKeys replicators() {
        return replicators;
    }

    /** The start-up update claims: which member of a backend runs updateHostReplication at start. */
    public UpdateClaims updateClaims() {
        return updateClaims;
    }

    /**
     * Registers a volume node under {@code members/<cluster>/<host>} on a new lease with keepalive running. Blocks for
     * at most about the operation timeout.
     *
     * @param lossListener told once if the lease is lost (see {@link LeaseLossListener})
     * @throws io.tandem.core.error.UnavailableException when etcd cannot be reached, naming the endpoints
     */
    public Registration registerMember(MemberInfo member, LeaseLossListener lossListener) {
        String key = ctx.keys().member(member.cluster(), member.host());
        String description = "member " + member.host() + " of cluster " + EtcdKeys.clusterSegment(member.cluster());
        return ctx.track(Registration.open(ctx, key, member, description, lossListener));
    }

    /** Registers a non-volume service under {@code services/<binary>/<host>}; as {@link #registerMember}. */
    public Registration registerService(ServiceInfo service, LeaseLossListener lossListener) {
        String key = ctx.keys().service(service.binary(), service.host());
        String description = service.binary() + " service " + service.host();
        return ctx.track(Registration.open(ctx, key, service, description, lossListener));
    }

    /** The live members of {@code cluster} (null for non-clustered nodes) and the revision of that listing. */
    public MemberSnapshot liveMembers(String cluster) {
        return ctx.calls().await(liveMembersAsync(cluster), "listing the members of " + cluster);
    }

    public CompletableFuture<MemberSnapshot> liveMembersAsync(String cluster) {
        return list(ctx.keys().membersOf(cluster), "listing the members of " + cluster)
                .thenApply(r -> new MemberSnapshot(
                        decodeAll(r, MemberInfo.class), r.getHeader().getRevision()));
    }

    /** One member, if it is live. */
    public Optional<MemberInfo> member(String cluster, String host) {
        return ctx.calls().await(memberAsync(cluster, host), "reading member " + host);
    }

    public CompletableFuture<Optional<MemberInfo>> memberAsync(String cluster, String host) {
        String key = ctx.keys().member(cluster, host);
        return ctx.calls()
                .bounded(ctx.client().getKVClient().get(bytes(key)), "reading member " + host)
                .thenApply(r -> decodeAll(r, MemberInfo.class).stream().findFirst());
    }

    /** The live services of one binary (stored name, e.g. {@code scheduler}). */
    public List<ServiceInfo> liveServices(String binary) {
        return ctx.calls().await(liveServicesAsync(binary), "listing the " + binary + " services");
    }

    public List<ServiceInfo> liveServices(ServiceBinary binary) {
        return liveServices(binary.stored());
    }

    public CompletableFuture<List<ServiceInfo>> liveServicesAsync(String binary) {
        return list(ctx.keys().servicesOf(binary), "listing the " + binary + " services")
                .thenApply(r -> decodeAll(r, ServiceInfo.class));
    }

    /** Capacity stats of the live members of {@code cluster}, by host. */
    public SortedMap<String, CapacityStats> stats(String cluster) {
        return ctx.calls().await(statsAsync(cluster), "reading the stats of " + cluster);
    }

    public CompletableFuture<SortedMap<String, CapacityStats>> statsAsync(String cluster) {
        return list(ctx.keys().statsOf(cluster), "reading the stats of " + cluster)
                .thenApply(r -> {
                    SortedMap<String, CapacityStats> byHost = new TreeMap<>();
                    for (KeyValue kv : r.getKvs()) {
                        decode(kv, CapacityStats.class)
                                .ifPresent(s -> byHost.put(EtcdKeys.lastSegment(EtcdCalls.string(kv.getKey())), s));
                    }
                    return byHost;
                });
    }

    /**
     * Watches the members of {@code cluster} from {@code fromRevision} inclusive (typically {@link
     * MemberSnapshot#nextRevision()} of a listing). If that revision is compacted, the listener gets {@link
     * MembershipListener#resynced} with a fresh listing first.
     */
    public WatchHandle watchMembers(String cluster, long fromRevision, MembershipListener listener) {
        if (fromRevision <= 0) {
            throw new IllegalArgumentException("fromRevision must be positive: " + fromRevision);
        }
        return startMemberWatch(cluster, fromRevision, listener);
    }

    /** Watches the members of {@code cluster}, starting with a {@link MembershipListener#resynced} listing. */
    public WatchHandle watchMembers(String cluster, MembershipListener listener) {
        return startMemberWatch(cluster, 0, listener);
    }

    /** Closes every registration (revoking its lease) and watch made here, then the etcd client. */
    @Override
    public void close() {
        for (AutoCloseable handle : List.copyOf(ctx.open())) {
            try {
                handle.close();
            } catch (Exception e) {
                LOG.warn("Closing {} failed: {}", handle, e.getMessage());
            }
        }
        ctx.open().clear();
        ctx.timer().shutdownNow();
        ctx.callbacks().shutdown();
        ctx.client().close();
    }

    /** The underlying client, for tests that simulate a crash (closing it stops keepalives without revoking). */
    Client client() {
        return ctx.client();
    }

    private WatchHandle startMemberWatch(String cluster, long fromRevision, MembershipListener listener) {
        String prefix = ctx.keys().membersOf(cluster);
        MemberWatchSink sink = new MemberWatchSink(() -> liveMembers(cluster), listener);
        return ctx.track(ResumableWatch.start(ctx, prefix, true, fromRevision, sink));
    }

    private CompletableFuture<GetResponse> list(String prefix, String what) {
        GetOption option = GetOption.builder()
                .isPrefix(true)
                .withSortField(GetOption.SortTarget.KEY)
                .withSortOrder(GetOption.SortOrder.ASCEND)
                .build();
        return ctx.calls().bounded(ctx.client().getKVClient().get(bytes(prefix), option), what);
    }

    private static <T> List<T> decodeAll(GetResponse response, Class<T> type) {
        List<T> values = new ArrayList<>(response.getKvs().size());
        for (KeyValue kv : response.getKvs()) {
            decode(kv, type).ifPresent(values::add);
        }
        return values;
    }

    private static <T> Optional<T> decode(KeyValue kv, Class<T> type) {
        try {
            return Optional.of(Json.read(EtcdCalls.string(kv.getKey()), kv.getValue(), type));
        } catch (IllegalArgumentException e) {
            // A corrupt value hides one entry, not the whole listing.
            LOG.warn("Ignoring {}", e.getMessage());
            return Optional.empty();
        }
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
