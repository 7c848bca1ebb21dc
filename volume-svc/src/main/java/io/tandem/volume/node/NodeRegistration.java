package io.tandem.volume.node;

import io.grpc.protobuf.services.HealthStatusManager;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.tandem.core.ServiceBinary;
import io.tandem.membership.EtcdMembership;
import io.tandem.membership.MemberInfo;
import io.tandem.persistence.cluster.ClusterRepository;
import io.tandem.persistence.cluster.ClusterRow;
import io.tandem.persistence.service.ServiceRepository;
import io.tandem.persistence.service.ServiceRow;
import io.tandem.runtime.config.ServiceConfiguration;
import io.tandem.runtime.startup.LiveRegistration;
import io.tandem.volume.config.VolumeNodeConfiguration;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A volume node joins its cluster: its {@code services} row, the cluster row (created by the first member, race-safe),
 * and its member key in etcd carrying the epoch and active backend it serves, read from the cluster row (its own row
 * when not clustered), which is authoritative. After a lease loss the served state is read again before registering,
 * so a node never advertises a site it no longer serves.
 */
@Singleton
public class NodeRegistration implements ApplicationEventListener<ServerStartupEvent> {
    private static final String VOLUME = ServiceBinary.VOLUME.stored();

    private final ServiceConfiguration service;
    private final VolumeNodeConfiguration node;
    private final EtcdMembership membership;
    private final ServiceRepository services;
    private final ClusterRepository clusters;
    private final Optional<HealthStatusManager> health;
    private final Instant startedAt = Instant.now();
    private volatile LiveRegistration live;

    public NodeRegistration(
            ServiceConfiguration service,
            VolumeNodeConfiguration node,
            EtcdMembership membership,
            DataSource dataSource,
            Optional<HealthStatusManager> health) {
        this.service = service;
        this.node = node;
        this.membership = membership;
        this.services = new ServiceRepository(dataSource);
        this.clusters = new ClusterRepository(dataSource);
        this.health = health;
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        String backend = node.requireBackend();
        String cluster = node.clusterOrNull();
        services.upsert(service.getHost(), VOLUME, cluster);
        if (cluster != null) {
            clusters.createIfMissing(cluster, VOLUME);
        }
        String address = Optional.ofNullable(service.getAdvertisedAddress())
                .orElse("127.0.0.1:" + event.getSource().getPort());
        live = new LiveRegistration(
                "volume node " + service.getHost() + (cluster == null ? "" : " of " + cluster),
                listener -> membership.registerMember(servedState(backend, cluster, address), listener),
                health);
        live.start();
    }

    private MemberInfo servedState(String backend, String cluster, String address) {
        if (cluster != null) {
            ClusterRow row = clusters.find(cluster, VOLUME).orElseThrow();
            return new MemberInfo(
                    service.getHost(), cluster, backend, address, row.activeBackendId(), row.epoch(), startedAt);
        }
        ServiceRow row = services.find(service.getHost(), VOLUME).orElseThrow();
        return new MemberInfo(service.getHost(), null, backend, address, row.activeBackendId(), row.epoch(), startedAt);
    }

    @PreDestroy
    void close() {
        if (live != null) {
            live.close();
        }
    }
}
