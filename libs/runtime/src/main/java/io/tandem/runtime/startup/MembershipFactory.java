package io.tandem.runtime.startup;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.tandem.core.ServiceBinary;
import io.tandem.core.error.UnavailableException;
import io.tandem.core.retry.Backoff;
import io.tandem.membership.EtcdMembership;
import io.tandem.membership.MembershipConfig;
import io.tandem.runtime.config.EtcdConfiguration;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's one etcd membership client. Start-up waits for etcd for a bounded time, logging one line per failed
 * attempt, and then fails with one line naming the endpoints.
 */
@Factory
public class MembershipFactory {
    private static final Logger LOG = LoggerFactory.getLogger(MembershipFactory.class);
    private static final Backoff BACKOFF =
            new Backoff(Integer.MAX_VALUE, Duration.ofMillis(200), Duration.ofSeconds(2));

    @Singleton
    @Bean(preDestroy = "close")
    EtcdMembership membership(EtcdConfiguration config) {
        MembershipConfig defaults = MembershipConfig.defaults(config.getEndpoints());
        MembershipConfig membershipConfig = new MembershipConfig(
                config.getEndpoints(),
                config.getPrefix(),
                config.getLeaseTtl(),
                config.getOperationTimeout(),
                defaults.connectionKeepaliveTime(),
                defaults.connectionKeepaliveTimeout(),
                defaults.retryInitialDelay(),
                defaults.retryMaxDelay(),
                defaults.casMaxAttempts());
        EtcdMembership membership = EtcdMembership.connect(membershipConfig);
        try {
            awaitReachable(membership, config);
            return membership;
        } catch (RuntimeException e) {
            membership.close();
            throw e;
        }
    }

    private static void awaitReachable(EtcdMembership membership, EtcdConfiguration config) {
        long deadline = System.nanoTime() + config.getStartupTimeout().toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                // Any read proves the endpoint answers; listing the schedulers is small.
                membership.liveServices(ServiceBinary.SCHEDULER);
                return;
            } catch (UnavailableException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new UnavailableException(
                            "etcd at " + String.join(",", config.getEndpoints()) + " is unreachable after "
                                    + config.getStartupTimeout().toSeconds() + " s",
                            e);
                }
                LOG.warn("{} (attempt {}); retrying", e.getMessage(), attempt);
                try {
                    BACKOFF.pauseAfter(attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
