package io.tandem.membership;

import static io.tandem.membership.EtcdCalls.bytes;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicator keys, {@code replicator/<scope>} → {@link ReplicatorHolder}: which member of a backend runs its
 * replication copies. Exactly one member holds a scope's key at a time because taking it is a create-if-absent
 * transaction, and the key lives on the holder's lease: when the holder dies or stops, etcd removes the key with the
 * lease and the next member that asks takes it over. Holding is decided by the key's lease, not by its value.
 */
public final class ReplicatorKeys {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatorKeys.class);

    private final EtcdContext ctx;

    ReplicatorKeys(EtcdContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Takes the key of {@code scope} on {@code registration}'s lease unless a lease holds it already; blocking,
     * bounded by the operation timeout. Asking again while holding it changes nothing.
     *
     * @param registration a live member registration; the key takes its host and lease
     * @return the holder after the call: this registration ({@link ReplicatorHolder#heldBy}) or the one that holds it
     * @throws LeaseLostException when the registration's lease is gone (the node must register again)
     * @throws io.tandem.core.error.UnavailableException when etcd cannot be reached
     */
    public ReplicatorHolder claim(String scope, Registration registration) {
        String what = "taking the replicator key of " + scope;
        return ctx.calls().await(claimAsync(scope, registration), what);
    }

    /** Asynchronous {@link #claim}. */
    public CompletableFuture<ReplicatorHolder> claimAsync(String scope, Registration registration) {
        if (!registration.isLive()) {
            return CompletableFuture.failedFuture(
                    new LeaseLostException(registration + " is not live; it cannot take the replicator key"));
        }
        String key = ctx.keys().replicator(scope);
        String what = "taking the replicator key of " + scope;
        ReplicatorHolder wanted =
                new ReplicatorHolder(registration.member().host(), registration.leaseId(), Instant.now());
        CompletableFuture<TxnResponse> txn = ctx.client()
                .getKVClient()
                .txn()
                .If(new Cmp(bytes(key), Cmp.Op.EQUAL, CmpTarget.version(0)))
                .Then(Op.put(
                        bytes(key),
                        Json.write(wanted),
                        PutOption.builder().withLeaseId(registration.leaseId()).build()))
                .Else(Op.get(bytes(key), GetOption.DEFAULT))
                .commit();
        return txn.orTimeout(ctx.calls().timeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((response, failure) -> {
                    if (failure != null && EtcdCalls.isLeaseNotFound(failure)) {
                        // etcd says the lease is gone: the registration learns it now, not at its next keepalive.
                        registration.leaseGone();
                        throw new CompletionException(new LeaseLostException("the etcd lease of " + registration
                                + " expired or was revoked; it cannot take the replicator key of " + scope));
                    }
                    if (failure != null) {
                        throw new CompletionException(ctx.calls().translate(failure, what));
                    }
                    if (response.isSucceeded()) {
                        LOG.info("{} took the replicator key of {} (lease {})", wanted.host(), scope, wanted.leaseId());
                        return wanted;
                    }
                    // The transaction is atomic: when the compare failed, its Else read sees the key that exists.
                    return holderOf(key, response.getGetResponses().get(0))
                            .orElseThrow(() -> new IllegalStateException("replicator key " + key + " vanished"));
                });
    }

    /** The holder of {@code scope}'s key, if any; blocking, bounded. */
    public Optional<ReplicatorHolder> holder(String scope) {
        String what = "reading the replicator key of " + scope;
        String key = ctx.keys().replicator(scope);
        GetResponse response = ctx.calls().complete(ctx.client().getKVClient().get(bytes(key)), what);
        return holderOf(key, response);
    }

    /**
     * Gives up the key of {@code scope} if {@code registration}'s lease holds it, so that another member can take it
     * at once (this member may no longer replicate: stale, fenced, or the backend stopped replicating). A key held by
     * another lease is left alone.
     *
     * @return true when this call deleted the key
     */
    public boolean release(String scope, Registration registration) {
        String what = "releasing the replicator key of " + scope;
        String key = ctx.keys().replicator(scope);
        GetResponse response = ctx.calls().complete(ctx.client().getKVClient().get(bytes(key)), what);
        Optional<KeyValue> held = response.getKvs().stream()
                .filter(kv -> kv.getLease() == registration.leaseId())
                .findFirst();
        if (held.isEmpty()) {
            return false;
        }
        // Delete only the exact version read: a key re-created by someone else meanwhile stays.
        TxnResponse deleted = ctx.calls()
                .complete(
                        ctx.client()
                                .getKVClient()
                                .txn()
                                .If(new Cmp(
                                        bytes(key),
                                        Cmp.Op.EQUAL,
                                        CmpTarget.modRevision(held.get().getModRevision())))
                                .Then(Op.delete(bytes(key), DeleteOption.DEFAULT))
                                .commit(),
                        what);
        if (deleted.isSucceeded()) {
            LOG.info("Released the replicator key of {} (lease {})", scope, registration.leaseId());
        }
        return deleted.isSucceeded();
    }

    private static Optional<ReplicatorHolder> holderOf(String key, GetResponse response) {
        return response.getKvs().stream().findFirst().map(kv -> {
            ReplicatorHolder stored = Json.read(key, kv.getValue(), ReplicatorHolder.class);
            // The lease etcd attached the key to is the truth; the value only names the host.
            return new ReplicatorHolder(stored.host(), kv.getLease(), stored.acquiredAt());
        });
    }
}
