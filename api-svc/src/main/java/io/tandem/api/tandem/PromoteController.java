package io.tandem.api.tandem;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.tandem.api.auth.Access;
import io.tandem.api.grpc.Backends;
import io.tandem.proto.v1.Failover;
import io.tandem.proto.v1.PromoteRequest;
import io.tandem.proto.v1.PromoteResponse;
import java.util.Map;

/**
 * Tandem's promote (ReplicationService.Promote): the site a cluster (or non-clustered host) serves becomes its primary,
 * with new replication targets, online. Admin only, at every microversion, with and without a project id in the path,
 * like the journal routes. Answers 202 as soon as the claim is made, with the journal row (kind {@code promote}, phase
 * {@code claimed}) in the view of {@code GET .../tandem/failovers/{id}} and a {@code Location} to that route, which
 * the client polls for the outcome. Every gRPC status goes through the one table: an invalid target and a wrong state
 * are 400 (as for the failover action), a transient conflict 409, a backend that cannot act now 503, a replication-svc
 * without promote 501.
 */
@Controller("/v3")
public class PromoteController {
    private static final String POLICY = "tandem:promote";

    private final Backends backends;

    public PromoteController(Backends backends) {
        this.backends = backends;
    }

    /** Body: see {@link PromoteRequests}. */
    @Post(uris = {"/{project_id}/tandem/promote", "/tandem/promote"})
    HttpResponse<Map<String, Object>> promote(HttpRequest<?> request, @Body @Nullable String body) {
        Access.requireAdmin(request, POLICY);
        PromoteRequest promote = PromoteRequests.parse(body);
        PromoteResponse response = backends.replication(request).promote(promote);
        Failover row = response.getFailover();
        long id = response.getFailoverId() != 0 ? response.getFailoverId() : row.getId();
        if (row.getId() == 0) {
            // failover_id equals failover.id by contract; a backend that sets only the former still links right.
            row = row.toBuilder().setId(id).build();
        }
        return HttpResponse.<Map<String, Object>>status(HttpStatus.ACCEPTED)
                .header(HttpHeaders.LOCATION, Hrefs.failover(request, id))
                .body(FailoverViews.show(row));
    }
}
