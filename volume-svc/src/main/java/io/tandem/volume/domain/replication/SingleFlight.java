package io.tandem.volume.domain.replication;

import io.tandem.core.error.FailedPreconditionException;
import io.tandem.core.error.TandemException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * One run per journal id on this node: a retry arriving while the first call runs waits for its result, and a
 * successful result is kept for later retries (replication-svc retries after deadlines and crashes), so a driver call
 * is never repeated for one id here. A failed run is forgotten: the retry runs the (idempotent) driver again. Across
 * members and crashes the driver's own idempotence covers it.
 *
 * @param <V> the result
 */
final class SingleFlight<V> {
    // Only one journal row per scope is unfinished at a time; a few finished ones answer late retries.
    private static final int REMEMBERED = 16;

    private record Attempt<V>(Object request, CompletableFuture<V> result) {}

    private final String what;
    private final Map<Long, Attempt<V>> attempts = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Attempt<V>> eldest) {
            return size() > REMEMBERED;
        }
    };

    /** @param what names the operation in messages ("Failover", "Promote") */
    SingleFlight(String what) {
        this.what = what;
    }

    /** Whether {@code id} has a run here, finished or not (the caller's log chooses its words). */
    boolean known(long id) {
        synchronized (attempts) {
            return attempts.containsKey(id);
        }
    }

    /**
     * Runs {@code work} for {@code id} unless a run exists, whose result is then returned (or awaited).
     *
     * @param request what the run was asked to do; a retry asking something else is refused
     * @throws FailedPreconditionException when an earlier run of {@code id} was asked something else
     */
    V run(long id, Object request, Supplier<V> work) {
        CompletableFuture<V> mine = new CompletableFuture<>();
        Attempt<V> running;
        synchronized (attempts) {
            running = attempts.get(id);
            if (running == null) {
                attempts.put(id, new Attempt<>(request, mine));
            }
        }
        if (running != null) {
            if (!running.request().equals(request)) {
                throw new FailedPreconditionException(
                        what + " " + id + " already ran here for " + running.request() + ", not for " + request);
            }
            return await(running.result());
        }
        try {
            V result = work.get();
            mine.complete(result);
            return result;
        } catch (RuntimeException e) {
            synchronized (attempts) {
                attempts.remove(id);
            }
            mine.completeExceptionally(e);
            throw e;
        }
    }

    private static <V> V await(CompletableFuture<V> running) {
        try {
            return running.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof TandemException tandem) {
                throw tandem;
            }
            throw e;
        }
    }
}
