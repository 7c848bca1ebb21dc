package io.tandem.api.volumes;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.server.util.HttpHostResolver;
import io.tandem.api.auth.Access;
import io.tandem.api.auth.Caller;
import io.tandem.api.grpc.Backends;
import io.tandem.api.volumes.VolumeViews.Links;
import io.tandem.proto.v1.CreateVolumeRequest;
import io.tandem.proto.v1.DeleteVolumeRequest;
import io.tandem.proto.v1.ExtendVolumeRequest;
import io.tandem.proto.v1.GetVolumeRequest;
import io.tandem.proto.v1.ListVolumesResponse;
import io.tandem.proto.v1.Volume;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Cinder's volumes, transcoded to scheduler-svc. Each route answers with and without a project id in the path; they
 * are scoped to the path's project (the caller's own without one): a member may use only its own project (403
 * otherwise), an admin any. By id, an admin reaches any project's volume (as Cinder's admin context does); a member
 * gets 404 for another project's. Lists show the scoped project's volumes, every project's for an admin with {@code
 * all_tenants=1}. scheduler-svc's codes are the REST ones already (NOT_FOUND 404; a frozen backend, a wrong status or a
 * size not greater, INVALID_ARGUMENT / FAILED_PRECONDITION 400), so no route overrides the status table.
 */
@Controller("/v3")
public class VolumesController {
    private final Backends backends;
    private final HttpHostResolver hosts;

    public VolumesController(Backends backends, HttpHostResolver hosts) {
        this.backends = backends;
        this.hosts = hosts;
    }

    /** 202 with the new volume in creating (or error, when no backend fits: Cinder answers 202 then too). */
    @Post(uris = {"/{project_id}/volumes", "/volumes"})
    HttpResponse<Map<String, Object>> create(
            HttpRequest<?> request,
            @Nullable @PathVariable("project_id") String projectId,
            @Body @Nullable String body) {
        Caller caller = Access.requireProject(request, projectId);
        VolumeRequests.Create create = VolumeRequests.Create.parse(body);
        Volume volume = backends.scheduler(request)
                .createVolume(CreateVolumeRequest.newBuilder()
                        .setProjectId(scope(caller, projectId))
                        .setUserId(caller.user())
                        .setName(create.name())
                        .setDescription(create.description())
                        .setSizeGb(create.size())
                        .build())
                .getVolume();
        return HttpResponse.<Map<String, Object>>status(HttpStatus.ACCEPTED)
                .body(VolumeViews.show(volume, links(request, projectId), caller.admin()));
    }

    @Get(uris = {"/{project_id}/volumes", "/volumes"})
    Map<String, Object> list(HttpRequest<?> request, @Nullable @PathVariable("project_id") String projectId) {
        Links links = links(request, projectId);
        return list(request, projectId, "", v -> VolumeViews.summary(v, links));
    }

    @Get(uris = {"/{project_id}/volumes/detail", "/volumes/detail"})
    Map<String, Object> detail(HttpRequest<?> request, @Nullable @PathVariable("project_id") String projectId) {
        Links links = links(request, projectId);
        boolean admin = Caller.of(request).admin();
        return list(request, projectId, "/detail", v -> VolumeViews.detail(v, links, admin));
    }

    private Map<String, Object> list(
            HttpRequest<?> request,
            @Nullable String projectId,
            String path,
            Function<Volume, Map<String, Object>> view) {
        Caller caller = Access.requireProject(request, projectId);
        VolumeListQuery query = VolumeListQuery.parse(request.getParameters(), caller, scope(caller, projectId));
        if (query.request() == null) {
            return VolumeViews.page(List.of(), view, null);
        }
        ListVolumesResponse page = backends.scheduler(request).listVolumes(query.request());
        Map<String, Object> next = page.getNextMarker().isEmpty()
                ? null
                : links(request, projectId).next(path, request.getParameters(), page.getNextMarker());
        return VolumeViews.page(page.getVolumesList(), view, next);
    }

    @Get(uris = {"/{project_id}/volumes/{volume_id}", "/volumes/{volume_id}"})
    Map<String, Object> show(
            HttpRequest<?> request,
            @Nullable @PathVariable("project_id") String projectId,
            @PathVariable("volume_id") String volumeId) {
        Caller caller = Access.requireProject(request, projectId);
        String id = VolumeRequests.volumeId(volumeId).orElseThrow(() -> VolumeRequests.notFound(volumeId));
        Volume volume = backends.scheduler(request)
                .getVolume(GetVolumeRequest.newBuilder()
                        .setVolumeId(id)
                        .setProjectId(scope(caller, projectId))
                        .setAllTenants(caller.admin())
                        .build())
                .getVolume();
        return VolumeViews.show(volume, links(request, projectId), caller.admin());
    }

    /** 202, empty: the volume is deleting (poll until 404). */
    @Delete(uris = {"/{project_id}/volumes/{volume_id}", "/volumes/{volume_id}"})
    HttpResponse<?> delete(
            HttpRequest<?> request,
            @Nullable @PathVariable("project_id") String projectId,
            @PathVariable("volume_id") String volumeId) {
        Caller caller = Access.requireProject(request, projectId);
        String id = VolumeRequests.volumeId(volumeId).orElseThrow(() -> VolumeRequests.notFound(volumeId));
        backends.scheduler(request)
                .deleteVolume(DeleteVolumeRequest.newBuilder()
                        .setVolumeId(id)
                        .setProjectId(scope(caller, projectId))
                        .setAllTenants(caller.admin())
                        .build());
        return HttpResponse.accepted();
    }

    /** {@code os-extend} only: 202, empty; the volume is extending (poll for available with the new size). */
    @Post(uris = {"/{project_id}/volumes/{volume_id}/action", "/volumes/{volume_id}/action"})
    HttpResponse<?> action(
            HttpRequest<?> request,
            @Nullable @PathVariable("project_id") String projectId,
            @PathVariable("volume_id") String volumeId,
            @Body @Nullable String body) {
        Caller caller = Access.requireProject(request, projectId);
        int newSize = VolumeRequests.extendSize(body);
        String id = VolumeRequests.volumeId(volumeId).orElseThrow(() -> VolumeRequests.notFound(volumeId));
        backends.scheduler(request)
                .extendVolume(ExtendVolumeRequest.newBuilder()
                        .setVolumeId(id)
                        .setProjectId(scope(caller, projectId))
                        .setAllTenants(caller.admin())
                        .setNewSizeGb(newSize)
                        .build());
        return HttpResponse.accepted();
    }

    /** The project a route acts in: the path's, or the caller's own for paths without one. */
    private static String scope(Caller caller, @Nullable String projectId) {
        return projectId == null ? caller.project() : projectId;
    }

    private Links links(HttpRequest<?> request, @Nullable String projectId) {
        return new Links(hosts.resolve(request), projectId);
    }
}
