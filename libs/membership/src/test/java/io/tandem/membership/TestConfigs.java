package io.tandem.membership;

import java.time.Duration;
import java.util.UUID;

/**
 * Test configuration: etcd's floor TTL of 2 s and a key prefix of its own per test. The operation timeout stays at the
 * production 5 s: on this shared 2-core machine the first etcd call of a cold JVM alone takes 1–2 s (class loading),
 * so tests that need a short bound on purpose set one themselves.
 */
final class TestConfigs {
    static final Duration TTL = Duration.ofSeconds(2);
    /** Slack for a busy 2-core machine on top of any etcd timing (ARCHITECTURE.md: ~3 s). */
    static final Duration MARGIN = Duration.ofSeconds(3);

    private TestConfigs() {}

    static MembershipConfig config(String endpoint) {
        return MembershipConfig.defaults(endpoint)
                .withPrefix("/t-" + UUID.randomUUID())
                .withLeaseTtl(TTL);
    }

    /** A short operation timeout for tests that wait for a call to fail. */
    static final Duration SHORT_TIMEOUT = Duration.ofSeconds(2);

    static Duration ttlPlusMargin() {
        return TTL.plus(MARGIN);
    }
}
