package io.tandem.membership;

import static io.tandem.membership.EtcdCalls.bytes;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.tandem.core.error.AbortedException;
import io.tandem.core.error.FailedPreconditionException;
import io.tandem.core.retry.Backoff;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The epoch key of a cluster (or non-clustered host), {@code epochs/<scope>} → {@code {epoch, active_backend_id}}.
 * replication-svc writes it after the database commit of a failover; members watch it to converge.
 *
 * <p>The epoch never moves backwards: a write is a transaction comparing the key's mod revision with the one just
 * read (or its absence), retried on conflict, and a write of an epoch not newer than the stored one changes nothing.
 * So a slow writer that commits an old epoch late cannot undo a newer failover, and a retried write is harmless.
 */
public final class EpochStore {
    private static final Logger LOG = LoggerFactory.getLogger(EpochStore.class);

    private final EtcdContext ctx;
    private final Backoff backoff;

    EpochStore(EtcdContext ctx) {
        this.ctx = ctx;
        this.backoff = new Backoff(
                ctx.config().casMaxAttempts(),
                ctx.config().retryInitialDelay(),
                ctx.config().retryMaxDelay());
    }

    /** The stored record of {@code scope}, if any; blocking, bounded by the operation timeout. */
    public Optional<EpochRecord> read(String scope) {
        String what = "reading the epoch of " + scope;
        return ctx.calls().await(readAsync(scope), what);
    }

    public CompletableFuture<Optional<EpochRecord>> readAsync(String scope) {
        String key = ctx.keys().epoch(scope);
        return get(key, "reading the epoch of " + scope).thenApply(r -> parse(key, r));
    }

    /**
     * Stores {@code record} unless the stored epoch is already at least as new, and returns what is stored afterwards:
     * {@code record} itself, or the newer record that won. Writing the stored epoch again with the same active backend
     * is a no-op.
     *
     * @throws FailedPreconditionException when the stored record has the same epoch but another active backend (two
     *     failovers claimed one epoch: the database and etcd disagree)
     * @throws AbortedException when the compare-and-swap kept losing to other writers
     */
    public EpochRecord write(String scope, EpochRecord record) {
        return ctx.calls().await(writeAsync(scope, record), "writing the epoch of " + scope);
    }

    /** Asynchronous {@link #write(String, EpochRecord)}. */
    public CompletableFuture<EpochRecord> writeAsync(String scope, EpochRecord record) {
        Objects.requireNonNull(record, "record");
        return attempt(scope, ctx.keys().epoch(scope), record, 1);
    }

    /**
     * Watches {@code scope}: the listener first receives the stored record (if any), then each newer one in order.
     * Resumes across etcd restarts; after a compaction it re-reads the key.
     */
    public WatchHandle watch(String scope, EpochListener listener) {
        return watch(scope, 0, listener);
    }

    /**
     * Watches {@code scope} from {@code fromRevision} (inclusive); {@code fromRevision ≤ 0} reads the current record
     * first, as {@link #watch(String, EpochListener)}.
     */
    public WatchHandle watch(String scope, long fromRevision, EpochListener listener) {
        String key = ctx.keys().epoch(scope);
        return ctx.track(ResumableWatch.start(ctx, key, false, fromRevision, new EpochSink(scope, key, listener)));
    }

    private CompletableFuture<EpochRecord> attempt(String scope, String key, EpochRecord wanted, int attempt) {
        return get(key, "reading the epoch of " + scope).thenCompose(response -> {
            Cmp unchanged;
            if (response.getKvs().isEmpty()) {
                unchanged = new Cmp(bytes(key), Cmp.Op.EQUAL, CmpTarget.version(0));
            } else {
                KeyValue kv = response.getKvs().get(0);
                EpochRecord stored = Json.read(key, kv.getValue(), EpochRecord.class);
                if (stored.epoch() >= wanted.epoch()) {
                    return CompletableFuture.completedFuture(settled(scope, stored, wanted));
                }
                unchanged = new Cmp(bytes(key), Cmp.Op.EQUAL, CmpTarget.modRevision(kv.getModRevision()));
            }
            ByteSequence value = Json.write(wanted);
            CompletableFuture<TxnResponse> txn = ctx.client()
                    .getKVClient()
                    .txn()
                    .If(unchanged)
                    .Then(Op.put(bytes(key), value, PutOption.DEFAULT))
                    .commit();
            return ctx.calls()
                    .bounded(txn, "writing the epoch of " + scope)
                    .thenCompose(result -> result.isSucceeded()
                            ? CompletableFuture.completedFuture(written(scope, wanted))
                            : retry(scope, key, wanted, attempt));
        });
    }

