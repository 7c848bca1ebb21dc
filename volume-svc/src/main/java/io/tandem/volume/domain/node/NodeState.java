package io.tandem.volume.domain.node;

import io.tandem.core.error.UnavailableException;
import io.tandem.driver.DriverContext;
import io.tandem.driver.VolumeDriver;
import io.tandem.membership.Registration;
import io.tandem.runtime.config.ServiceConfiguration;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The node's lifecycle as the VolumeService sees it: STARTING → SERVING → STOPPING, each step a compare-and-set, and
 * whether its etcd lease is held. Calls take a {@link ServingNode} from here; the gate answers UNAVAILABLE (call
 * another member) while the node starts, after it lost its lease until it has registered again, and while it stops.
 */
@Singleton
public class NodeState {
    private enum Phase {
        STARTING,
        SERVING,
        STOPPING
    }

    private final String host;
    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.STARTING);
    private volatile ServingNode node;
    private volatile Supplier<Optional<Registration>> registration = Optional::empty;
    private volatile Instant startedAt;

    public NodeState(ServiceConfiguration service) {
        this.host = service.getHost();
    }

    /** Step 4 of the start is done: the driver serves {@code served}. Calls are still refused until {@link #serve}. */
    public void driverReady(NodeIdentity identity, ServedBackend served, VolumeDriver driver, DriverContext context) {
        node = new ServingNode(identity, served, driver, context);
    }

    /**
     * The node now serves {@code served} through {@code context} (a converged failover): calls that start from here on
     * carry the new epoch; calls already running keep the view they took, and their writes are fenced by the old one.
     * Only {@link NodeConvergence} calls this, under its lock.
     */
    void converged(ServedBackend served, DriverContext context) {
        ServingNode current = node;
        node = new ServingNode(current.identity(), served, current.driver(), context);
    }

    /**
     * The driver now serves with the sites of {@code context} (an online promote's member step reconfigured it before
     * the commit); epoch and site served are unchanged until the promote's FailoverCompleted converges the node.
     */
    public void reconfigured(DriverContext context) {
        ServingNode current = node;
        node = new ServingNode(current.identity(), current.served(), current.driver(), context);
    }

    /**
     * Step 7 is done: the member key is published; from now on calls are accepted while {@code registration} yields a
     * live registration.
     */
    public void serve(Supplier<Optional<Registration>> registration, Instant startedAt) {
        this.registration = Objects.requireNonNull(registration, "registration");
        this.startedAt = startedAt;
        if (!phase.compareAndSet(Phase.STARTING, Phase.SERVING)) {
            throw new IllegalStateException("node " + host + " cannot serve from phase " + phase.get());
        }
    }

    /** The node shuts down: every later call is refused. */
    public void stop() {
        phase.set(Phase.STOPPING);
    }

    /**
     * The node, for a call that takes work (management operations, connections, cleanup).
     *
     * @throws UnavailableException while starting, without a live lease, or while stopping
     */
    public ServingNode requireServing() {
        ServingNode current = requireStarted();
        if (registration.get().isEmpty()) {
            throw new UnavailableException("Volume node " + host
                    + " lost its etcd lease and takes no work until it has registered again; call another member");
        }
        return current;
    }

    /**
     * The node, for a call that only reports (GetNodeStatus answers also without a lease).
     *
     * @throws UnavailableException while starting or stopping
     */
    public ServingNode requireStarted() {
        Phase current = phase.get();
        if (current == Phase.STARTING) {
            throw new UnavailableException("Volume node " + host + " is starting; call another member");
        }
        if (current == Phase.STOPPING) {
            throw new UnavailableException("Volume node " + host + " is shutting down; call another member");
        }
        return node;
    }

    /** The node once its driver is ready (also during the rest of the start), or null before. */
    public ServingNode nodeOrNull() {
        return node;
    }

    /** When the node started serving; null before. */
    public Instant startedAt() {
        return startedAt;
    }

    /** True while the etcd lease is held (false before registration and after a loss, until registered again). */
    public boolean leaseLive() {
        return registration.get().isPresent();
    }

    /** The live etcd registration (member key on its lease), if any. */
    public Optional<Registration> registration() {
        return registration.get();
    }

    /** True while calls are accepted (serving with a live lease). */
    public boolean serving() {
        return phase.get() == Phase.SERVING && leaseLive();
    }

    /** True once the node shuts down. */
    public boolean stopping() {
        return phase.get() == Phase.STOPPING;
    }
}
