package io.tandem.api.grpc;

import io.micronaut.http.HttpRequest;
import io.tandem.api.auth.Caller;
import io.tandem.api.config.ApiConfiguration;
import io.tandem.api.http.RequestIdFilter;
import io.tandem.proto.v1.ReplicationServiceGrpc;
import io.tandem.proto.v1.ReplicationServiceGrpc.ReplicationServiceBlockingStub;
import io.tandem.proto.v1.SchedulerServiceGrpc;
import io.tandem.proto.v1.SchedulerServiceGrpc.SchedulerServiceBlockingStub;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC services behind the REST routes. Controllers ask for a stub per HTTP request and call it directly:
 *
 * <pre>{@code
 * ListServicesResponse response = backends.replication(request).listServices(grpcRequest);
 * }</pre>
 *
 * The stub carries the request's id and user as metadata and a deadline of {@code tandem.api.call-timeout} (a stub is
 * cheap; the deadline must start with the request, hence one per request). A failed call throws {@link
 * io.grpc.StatusRuntimeException}, which {@link io.tandem.api.errors.GrpcExceptionHandler} answers through the one
 * status table; a backend that is down becomes a 503 naming it.
 */
@Singleton
public class Backends {
    private final Backend scheduler;
    private final Backend replication;
    private final Duration timeout;

    public Backends(ApiConfiguration config) {
        this.scheduler = new Backend("scheduler-svc", config.getSchedulerAddress());
        this.replication = new Backend("replication-svc", config.getReplicationAddress());
        this.timeout = config.getCallTimeout();
    }

    public SchedulerServiceBlockingStub scheduler(HttpRequest<?> request) {
        return SchedulerServiceGrpc.newBlockingStub(scheduler.channel())
                .withInterceptors(interceptor(scheduler, request))
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public ReplicationServiceBlockingStub replication(HttpRequest<?> request) {
        return ReplicationServiceGrpc.newBlockingStub(replication.channel())
                .withInterceptors(interceptor(replication, request))
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private BackendInterceptor interceptor(Backend backend, HttpRequest<?> request) {
        return new BackendInterceptor(backend, RequestIdFilter.requestId(request), Caller.userOf(request), timeout);
    }

    @PreDestroy
    void close() {
        scheduler.close();
        replication.close();
    }
}
