package io.tandem.runtime.startup;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.tandem.core.retry.Backoff;
import io.tandem.membership.LeaseLossListener;
import io.tandem.membership.Registration;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a process registered in etcd and its gRPC health in step with that registration: SERVING exactly while a
 * lease is held. On lease loss it turns NOT_SERVING at once (the process must not take work it may no longer own),
 * then registers again with backoff until it succeeds or is closed.
 */
public final class LiveRegistration implements LeaseLossListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveRegistration.class);
    private static final Backoff BACKOFF =
            new Backoff(Integer.MAX_VALUE, Duration.ofMillis(250), Duration.ofSeconds(5));

    /** Makes one registration; called at start and after every lease loss. */
    @FunctionalInterface
    public interface Registrar {
        Registration register(LeaseLossListener listener);
    }

    private final String what;
    private final Registrar registrar;
    private final Optional<HealthStatusManager> health;
    private volatile Registration current;
    private volatile boolean closed;

    public LiveRegistration(String what, Registrar registrar, Optional<HealthStatusManager> health) {
        this.what = what;
        this.registrar = registrar;
        this.health = health;
        setHealth(ServingStatus.NOT_SERVING);
    }

    /** Registers now; a failure propagates (at start-up it ends the process with one line). */
    public void start() {
        current = registrar.register(this);
        // The membership library logs the key and lease; health is what this class adds.
        setHealth(ServingStatus.SERVING);
    }

    /** The live registration, if any. */
    public Optional<Registration> current() {
        Registration registration = current;
        return registration != null && registration.isLive() ? Optional.of(registration) : Optional.empty();
    }

    /** Runs on the membership library's own callback thread, so retrying here delays nobody's work. */
    @Override
    public void leaseLost(Registration lost, Reason reason) {
        setHealth(ServingStatus.NOT_SERVING);
        LOG.warn("etcd lease of {} lost ({}); not serving until registered again", what, reason);
        for (int attempt = 1; !closed; attempt++) {
            try {
                current = registrar.register(this);
                setHealth(ServingStatus.SERVING);
                LOG.info("Registered {} again after {} attempt(s)", what, attempt);
                return;
            } catch (RuntimeException e) {
                LOG.warn("Registering {} again failed (attempt {}): {}", what, attempt, e.getMessage());
                try {
                    BACKOFF.pauseAfter(attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Revokes the lease, so that peers see this process leave at once rather than after the TTL. */
    @Override
    public void close() {
        closed = true;
        setHealth(ServingStatus.NOT_SERVING);
        Registration registration = current;
        if (registration != null) {
            registration.close();
        }
    }

    private void setHealth(ServingStatus status) {
        health.ifPresent(h -> h.setStatus("", status));
    }
}
