package io.tandem.api.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.tandem.api.errors.Faults;
import io.tandem.api.http.FilterOrder;
import java.util.Optional;
import java.util.Set;

/**
 * Authenticates every request except version discovery (which clients call before they have a token): a missing or
 * unknown token is 401 before any route runs, so controllers always find a {@link Caller}.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class AuthFilter implements Ordered {
    public static final String TOKEN_HEADER = "X-Auth-Token";
    private static final Set<String> DISCOVERY = Set.of("/", "/v3", "/v3/");

    private final Authenticator authenticator;

    public AuthFilter(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> authenticate(HttpRequest<?> request) {
        if (DISCOVERY.contains(request.getPath())) {
            return null;
        }
        Optional<Caller> caller =
                authenticator.authenticate(request.getHeaders().get(TOKEN_HEADER));
        if (caller.isEmpty()) {
            return Faults.response(Caller.unauthenticated());
        }
        request.setAttribute(Caller.ATTRIBUTE, caller.get());
        return null;
    }

    @Override
    public int getOrder() {
        return FilterOrder.AUTH;
    }
}