    private CompletableFuture<EpochRecord> retry(String scope, String key, EpochRecord wanted, int attempt) {
        if (attempt >= backoff.maxAttempts()) {
            return CompletableFuture.failedFuture(new AbortedException("epoch " + wanted.epoch() + " of " + scope
                    + " lost the compare-and-swap " + attempt + " times to other writers"));
        }
        long delay = backoff.delayAfter(attempt).toMillis();
        LOG.debug("Epoch write of {} lost a race (attempt {}); retrying in {} ms", scope, attempt, delay);
        return CompletableFuture.supplyAsync(
                        () -> null, CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS, ctx.timer()))
                .thenCompose(ignored -> attempt(scope, key, wanted, attempt + 1));
    }

    private static EpochRecord settled(String scope, EpochRecord stored, EpochRecord wanted) {
        if (stored.epoch() == wanted.epoch() && !Objects.equals(stored.activeBackendId(), wanted.activeBackendId())) {
            throw new FailedPreconditionException("epoch " + wanted.epoch() + " of " + scope + " is already stored with"
                    + " active backend " + stored.activeBackendId() + ", not " + wanted.activeBackendId());
        }
        if (stored.epoch() > wanted.epoch()) {
            LOG.info("Epoch {} of {} not written: epoch {} is already stored", wanted.epoch(), scope, stored.epoch());
        }
        return stored;
    }

    private static EpochRecord written(String scope, EpochRecord record) {
        LOG.info("Epoch of {} is now {} (active backend {})", scope, record.epoch(), record.activeBackendId());
        return record;
    }

    private CompletableFuture<GetResponse> get(String key, String what) {
        return ctx.calls().bounded(ctx.client().getKVClient().get(bytes(key)), what);
    }

    private static Optional<EpochRecord> parse(String key, GetResponse response) {
        return response.getKvs().stream().findFirst().map(kv -> Json.read(key, kv.getValue(), EpochRecord.class));
    }

    /** Epoch watch deliveries: only records newer than the last one delivered, so a resync never repeats one. */
    private final class EpochSink implements ResumableWatch.Sink<EpochSink.Listing> {
        private final String scope;
        private final String key;
        private final EpochListener listener;
        private long lastDelivered = -1;

        record Listing(Optional<EpochRecord> record, long revision) {}

        EpochSink(String scope, String key, EpochListener listener) {
            this.scope = scope;
            this.key = key;
            this.listener = listener;
        }

        @Override
        public Listing list() {
            GetResponse response =
                    ctx.calls().await(get(key, "reading the epoch of " + scope), "reading the epoch of " + scope);
            return new Listing(parse(key, response), response.getHeader().getRevision());
        }

        @Override
        public long revisionOf(Listing listing) {
            return listing.revision();
        }

        @Override
        public void onSnapshot(Listing listing) {
            listing.record().ifPresent(this::offer);
        }

        @Override
        public void onEvents(List<WatchEvent> events) {
            for (WatchEvent event : events) {
                if (event.getEventType() != WatchEvent.EventType.PUT) {
                    // Only an operator deleting the key by hand does this; members keep the epoch they have.
                    LOG.warn("Epoch key {} was deleted; members keep their current epoch", key);
                    continue;
                }
                try {
                    offer(Json.read(key, event.getKeyValue().getValue(), EpochRecord.class));
                } catch (IllegalArgumentException e) {
                    LOG.warn("Ignoring {}", e.getMessage());
                }
            }
        }

        private void offer(EpochRecord record) {
            if (record.epoch() > lastDelivered) {
                lastDelivered = record.epoch();
                listener.epochChanged(scope, record);
            }
        }
    }
}
