package io.tandem.runtime.startup;

import io.grpc.protobuf.services.HealthStatusManager;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.tandem.membership.EtcdMembership;
import io.tandem.membership.ServiceInfo;
import io.tandem.persistence.service.ServiceRepository;
import io.tandem.runtime.config.ServiceConfiguration;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Registration of a non-volume service (scheduler, replication, api) once its server listens: the {@code services} row
 * (so that os-services lists it) and a key on this process's etcd lease (so that it shows as up exactly while it is
 * alive). Volume nodes have a start sequence of their own.
 */
@Singleton
@Requires(property = "tandem.service.binary", notEquals = "volume")
public class ServiceRegistration implements ApplicationEventListener<ServerStartupEvent> {
    private final ServiceConfiguration service;
    private final EtcdMembership membership;
    private final ServiceRepository services;
    private final Optional<HealthStatusManager> health;
    private final Instant startedAt = Instant.now();
    private volatile LiveRegistration live;

    public ServiceRegistration(
            ServiceConfiguration service,
            EtcdMembership membership,
            DataSource dataSource,
            Optional<HealthStatusManager> health) {
        this.service = service;
        this.membership = membership;
        this.services = new ServiceRepository(dataSource);
        this.health = health;
    }

    @Override
    public synchronized void onApplicationEvent(ServerStartupEvent event) {
        if (live != null) {
            return; // one registration per process, even if it runs more than one server
        }
        String binary = service.binary().stored();
        String address = Optional.ofNullable(service.getAdvertisedAddress())
                .orElse("127.0.0.1:" + event.getSource().getPort());
        services.upsert(service.getHost(), binary, null);
        ServiceInfo info = new ServiceInfo(binary, service.getHost(), address, startedAt);
        live = new LiveRegistration(
                binary + " service " + service.getHost(),
                listener -> membership.registerService(info, listener),
                health);
        live.start();
    }

    @PreDestroy
    void close() {
        if (live != null) {
            live.close();
        }
    }
}
