package io.tandem.api.http;

import io.micronaut.context.propagation.slf4j.MdcPropagationContext;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.tandem.runtime.grpc.RequestIds;
import java.util.Map;

/**
 * Gives every request a new OpenStack request id ({@code req-<uuid>}), as Cinder does: returned in {@code
 * X-OpenStack-Request-Id} on every response, errors included; put in the log MDC of whatever thread serves the request;
 * sent to the backends as gRPC metadata ({@link io.tandem.api.grpc.Backends}).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class RequestIdFilter implements Ordered {
    public static final String HEADER = "X-OpenStack-Request-Id";
    private static final String ATTRIBUTE = "tandem.api.requestId";

    /** The id of {@code request}; {@code "-"} for a request that never passed the filter. */
    public static String requestId(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, String.class).orElse("-");
    }

    @RequestFilter
    public void assign(HttpRequest<?> request, MutablePropagatedContext context) {
        String id = RequestIds.generate();
        request.setAttribute(ATTRIBUTE, id);
        // Propagated, not set on this thread: the controller runs on another one (blocking thread selection).
        context.add(new MdcPropagationContext(Map.of(RequestIds.MDC_KEY, id)));
    }

    @ResponseFilter
    public void header(HttpRequest<?> request, MutableHttpResponse<?> response) {
        response.header(HEADER, requestId(request));
    }

    @Override
    public int getOrder() {
        return FilterOrder.REQUEST_ID;
    }
}
