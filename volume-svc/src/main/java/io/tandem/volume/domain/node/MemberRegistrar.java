package io.tandem.volume.domain.node;

import io.tandem.membership.EtcdMembership;
import io.tandem.membership.LeaseLossListener;
import io.tandem.membership.MemberInfo;
import io.tandem.membership.Registration;
import io.tandem.runtime.startup.LiveRegistration;
import java.time.Instant;

/**
 * Makes the node's etcd registration: its member key with the epoch and active backend its driver serves, then its
 * capacity, both on one new lease. Used at start and by {@link LiveRegistration} after every lease loss.
 *
 * <p>Before registering, the node converges on the cluster row ({@link NodeConvergence}): a failover committed while
 * the lease was lost switches the driver first. It publishes what the driver actually serves, not what the cluster row
 * says: if converging failed (or the member is fenced), the key shows the old epoch, so the scheduler sends the node
 * no work and its writes stay fenced.
 */
final class MemberRegistrar implements LiveRegistration.Registrar {
    private final EtcdMembership membership;
    private final NodeState state;
    private final CapacityPublisher capacity;
    private final NodeConvergence convergence;
    private final String grpcAddress;
    private final Instant startedAt;

    MemberRegistrar(
            EtcdMembership membership,
            NodeState state,
            CapacityPublisher capacity,
            NodeConvergence convergence,
            String grpcAddress,
            Instant startedAt) {
        this.membership = membership;
        this.state = state;
        this.capacity = capacity;
        this.convergence = convergence;
        this.grpcAddress = grpcAddress;
        this.startedAt = startedAt;
    }

    @Override
    public Registration register(LeaseLossListener listener) {
        NodeIdentity identity = state.nodeOrNull().identity();
        Registration registration = convergence.registerConverged(served -> membership.registerMember(
                new MemberInfo(
                        identity.host(),
                        identity.cluster(),
                        identity.backend(),
                        grpcAddress,
                        served.activeBackendId(),
                        served.epoch(),
                        startedAt),
                listener));
        capacity.publishOn(registration);
        return registration;
    }
}
