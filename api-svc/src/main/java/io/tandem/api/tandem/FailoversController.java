package io.tandem.api.tandem;

import io.micronaut.http.HttpParameters;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.tandem.api.auth.Access;
import io.tandem.api.errors.ApiException;
import io.tandem.api.grpc.Backends;
import io.tandem.api.views.RestValues;
import io.tandem.proto.v1.GetFailoverRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Tandem's own routes: the failover journal (failovers, failbacks and promotes with their per-member
 * acknowledgements), admin only, at every microversion, with and without a project id in the path. See {@link
 * FailoverPages} for how {@code limit} and {@code marker} page it, and {@link PromoteController} for the route that
 * starts a promote.
 */
@Controller("/v3")
public class FailoversController {
    private static final String GET_ALL_POLICY = "tandem:failovers:get_all";
    private static final String GET_POLICY = "tandem:failovers:get";

    private final Backends backends;

    public FailoversController(Backends backends) {
        this.backends = backends;
    }

    /** Query: {@code target}, {@code unfinished} (boolean), {@code limit}, {@code marker}; other keys are ignored. */
    @Get(uris = {"/{project_id}/tandem/failovers", "/tandem/failovers"})
    Map<String, Object> list(HttpRequest<?> request) {
        Access.requireAdmin(request, GET_ALL_POLICY);
        HttpParameters parameters = request.getParameters();
        String target = parameters.get("target");
        if (target != null && target.isEmpty()) {
            target = null;
        }
        String unfinishedText = parameters.get("unfinished");
        boolean unfinished = unfinishedText != null && unfinished(unfinishedText);
        String limitText = parameters.get("limit");
        int limit = limit(limitText);
        String markerText = parameters.get("marker");
        Long marker = markerText == null ? null : positive("marker", markerText);

        FailoverPages.Page page = FailoverPages.read(
                grpc -> backends.replication(request).listFailovers(grpc), target, unfinished, limit, marker);
        String next = null;
        if (page.more()) {
            long last = page.rows().get(page.rows().size() - 1).getId();
            next = nextHref(request, target, unfinishedText, limitText, last);
        }
        return FailoverViews.list(page.rows(), next);
    }

    @Get(uris = {"/{project_id}/tandem/failovers/{id}", "/tandem/failovers/{id}"})
    Map<String, Object> show(HttpRequest<?> request, @PathVariable("id") String id) {
        Access.requireAdmin(request, GET_POLICY);
        GetFailoverRequest get =
                GetFailoverRequest.newBuilder().setId(positive("id", id)).build();
        return FailoverViews.show(backends.replication(request).getFailover(get).getFailover());
    }

    private static boolean unfinished(String text) {
        Boolean value = RestValues.booleanString(text);
        if (value == null) {
            throw ApiException.badRequest("Invalid value '" + text + "' for unfinished: must be a boolean.");
        }
        return value;
    }

    /** Absent or 0: 50; above 500: 500 (ListFailovers' own limits, applied here since pages may span calls). */
    private static int limit(String text) {
        if (text == null) {
            return FailoverPages.DEFAULT_PAGE_SIZE;
        }
        long limit;
        try {
            limit = Long.parseLong(text);
        } catch (NumberFormatException e) {
            // Beyond a long is as good as "lowered to 500"; anything else is no integer at all.
            if (text.matches("[0-9]+")) {
                return FailoverPages.MAX_PAGE_SIZE;
            }
            throw ApiException.invalidInput("limit must be an integer.");
        }
        if (limit < 0) {
            throw ApiException.invalidInput("limit must not be negative.");
        }
        return limit == 0 ? FailoverPages.DEFAULT_PAGE_SIZE : (int) Math.min(limit, FailoverPages.MAX_PAGE_SIZE);
    }

    private static long positive(String name, String text) {
        try {
            long value = Long.parseLong(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Same answer as zero or a negative number.
        }
        throw ApiException.invalidInput(name + " must be a positive integer.");
    }

    /** This route again, with the same filters and limit, continuing below {@code marker}. */
    private static String nextHref(
            HttpRequest<?> request, String target, String unfinished, String limit, long marker) {
        List<String> query = new ArrayList<>();
        if (target != null) {
            query.add("target=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
        }
        if (unfinished != null) {
            query.add("unfinished=" + URLEncoder.encode(unfinished, StandardCharsets.UTF_8));
        }
        if (limit != null) {
            query.add("limit=" + URLEncoder.encode(limit, StandardCharsets.UTF_8));
        }
        query.add("marker=" + marker);
        return Hrefs.origin(request) + request.getUri().getRawPath() + "?" + String.join("&", query);
    }
}
