package io.tandem.membership;

import static io.tandem.membership.EtcdCalls.bytes;

import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import io.tandem.core.error.InvalidArgumentException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's presence in etcd: its key (member or service) on a lease of its own, kept alive until {@link #close()}.
 *
 * <p>Lifecycle LIVE → LOST or LIVE → CLOSED, each step a compare-and-set, so the loss listener runs exactly once and
 * never after an orderly close. The lease counts as lost when etcd says it is gone (a keepalive answer with TTL ≤ 0,
 * or a write failing with "lease not found"), when the keepalive stream fails or ends, or when no keepalive has
 * succeeded for a whole TTL. The last rule errs on the early side on purpose: the server may already have expired the
 * lease and handed this node's work to another, and a node that stops early only loses a little time, while one that
 * goes on acting could do the same work twice. A lost registration is dead for good; the node registers again (a new
 * lease) once it has converged.
 */
public final class Registration implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Registration.class);

    private enum State {
        LIVE,
        LOST,
        CLOSED
    }

    private final EtcdContext ctx;
    private final String key;
    private final String description;
    private final long leaseId;
    private final Duration ttl;
    private final LeaseLossListener listener;
    private final AtomicReference<State> state = new AtomicReference<>(State.LIVE);
    private volatile Object value;
    private volatile long lastKeepAliveNanos;
    private volatile CloseableClient keepAlive;
    private volatile ScheduledFuture<?> watchdog;

    private Registration(
            EtcdContext ctx,
            String key,
            Object value,
            String description,
            LeaseGrantResponse grant,
            long grantSentNanos,
            LeaseLossListener listener) {
        this.ctx = ctx;
        this.key = key;
        this.value = value;
        this.description = description;
        this.leaseId = grant.getID();
        this.ttl = Duration.ofSeconds(grant.getTTL());
        this.listener = listener;
        // The server started the TTL after we sent the grant: counting from the send errs on the early side.
        this.lastKeepAliveNanos = grantSentNanos;
    }

    /** Grants a lease, starts its keepalive and puts {@code value} at {@code key} on it; blocking, bounded. */
    static Registration open(
            EtcdContext ctx, String key, Object value, String description, LeaseLossListener listener) {
        Registration registration = leased(ctx, key, value, description, listener);
        try {
            String putting = "registering " + description;
            ctx.calls().await(registration.putOnLease(key, value, putting), putting);
        } catch (RuntimeException e) {
            registration.close();
            throw e;
        }
        LOG.info(
                "Registered {} in etcd at {} on lease {} (TTL {})",
                description,
                key,
                registration.leaseId,
                registration.ttl.toSeconds());
        return registration;
    }

    /**
     * Grants a lease, starts its keepalive and puts {@code value} at {@code key} on it only if no key is there (one
     * create-if-absent transaction); blocking, bounded. Empty, with the lease revoked again, when the key exists: another
     * lease holds it.
     */
    static Optional<Registration> openIfAbsent(
            EtcdContext ctx, String key, Object value, String description, LeaseLossListener listener) {
        Registration registration = leased(ctx, key, value, description, listener);
        boolean created;
        try {
            String putting = "taking " + description;
            TxnResponse txn = ctx.calls()
                    .complete(
                            ctx.client()
                                    .getKVClient()
                                    .txn()
                                    .If(new Cmp(bytes(key), Cmp.Op.EQUAL, CmpTarget.version(0)))
                                    .Then(Op.put(
                                            bytes(key),
                                            Json.write(value),
                                            PutOption.builder()
                                                    .withLeaseId(registration.leaseId)
                                                    .build()))
                                    .commit(),
                            putting);
            created = txn.isSucceeded();
        } catch (RuntimeException e) {
            registration.close();
            throw e;
        }
        if (!created) {
            registration.close();
            return Optional.empty();
        }
        LOG.info(
                "Took {} at {} on lease {} (TTL {})",
                description,
                key,
                registration.leaseId,
                registration.ttl.toSeconds());
        return Optional.of(registration);
    }

    /** A registration on a new lease whose keepalive runs; nothing is put yet. Blocking, bounded. */
    private static Registration leased(
            EtcdContext ctx, String key, Object value, String description, LeaseLossListener listener) {
        long sent = System.nanoTime();
        LeaseGrantResponse grant = ctx.calls()
                .complete(
                        ctx.client()
                                .getLeaseClient()
                                .grant(ctx.config().leaseTtl().toSeconds()),
                        "granting a lease for " + description);
        Registration registration = new Registration(ctx, key, value, description, grant, sent, listener);
        try {
            registration.startKeepAlive();
        } catch (RuntimeException e) {
            registration.close();
            throw e;
        }
        return registration;
    }

    public long leaseId() {
        return leaseId;
    }

    /** The key this registration owns. */
    public String key() {
        return key;
    }

    /** The lease TTL etcd granted. */
    public Duration ttl() {
        return ttl;
    }

    /** True until the lease is lost or the registration is closed. */
    public boolean isLive() {
        return state.get() == State.LIVE;
    }

    /** The member value last published, for a member registration. */
    public MemberInfo member() {
        if (value instanceof MemberInfo member) {
            return member;
        }
        throw new IllegalStateException(description + " is not a member registration");
    }

    /**
     * Publishes a new value for this member (e.g. a new epoch served), on the same lease. Host and cluster must stay the
     * same. Fails with {@link LeaseLostException} when the lease is gone (the node must register again).
     */
    public CompletableFuture<Void> update(MemberInfo member) {
        member();
        if (!ctx.keys().member(member.cluster(), member.host()).equals(key)) {
            throw new InvalidArgumentException("update of " + description + " may not change host or cluster: "
                    + member.cluster() + "/" + member.host());
        }
        return putOnLease(key, member, "updating " + description).thenRun(() -> value = member);
    }

    /**
     * Publishes that this member now serves {@code epoch} on {@code activeBackendId} (null = the primary), on the same
     * lease: what a volume node does once it has converged on a new epoch. Fails with {@link LeaseLostException} when
     * the lease is gone.
     */
    public CompletableFuture<Void> updateServing(long epoch, String activeBackendId) {
        return update(member().serving(epoch, activeBackendId));
    }

    /** Publishes a new value for this service, on the same lease; the host must stay the same. */
    public CompletableFuture<Void> update(ServiceInfo service) {
        if (!(value instanceof ServiceInfo)) {
            throw new IllegalStateException(description + " is not a service registration");
        }
        if (!ctx.keys().service(service.binary(), service.host()).equals(key)) {
            throw new InvalidArgumentException("update of " + description + " may not change binary or host");
        }
        return putOnLease(key, service, "updating " + description).thenRun(() -> value = service);
    }

    /** Publishes this member's capacity on its lease, so that it vanishes with the member. */
    public CompletableFuture<Void> putStats(CapacityStats stats) {
        MemberInfo member = member();
        return putOnLease(
                ctx.keys().stats(member.cluster(), member.host()), stats, "publishing stats of " + description);
    }

    /**
     * Stops the keepalive and revokes the lease, so that every key on it vanishes at once rather than after the TTL.
     * Blocks for at most the operation timeout; if etcd cannot be reached the keys expire with the TTL instead. The loss
     * listener is not called.
     */
    @Override
    public void close() {
        State previous = state.getAndSet(State.CLOSED);
        if (previous == State.CLOSED) {
            return;
        }
        stopKeepAlive();
        if (previous == State.LIVE) {
            try {
                ctx.calls()
                        .complete(
                                ctx.client().getLeaseClient().revoke(leaseId), "revoking the lease of " + description);
                LOG.info("Unregistered {} (lease {} revoked)", description, leaseId);
            } catch (RuntimeException e) {
                LOG.warn(
                        "Could not revoke lease {} of {}; its keys expire within {}: {}",
                        leaseId,
                        description,
                        ttl,
                        e.getMessage());
            }
        }
    }

    /** etcd answered another call on this lease with "lease not found": the lease is gone, as for a keepalive. */
    void leaseGone() {
        lost(LeaseLossListener.Reason.REVOKED_OR_EXPIRED);
    }

    @Override
    public String toString() {
        return "Registration[" + description + ", lease " + leaseId + ", " + state.get() + "]";
    }

    private CompletableFuture<Void> putOnLease(String target, Object newValue, String what) {
        if (!isLive()) {
            return CompletableFuture.failedFuture(new LeaseLostException("the etcd lease of " + description + " is "
                    + state.get().name().toLowerCase() + "; register again"));
        }
        PutOption onLease = PutOption.builder().withLeaseId(leaseId).build();
        return ctx.client()
                .getKVClient()
                .put(bytes(target), Json.write(newValue), onLease)
                .orTimeout(ctx.calls().timeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((response, failure) -> {
                    if (failure == null) {
                        return null;
                    }
                    if (EtcdCalls.isLeaseNotFound(failure)) {
                        // etcd itself says the lease is gone: report it now rather than at the next keepalive.
                        lost(LeaseLossListener.Reason.REVOKED_OR_EXPIRED);
                        throw new CompletionException(new LeaseLostException(
                                "the etcd lease of " + description + " expired or was revoked; register again"));
                    }
                    throw new CompletionException(ctx.calls().translate(failure, what));
                });
    }

    private void startKeepAlive() {
        keepAlive = ctx.client().getLeaseClient().keepAlive(leaseId, new KeepAliveObserver());
        scheduleWatchdog();
    }

    private void stopKeepAlive() {
        ScheduledFuture<?> timer = watchdog;
        if (timer != null) {
            timer.cancel(false);
        }
        CloseableClient stream = keepAlive;
        if (stream != null) {
            stream.close();
        }
    }

    /** Arms a check for the moment a whole TTL will have passed since the last successful keepalive. */
    private void scheduleWatchdog() {
        long due = lastKeepAliveNanos + ttl.toNanos() - System.nanoTime();
        try {
            watchdog = ctx.timer().schedule(this::checkWatchdog, Math.max(0, due), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // The owning EtcdMembership is closing; it closes this registration too.
        }
    }

    private void checkWatchdog() {
        if (!isLive()) {
            return;
        }
        if (System.nanoTime() - lastKeepAliveNanos >= ttl.toNanos()) {
            lost(LeaseLossListener.Reason.KEEPALIVE_TIMED_OUT);
        } else {
            scheduleWatchdog();
        }
    }

    private void lost(LeaseLossListener.Reason reason) {
        if (!state.compareAndSet(State.LIVE, State.LOST)) {
            return;
        }
        // No revoke here: the lease is gone already, or etcd cannot be reached; either way its keys expire with it.
        stopKeepAlive();
        LOG.warn("etcd lease {} of {} lost ({}): this node must stop taking work", leaseId, description, reason);
        try {
            ctx.callbacks().execute(() -> notifyListener(reason));
        } catch (RejectedExecutionException e) {
            LOG.warn("lease loss of {} not reported: membership is closing", description);
        }
    }

    private void notifyListener(LeaseLossListener.Reason reason) {
        try {
            listener.leaseLost(this, reason);
        } catch (RuntimeException e) {
            LOG.error("lease loss listener of {} failed", description, e);
        }
    }

    /** Runs on jetcd's threads: record progress or report loss, nothing else. */
    private final class KeepAliveObserver implements StreamObserver<LeaseKeepAliveResponse> {
        @Override
        public void onNext(LeaseKeepAliveResponse response) {
            if (response.getTTL() <= 0) {
                lost(LeaseLossListener.Reason.REVOKED_OR_EXPIRED);
            } else {
                lastKeepAliveNanos = System.nanoTime();
            }
        }

        @Override
        public void onError(Throwable failure) {
            LOG.debug("keepalive of lease {} failed: {}", leaseId, failure.toString());
            lost(
                    EtcdCalls.isLeaseNotFound(failure)
                            ? LeaseLossListener.Reason.REVOKED_OR_EXPIRED
                            : LeaseLossListener.Reason.KEEPALIVE_FAILED);
        }

        @Override
        public void onCompleted() {
            // jetcd ends the stream of a lease when its own deadline (last answer + TTL) has passed.
            lost(LeaseLossListener.Reason.KEEPALIVE_TIMED_OUT);
        }
    }
}
