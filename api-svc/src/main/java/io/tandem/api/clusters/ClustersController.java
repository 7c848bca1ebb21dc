package io.tandem.api.clusters;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.tandem.api.auth.Access;
import io.tandem.api.clusters.ClusterRequests.ClusterKey;
import io.tandem.api.errors.ApiException;
import io.tandem.api.grpc.Backends;
import io.tandem.api.http.ApiVersion;
import io.tandem.api.http.JsonBody;
import io.tandem.api.views.RestValues;
import io.tandem.proto.v1.Cluster;
import io.tandem.proto.v1.DisableClusterRequest;
import io.tandem.proto.v1.EnableClusterRequest;
import io.tandem.proto.v1.GetClusterRequest;
import io.tandem.proto.v1.ListClustersRequest;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Cinder's clusters (microversion 3.7 and later, admin only), transcoded to replication-svc. Each route answers with
 * and without a project id in the path; below 3.7 none exists (404). An unknown cluster is 404 "Cluster <name> could
 * not be found." for show, enable and disable.
 */
@Controller("/v3")
public class ClustersController {
    private static final String GET_ALL_POLICY = "clusters:get_all";
    private static final String GET_POLICY = "clusters:get";
    private static final String UPDATE_POLICY = "clusters:update";

    private final Backends backends;

    public ClustersController(Backends backends) {
        this.backends = backends;
    }

    @Get(uris = {"/{project_id}/clusters", "/clusters"})
    Map<String, Object> list(HttpRequest<?> request) {
        return clusters(request, false);
    }

    @Get(uris = {"/{project_id}/clusters/detail", "/clusters/detail"})
    Map<String, Object> detail(HttpRequest<?> request) {
        return clusters(request, true);
    }

    private Map<String, Object> clusters(HttpRequest<?> request, boolean detail) {
        ApiVersion version = ApiVersion.of(request);
        version.require(ApiVersion.CLUSTER_SUPPORT);
        Access.requireAdmin(request, GET_ALL_POLICY);
        ListClustersRequest filters = ClusterFilters.parse(request.getParameters(), version);
        var clusters = backends.replication(request).listClusters(filters).getClustersList();
        return ClusterViews.list(clusters, detail, version);
    }

    /** {@code binary} defaults to cinder-volume; other query keys are ignored, as Cinder does. */
    @Get(uris = {"/{project_id}/clusters/{name}", "/clusters/{name}"})
    Map<String, Object> show(HttpRequest<?> request, @PathVariable String name, @Nullable @QueryValue String binary) {
        ApiVersion version = ApiVersion.of(request);
        version.require(ApiVersion.CLUSTER_SUPPORT);
        Access.requireAdmin(request, GET_POLICY);
        GetClusterRequest get = GetClusterRequest.newBuilder()
                .setName(name)
                .setBinary(RestValues.grpcBinary(binary == null ? ClusterRequests.DEFAULT_BINARY : binary))
                .build();
        Cluster cluster =
                known(name, () -> backends.replication(request).getCluster(get).getCluster());
        return ClusterViews.show(cluster, version);
    }

    @Put(uris = {"/{project_id}/clusters/enable", "/clusters/enable"})
    Map<String, Object> enable(HttpRequest<?> request, @Body @Nullable String body) {
        ApiVersion version = ApiVersion.of(request);
        version.require(ApiVersion.CLUSTER_SUPPORT);
        Access.requireAdmin(request, UPDATE_POLICY);
        ClusterKey key = ClusterKey.parse(JsonBody.parse(body, "name", "binary"));
        EnableClusterRequest enable = EnableClusterRequest.newBuilder()
                .setName(key.name())
                .setBinary(key.grpcBinary())
                .build();
        Cluster after = known(
                key.name(),
                () -> backends.replication(request).enableCluster(enable).getCluster());
        return ClusterViews.statusChange(after, version);
    }

    @Put(uris = {"/{project_id}/clusters/disable", "/clusters/disable"})
    Map<String, Object> disable(HttpRequest<?> request, @Body @Nullable String body) {
        ApiVersion version = ApiVersion.of(request);
        version.require(ApiVersion.CLUSTER_SUPPORT);
        Access.requireAdmin(request, UPDATE_POLICY);
        JsonBody json = JsonBody.parse(body, "name", "binary", "disabled_reason");
        ClusterKey key = ClusterKey.parse(json);
        DisableClusterRequest disable = DisableClusterRequest.newBuilder()
                .setName(key.name())
                .setBinary(key.grpcBinary())
                .setDisabledReason(ClusterRequests.disabledReason(json))
                .build();
        Cluster after = known(
                key.name(),
                () -> backends.replication(request).disableCluster(disable).getCluster());
        return ClusterViews.statusChange(after, version);
    }

    /**
     * Calls the backend; its NOT_FOUND is the contract's 404 with Cinder's ClusterNotFound wording, whatever the
     * backend's description (the one message clients may match on). Every other status goes through the table.
     */
    private static Cluster known(String name, Supplier<Cluster> call) {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                throw ApiException.notFound("Cluster " + name + " could not be found.");
            }
            throw e;
        }
    }
}
