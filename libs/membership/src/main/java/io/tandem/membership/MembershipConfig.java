package io.tandem.membership;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the membership library needs to know about etcd and its timing. Services build it from their typed
 * configuration; no other class of this library holds a TTL, timeout or retry literal.
 *
 * @param endpoints etcd client URLs, e.g. {@code http://127.0.0.1:23790}; named in every "unreachable" error
 * @param prefix root of all Tandem keys, e.g. {@code /tandem}; lets several deployments or tests share one etcd
 * @param leaseTtl lease time-to-live, whole seconds (etcd's unit); a dead node's keys vanish about this long after its
 *     last keepalive, and a node that has had no keepalive answer for this long considers its lease lost
 * @param operationTimeout deadline for one etcd request (grant, get, put, transaction, revoke), including jetcd's
 *     own retries; registration against an unreachable etcd fails after about this long
 * @param connectionKeepaliveTime interval of HTTP/2 pings on an idle etcd connection, so a silently dead connection
 *     is noticed (gRPC enforces at least 10 s)
 * @param connectionKeepaliveTimeout how long a ping may go unanswered before the connection is dropped
 * @param retryInitialDelay first pause before re-establishing a broken watch or retrying a lost compare-and-swap
 * @param retryMaxDelay cap of those pauses (exponential backoff with jitter)
 * @param casMaxAttempts how many times an epoch write retries a lost compare-and-swap before giving up
 */
public record MembershipConfig(
        List<String> endpoints,
        String prefix,
        Duration leaseTtl,
        Duration operationTimeout,
        Duration connectionKeepaliveTime,
        Duration connectionKeepaliveTimeout,
        Duration retryInitialDelay,
        Duration retryMaxDelay,
        int casMaxAttempts) {

    /** Default key prefix. */
    public static final String DEFAULT_PREFIX = "/tandem";

    public MembershipConfig {
        endpoints = List.copyOf(Objects.requireNonNull(endpoints, "endpoints"));
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("at least one etcd endpoint is required");
        }
        Objects.requireNonNull(prefix, "prefix");
        if (!prefix.startsWith("/") || prefix.endsWith("/")) {
            throw new IllegalArgumentException("prefix must start with '/' and not end with '/': " + prefix);
        }
        requirePositive("leaseTtl", leaseTtl);
        if (leaseTtl.toMillis() % 1000 != 0) {
            // etcd grants whole seconds; rounding silently would make the loss watchdog disagree with the server.
            throw new IllegalArgumentException("leaseTtl must be whole seconds: " + leaseTtl);
        }
        requirePositive("operationTimeout", operationTimeout);
        requirePositive("connectionKeepaliveTime", connectionKeepaliveTime);
        requirePositive("connectionKeepaliveTimeout", connectionKeepaliveTimeout);
        requirePositive("retryInitialDelay", retryInitialDelay);
        requirePositive("retryMaxDelay", retryMaxDelay);
        if (casMaxAttempts < 1) {
            throw new IllegalArgumentException("casMaxAttempts must be at least 1: " + casMaxAttempts);
        }
    }

    /**
     * Production defaults: prefix {@code /tandem}, lease TTL 5 s, 5 s per request, pings every 10 s with a 5 s
     * timeout, retries from 100 ms up to 2 s, 16 compare-and-swap attempts.
     */
    public static MembershipConfig defaults(List<String> endpoints) {
        return new MembershipConfig(
                endpoints,
                DEFAULT_PREFIX,
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                Duration.ofSeconds(5),
                Duration.ofMillis(100),
                Duration.ofSeconds(2),
                16);
    }

    /** {@link #defaults(List)} for the given endpoints. */
    public static MembershipConfig defaults(String... endpoints) {
        return defaults(List.of(endpoints));
    }

    public MembershipConfig withPrefix(String newPrefix) {
        return new MembershipConfig(
                endpoints,
                newPrefix,
                leaseTtl,
                operationTimeout,
                connectionKeepaliveTime,
                connectionKeepaliveTimeout,
                retryInitialDelay,
                retryMaxDelay,
                casMaxAttempts);
    }

    public MembershipConfig withLeaseTtl(Duration newLeaseTtl) {
        return new MembershipConfig(
                endpoints,
                prefix,
                newLeaseTtl,
                operationTimeout,
                connectionKeepaliveTime,
                connectionKeepaliveTimeout,
                retryInitialDelay,
                retryMaxDelay,
                casMaxAttempts);
    }

    public MembershipConfig withOperationTimeout(Duration newOperationTimeout) {
        return new MembershipConfig(
                endpoints,
                prefix,
                leaseTtl,
                newOperationTimeout,
                connectionKeepaliveTime,
                connectionKeepaliveTimeout,
                retryInitialDelay,
                retryMaxDelay,
                casMaxAttempts);
    }

    public MembershipConfig withEndpoints(List<String> newEndpoints) {
        return new MembershipConfig(
                newEndpoints,
                prefix,
                leaseTtl,
                operationTimeout,
                connectionKeepaliveTime,
                connectionKeepaliveTimeout,
                retryInitialDelay,
                retryMaxDelay,
                casMaxAttempts);
    }

    /** The endpoints as one string for error messages. */
    public String endpointList() {
        return String.join(",", endpoints);
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
