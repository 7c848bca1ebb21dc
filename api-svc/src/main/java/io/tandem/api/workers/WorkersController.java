package io.tandem.api.workers;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.tandem.api.auth.Access;
import io.tandem.api.grpc.Backends;
import io.tandem.api.http.ApiVersion;
import io.tandem.api.http.JsonBody;
import io.tandem.proto.v1.WorkCleanupRequest;
import io.tandem.proto.v1.WorkCleanupResponse;
import java.util.Map;

/**
 * Cinder's workers cleanup (microversion 3.24 and later, admin only), transcoded to replication-svc's WorkCleanup.
 * Answers 202 once the cleaners have claimed the rows, with the services being cleaned and those without a reachable
 * cleaner.
 */
@Controller("/v3")
public class WorkersController {
    private static final String CLEAN_POLICY = "workers:cleanup";

    private final Backends backends;

    public WorkersController(Backends backends) {
        this.backends = backends;
    }

    /** Every key is optional; a missing body is the same as {@code {}} (clean everything that is down). */
    @Post(uris = {"/{project_id}/workers/cleanup", "/workers/cleanup"})
    HttpResponse<Map<String, Object>> cleanup(HttpRequest<?> request, @Body @Nullable String body) {
        ApiVersion.of(request).require(ApiVersion.WORKERS_CLEANUP);
        Access.requireAdmin(request, CLEAN_POLICY);
        JsonBody json = JsonBody.parse(body == null || body.isBlank() ? "{}" : body, WorkerRequests.KEYS);
        WorkCleanupRequest cleanup = WorkerRequests.parse(json);
        WorkCleanupResponse response = backends.replication(request).workCleanup(cleanup);
        return HttpResponse.<Map<String, Object>>status(HttpStatus.ACCEPTED).body(WorkerViews.cleanup(response));
    }
}
