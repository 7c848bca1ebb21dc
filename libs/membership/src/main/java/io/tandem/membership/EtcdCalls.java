package io.tandem.membership;

import io.etcd.jetcd.ByteSequence;
import io.tandem.core.error.TandemException;
import io.tandem.core.error.UnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Deadlines and error translation for every etcd request: each call gets the configured operation timeout, and any
 * failure reaches the caller as an {@link UnavailableException} with a one-line message naming the endpoints. The
 * jetcd cause is kept for the log only.
 */
final class EtcdCalls {
    private final String endpoints;
    private final Duration timeout;

    EtcdCalls(String endpoints, Duration timeout) {
        this.endpoints = endpoints;
        this.timeout = timeout;
    }

    Duration timeout() {
        return timeout;
    }

    /** {@code call} bounded by the operation timeout, failing with a {@link TandemException} only. */
    <T> CompletableFuture<T> bounded(CompletableFuture<T> call, String what) {
        return call.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).handle((value, failure) -> {
            if (failure != null) {
                throw new CompletionException(translate(failure, what));
            }
            return value;
        });
    }

    /**
     * Waits for a call built from {@link #bounded} calls (so it always completes). Interruption restores the flag and
     * fails the call, so a thread being shut down stops waiting for etcd at once.
     */
    <T> T await(CompletableFuture<T> call, String what) {
        try {
            return call.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel(true);
            throw new UnavailableException("interrupted while " + what + " at etcd " + endpoints, e);
        } catch (ExecutionException e) {
            throw translate(e.getCause(), what);
        }
    }

    /** {@code call} bounded and waited for: the blocking form used at the edges. */
    <T> T complete(CompletableFuture<T> call, String what) {
        return await(bounded(call, what), what);
    }

    /** A failure of {@code what} as the exception the caller sees. */
    RuntimeException translate(Throwable failure, String what) {
        Throwable cause = unwrap(failure);
        if (cause instanceof TandemException tandem) {
            return tandem;
        }
        if (cause instanceof IllegalArgumentException || cause instanceof IllegalStateException) {
            return (RuntimeException) cause;
        }
        if (cause instanceof TimeoutException) {
            return new UnavailableException(
                    "etcd at " + endpoints + " did not answer " + what + " within " + timeout, cause);
        }
        return new UnavailableException(
                "etcd at " + endpoints + " unreachable while " + what + ": " + oneLine(cause), cause);
    }

    /** Whether etcd said the lease is gone (revoked or expired), as opposed to not answering. */
    static boolean isLeaseNotFound(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.contains("requested lease not found")) {
                return true;
            }
        }
        return false;
    }

    static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static ByteSequence bytes(String value) {
        return ByteSequence.from(value, StandardCharsets.UTF_8);
    }

    static String string(ByteSequence value) {
        return value.toString(StandardCharsets.UTF_8);
    }

    private static String oneLine(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
