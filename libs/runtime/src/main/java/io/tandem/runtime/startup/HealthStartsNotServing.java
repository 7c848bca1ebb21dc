package io.tandem.runtime.startup;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

/**
 * grpc-java's health manager starts out SERVING; Tandem's services are serving only once registered in etcd
 * ({@link LiveRegistration}), so the status starts NOT_SERVING before the server accepts its first call.
 */
@Singleton
public class HealthStartsNotServing implements BeanCreatedEventListener<HealthStatusManager> {
    @Override
    public HealthStatusManager onCreated(BeanCreatedEvent<HealthStatusManager> event) {
        HealthStatusManager health = event.getBean();
        health.setStatus("", ServingStatus.NOT_SERVING);
        return health;
    }
}
