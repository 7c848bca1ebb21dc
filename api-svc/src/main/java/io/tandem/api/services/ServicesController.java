package io.tandem.api.services;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.tandem.api.auth.Access;
import io.tandem.api.grpc.Backends;
import io.tandem.api.http.ApiVersion;
import io.tandem.api.http.JsonBody;
import io.tandem.api.services.ServiceRequests.ServiceKey;
import io.tandem.api.services.ServiceRequests.Target;
import io.tandem.api.views.RestValues;
import io.tandem.proto.v1.DisableServiceRequest;
import io.tandem.proto.v1.EnableServiceRequest;
import io.tandem.proto.v1.FailoverRequest;
import io.tandem.proto.v1.FreezeRequest;
import io.tandem.proto.v1.ListServicesRequest;
import io.tandem.proto.v1.Service;
import io.tandem.proto.v1.ThawRequest;
import java.util.Map;

/**
 * Cinder's os-services (admin only), transcoded to replication-svc. Each route answers with and without a project id
 * in the path. Unknown host or cluster: 404 for enable/disable, 400 for freeze, thaw and failover; replication-svc
 * already answers NOT_FOUND and INVALID_ARGUMENT respectively, so the status table needs no override here.
 */
@Controller("/v3")
public class ServicesController {
    private static final String INDEX_POLICY = "volume_extension:services:index";
    private static final String UPDATE_POLICY = "volume_extension:services:update";

    private final Backends backends;

    public ServicesController(Backends backends) {
        this.backends = backends;
    }

    @Get(uris = {"/{project_id}/os-services", "/os-services"})
    Map<String, Object> list(
            HttpRequest<?> request, @Nullable @QueryValue String host, @Nullable @QueryValue String binary) {
        Access.requireAdmin(request, INDEX_POLICY);
        ListServicesRequest.Builder filters = ListServicesRequest.newBuilder();
        if (host != null) {
            filters.setHost(host);
        }
        if (binary != null) {
            filters.setBinary(RestValues.grpcBinary(binary));
        }
        var services =
                backends.replication(request).listServices(filters.build()).getServicesList();
        return ServiceViews.list(services, ApiVersion.of(request));
    }

    @Put(uris = {"/{project_id}/os-services/enable", "/os-services/enable"})
    Map<String, Object> enable(HttpRequest<?> request, @Body @Nullable String body) {
        Access.requireAdmin(request, UPDATE_POLICY);
        ServiceKey key = ServiceKey.parse(JsonBody.parse(body, ServiceKey.KEYS));
        Service after = backends.replication(request)
                .enableService(EnableServiceRequest.newBuilder()
                        .setHost(key.host())
                        .setBinary(key.grpcBinary())
                        .build())
                .getService();
        return ServiceViews.statusChange(key, after, false);
    }

    @Put(uris = {"/{project_id}/os-services/disable", "/os-services/disable"})
    Map<String, Object> disable(HttpRequest<?> request, @Body @Nullable String body) {
        Access.requireAdmin(request, UPDATE_POLICY);
        ServiceKey key = ServiceKey.parse(JsonBody.parse(body, ServiceKey.KEYS));
        return disableService(request, key, "", false);
    }

    @Put(uris = {"/{project_id}/os-services/disable-log-reason", "/os-services/disable-log-reason"})
    Map<String, Object> disableLogReason(HttpRequest<?> request, @Body @Nullable String body) {
        Access.requireAdmin(request, UPDATE_POLICY);
        JsonBody json = JsonBody.parse(body, "host", "binary", "service", "cluster", "disabled_reason");
        return disableService(request, ServiceKey.parse(json), ServiceRequests.disabledReason(json), true);
    }

    private Map<String, Object> disableService(
            HttpRequest<?> request, ServiceKey key, String reason, boolean withReason) {
        Service after = backends.replication(request)
                .disableService(DisableServiceRequest.newBuilder()
                        .setHost(key.host())
                        .setBinary(key.grpcBinary())
                        .setDisabledReason(reason)
                        .build())
                .getService();
        return ServiceViews.statusChange(key, after, withReason);
    }

    @Put(uris = {"/{project_id}/os-services/freeze", "/os-services/freeze"})
    HttpResponse<?> freeze(HttpRequest<?> request, @Body @Nullable String body) {
        Access.requireAdmin(request, UPDATE_POLICY);
        Target target = Target.parse(JsonBody.parse(body, "host", "cluster"), ApiVersion.of(request));
        FreezeRequest.Builder freeze = FreezeRequest.newBuilder();
        if (target.cluster() != null) {
            freeze.setCluster(target.cluster());
        } else {
            freeze.setHost(target.host());
        }
        backends.replication(request).freeze(freeze.build());
        return HttpResponse.ok();
    }

    @Put(uris = {"/{project_id}/os-services/thaw", "/os-services/thaw"})
    HttpResponse<?> thaw(HttpRequest<?> request, @Body @Nullable String body) {
        Access.requireAdmin(request, UPDATE_POLICY);
        Target target = Target.parse(JsonBody.parse(body, "host", "cluster"), ApiVersion.of(request));
        ThawRequest.Builder thaw = ThawRequest.newBuilder();
        if (target.cluster() != null) {
            thaw.setCluster(target.cluster());
        } else {
            thaw.setHost(target.host());
        }
        backends.replication(request).thaw(thaw.build());
        return HttpResponse.ok();
    }

    /** Every version; takes a cluster from 3.26 on. */
    @Put(uris = {"/{project_id}/os-services/failover_host", "/os-services/failover_host"})
    HttpResponse<?> failoverHost(HttpRequest<?> request, @Body @Nullable String body) {
        Access.requireAdmin(request, UPDATE_POLICY);
        return claimFailover(request, body);
    }

    /** 3.26's name for failover_host; absent (404) below it. */
    @Put(uris = {"/{project_id}/os-services/failover", "/os-services/failover"})
    HttpResponse<?> failover(HttpRequest<?> request, @Body @Nullable String body) {
        ApiVersion.of(request).require(ApiVersion.REPLICATION_CLUSTER);
        Access.requireAdmin(request, UPDATE_POLICY);
        return claimFailover(request, body);
    }

    /** Claims the failover and returns: 202, the caller polls services or clusters for the outcome. */
    private HttpResponse<?> claimFailover(HttpRequest<?> request, @Nullable String body) {
        JsonBody json = JsonBody.parse(body, "host", "cluster", "backend_id");
        Target target = Target.parse(json, ApiVersion.of(request));
        FailoverRequest.Builder failover = FailoverRequest.newBuilder().setBackendId(ServiceRequests.backendId(json));
        if (target.cluster() != null) {
            failover.setCluster(target.cluster());
        } else {
            failover.setHost(target.host());
        }
        backends.replication(request).failover(failover.build());
        return HttpResponse.accepted();
    }
}
