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
 * <p>It publishes what the driver actually serves, not what the cluster row says now: if a failover committed while
 * the lease was lost, the key shows the old epoch, so the scheduler sends the node no work and its writes stay fenced.
 * Switching the driver to the new epoch is FailoverCompleted's job (failover issue).
 */
final class MemberRegistrar implements LiveRegistration.Registrar {
    private final EtcdMembership membership;
    private final NodeState state;
    private final CapacityPublisher capacity;
    private final String grpcAddress;
    private final Instant startedAt;

    MemberRegistrar(
            EtcdMembership membership,
            NodeState state,
            CapacityPublisher capacity,
            String grpcAddress,
            Instant startedAt) {
        this.membership = membership;
        this.state = state;
        this.capacity = capacity;
        this.grpcAddress = grpcAddress;
        this.startedAt = startedAt;
    }

    @Override
    public Registration register(LeaseLossListener listener) {
        ServingNode node = state.nodeOrNull();
        NodeIdentity identity = node.identity();
        MemberInfo member = new MemberInfo(
                identity.host(),
                identity.cluster(),
                identity.backend(),
                grpcAddress,
                node.served().activeBackendId(),
                node.served().epoch(),
                startedAt);
        Registration registration = membership.registerMember(member, listener);
        capacity.publishOn(registration);
        return registration;
    }
}
